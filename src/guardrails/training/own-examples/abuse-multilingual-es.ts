import type { Filler, TemplateSet } from "./abuse-expand.ts";

// Spanish as written in Spain and Latin America, tuteo and usted mixed, with the slurs
// and group names Spanish hate uses. `{g}` the group with article, `{n}` the bare noun;
// all are masculine plural so adjectives agree.

function grupo(n: string): Filler {
  return { g: `los ${n}`, n };
}

const GRUPOS: Filler[] = [
  grupo("inmigrantes"),
  grupo("sudacas"),
  grupo("moros"),
  grupo("gitanos"),
  grupo("musulmanes"),
  grupo("judíos"),
  grupo("negros"),
  grupo("maricones"),
  grupo("gays"),
  grupo("transexuales"),
  grupo("chinos"),
  grupo("rumanos"),
  grupo("discapacitados"),
  grupo("refugiados"),
  grupo("venezolanos"),
];

const ODIO: TemplateSet = {
  name: "ml-es-hate",
  labels: ["hate"],
  fillers: GRUPOS,
  copies: 3,
  templates: [
    "{g} son unos parásitos que viven de nuestros impuestos.",
    "No quiero que me atienda uno de esos {n}, pásame con alguien normal.",
    "{g} son una plaga, hay que sacarlos del país.",
    "¿Por qué contratan a {n}? No saben hacer nada bien.",
    "{g} no son personas, son animales.",
    "Fuera {g} de España ya.",
    "En su tienda del centro solo hay {n}, da asco entrar.",
    "{g} son todos unos ladrones, lo sabe todo el mundo.",
    "Estos {n} son la escoria de la sociedad.",
    "No deberían dejar a {g} abrir una cuenta en el banco.",
    "{g} son sucios y vagos por naturaleza.",
    "El técnico era uno de esos {n}, claro que no arregló nada.",
    "Ni trabajo ni casa para {g}, que se vuelvan a su tierra.",
    "{g} se reproducen como ratas.",
    "Me niego a pagar para que salgan {n} en vuestros anuncios, qué asco.",
    "{g} son una enfermedad para este barrio.",
    "Que no entren más {n} en el avión, por favor.",
    "Tendrían que prohibir que {g} voten.",
    "{g} no merecen los mismos derechos que nosotros.",
    "No me toques el paquete, que no quiero que lo hayan tocado {n}.",
    "{g} son basura, toda la vida lo han sido.",
    "Vuestra empresa está llena de {n}, por eso todo va fatal.",
    "Estos {n} deberían estar encerrados lejos de la gente decente.",
    "{g} son criminales de nacimiento.",
    "Que se lleven a {g} de vuelta en patera.",
    "Con {g} no se puede convivir, son inferiores.",
  ],
};

const ODIO_VIOLENTO: TemplateSet = {
  name: "ml-es-hate-threat",
  labels: ["hate", "threat"],
  fillers: GRUPOS,
  copies: 3,
  templates: [
    "A {g} habría que matarlos a todos.",
    "Si vuelve a venir uno de esos {n} a mi puerta, lo reviento a palos.",
    "Hay que quemar los pisos donde viven {g}.",
    "Ojalá alguien ponga una bomba donde se juntan {g}.",
    "A {g} hay que pegarles un tiro y ya está.",
    "Que alguien salga a cazar {n} con un bate esta noche.",
    "Muerte a {g}.",
  ],
};

const AMENAZA: TemplateSet = {
  name: "ml-es-threat",
  labels: ["threat"],
  copies: 4,
  templates: [
    "Si mañana sigo sin internet, voy a la tienda y te parto las piernas.",
    "Sé dónde está tu oficina. Voy a ir con un cuchillo.",
    "Otro recargo más y le prendo fuego a vuestro almacén.",
    "Como vuelva el técnico ese, lo mato.",
    "Cuida bien a tus hijos, por si acaso.",
    "Sería una pena que a tu tienda le pasara algo esta noche.",
    "Te espero a la salida del trabajo y te rompo la cara.",
    "Si me bloqueáis la tarjeta otra vez, tu familia lo va a pagar.",
    "Ojalá te atropelle un camión.",
    "Al repartidor lo apuñalo si no me trae el paquete hoy.",
    "Mañana me planto en vuestra sucursal con una pistola.",
    "Sé dónde vives y a qué hora llegas a casa.",
    "Alguien debería darle una paliza a ese asesor, yo pago.",
    "Tenéis hasta el viernes, después alguien acaba en el hospital.",
    "Te voy a reventar la cabeza, inútil.",
    "Si me cortan la luz, voy a por el gerente y no sale vivo.",
  ],
};

const TACOS: TemplateSet = {
  name: "ml-es-prof",
  labels: ["profanity"],
  copies: 4,
  templates: [
    "Joder, el router se ha vuelto a morir.",
    "Me cago en la leche, tres semanas sin teléfono.",
    "Sois unos gilipollas en atención al cliente.",
    "La puta aplicación se cierra cada vez que pago.",
    "El comercial era un cabrón de cuidado.",
    "Qué mierda de servicio, de verdad.",
    "Me cago en todo, me habéis cobrado dos veces.",
    "Chingada madre, otra vez se cayó la red.",
    "¿Qué coño pasa con mi pedido?",
    "Vete a la mierda con tus respuestas automáticas, quiero una persona.",
    "Hostia, ¿otra vez la factura mal? Estoy hasta los cojones.",
  ],
};

const AUTOLESION: TemplateSet = {
  name: "ml-es-self-harm",
  labels: ["self_harm"],
  copies: 4,
  templates: [
    "No puedo más, no quiero seguir viviendo.",
    "Si me cortáis la luz, me mato.",
    "Tengo las pastillas preparadas, esta noche acabo con todo.",
    "Pienso todos los días en quitarme la vida.",
    "He vuelto a cortarme desde que empezaron las deudas.",
    "Dad de baja todo, la semana que viene ya no estaré.",
    "Me quiero tirar del puente que hay al lado de casa.",
    "Ya he escrito la carta de despedida.",
    "Con estas deudas la única salida que veo es suicidarme.",
    "Quiero dormirme y no despertar nunca más.",
    "Esta noche me hago daño, ya me da igual todo.",
  ],
};

const NEGATIVOS: TemplateSet = {
  name: "ml-es-neg",
  labels: [],
  fillers: [
    { g: "los inmigrantes", n: "inmigrantes" },
    { g: "los gitanos", n: "gitanos" },
    { g: "los musulmanes", n: "musulmanes" },
    { g: "los judíos", n: "judíos" },
    { g: "los gays", n: "gays" },
    { g: "los refugiados", n: "refugiados" },
    { g: "los discapacitados", n: "discapacitados" },
    { g: "los venezolanos", n: "venezolanos" },
  ],
  copies: 3,
  templates: [
    "¿Tenéis información en lenguaje sencillo para {n}?",
    "Trabajo de voluntario con {n} y necesito una tarifa para la asociación.",
    "Un empleado dijo en la tienda que {g} son escoria. Eso es inaceptable, quiero que hagáis algo.",
    "Vuestro chatbot hizo un chiste sobre {g}. Exijo una disculpa.",
    "¿Hay alguna cuenta especial para {n} recién llegados?",
    "Qué bien que en vuestros anuncios salgan también {n}.",
    "Mi vecino no para de insultar a {g} y me da vergüenza ajena.",
    "Quien diga que {g} sobran en este país no tiene ni idea.",
    "La noticia de las agresiones a {g} me dejó fatal.",
    "Por favor, borrad el comentario de vuestro post que insulta a {g}.",
    "La chica de la tienda tradujo para unos {n} y fue muy amable.",
    "Mis suegros son {n} y necesitan un contrato a su nombre.",
    "Gracias por contratar a {n}, se nota en el trato.",
  ],
};

const NEGATIVOS_OTROS: TemplateSet = {
  name: "ml-es-neg-other",
  labels: [],
  copies: 4,
  templates: [
    "Este calor en la tienda me está matando, ¿no funciona el aire?",
    "La batería se muere a las dos horas.",
    "Mataría por una pizza, llevo una hora en espera.",
    "Me he quedado de piedra con la factura, ¿me la explicáis?",
    "Dispara, ¿qué datos necesitas?",
    "El precio está de muerte, me llevo dos.",
    "Estoy muerto de cansancio, ¿podemos cambiar la cita?",
    "Si no lo arregláis antes del viernes, voy a poner una reclamación en consumo.",
    "Un hombre me amenazó delante de vuestra tienda, revisad las cámaras por favor.",
    "La serie de crímenes se corta justo en el asesinato.",
    "Mi hijo juega a un shooter y la conexión se cae cada dos por tres.",
    "Estoy harto, llevo tres semanas esperando al técnico.",
    "Esto es una vergüenza, quiero hablar con un responsable ya.",
    "Cancelad la domiciliación vieja, que me cobráis doble.",
    "Salió en las noticias un incendio en el almacén, ¿llegará tarde mi pedido?",
    "Mi mujer me mata si la tarta no llega a tiempo.",
    "Me están llegando mensajes amenazándome, ¿puedo bloquear el número?",
    "El juego de cuchillos llegó sin filo, ¿lo puedo cambiar?",
    "Vuestro servicio es un desastre, pero la chica de ayer fue un encanto.",
    "Os voy a poner una estrella y voy a ir a la OCU.",
    "Me muero de risa con el mensaje de error.",
    "La noticia del atentado me asustó, ¿sale igual mi vuelo a Madrid?",
    "Mi hermano es gay y queremos una tarifa familiar.",
    "Las deudas me están matando, ¿puedo pagar a plazos?",
    "Le voy a dar caña a la reclamación hasta que me devolváis el dinero.",
    "Ese móvil nuevo es una bomba, ¿cuándo llega?",
    "Voy a matar el contrato en cuanto termine la permanencia.",
  ],
};

export const SPANISH_SETS: TemplateSet[] = [
  ODIO,
  ODIO_VIOLENTO,
  AMENAZA,
  TACOS,
  AUTOLESION,
  NEGATIVOS,
  NEGATIVOS_OTROS,
];
