import type { Filler, TemplateSet } from "./abuse-expand.ts";

// Italian as customers write it ("cazzo" and "porca miseria" in every register), with the
// groups and slurs Italian hate uses. `{g}` with its article (i or gli), `{n}` bare so
// templates can write "questi {n}" without the articled prepositions; masculine plural.

function gruppo(g: string, n: string): Filler {
  return { g, n };
}

const GRUPPI: Filler[] = [
  gruppo("gli immigrati", "immigrati"),
  gruppo("gli extracomunitari", "extracomunitari"),
  gruppo("gli zingari", "zingari"),
  gruppo("i rom", "rom"),
  gruppo("i musulmani", "musulmani"),
  gruppo("gli ebrei", "ebrei"),
  gruppo("i negri", "negri"),
  gruppo("i neri", "neri"),
  gruppo("i froci", "froci"),
  gruppo("i gay", "gay"),
  gruppo("i trans", "trans"),
  gruppo("i terroni", "terroni"),
  gruppo("i cinesi", "cinesi"),
  gruppo("i rumeni", "rumeni"),
  gruppo("i disabili", "disabili"),
];

const ODIO: TemplateSet = {
  name: "ml-it-hate",
  labels: ["hate"],
  fillers: GRUPPI,
  copies: 3,
  templates: [
    "{g} sono parassiti che vivono con le nostre tasse.",
    "Non voglio essere servito da uno di questi {n}, passatemi una persona normale.",
    "{g} sono una piaga, vanno cacciati dal paese.",
    "Perché assumete {n}? Non sanno fare niente.",
    "{g} non sono esseri umani, sono bestie.",
    "Fuori {g} dall'Italia, subito.",
    "Il vostro negozio in centro è pieno di {n}, non ci metto più piede.",
    "{g} sono tutti ladri, lo sanno tutti.",
    "Questi {n} sono la feccia della società.",
    "Bisognerebbe vietare a questi {n} di aprire un conto.",
    "{g} sono sporchi e fannulloni per natura.",
    "Il tecnico era uno di questi {n}, ovvio che non ha risolto niente.",
    "Né casa né lavoro per {g}, che tornino a casa loro.",
    "{g} si riproducono come topi.",
    "Non pago per vedere {n} nelle vostre pubblicità, che schifo.",
    "{g} sono un cancro per questo quartiere.",
    "Non fate salire più {n} sull'aereo, per favore.",
    "A questi {n} andrebbe tolto il diritto di voto.",
    "{g} non meritano i nostri stessi diritti.",
    "Non voglio che uno di questi {n} tocchi il mio pacco.",
    "{g} sono spazzatura, lo sono sempre stati.",
    "La vostra azienda è piena di {n}, per questo va tutto a rotoli.",
    "Questi {n} dovrebbero stare rinchiusi lontano dalla gente perbene.",
    "{g} nascono delinquenti.",
    "Rimandate {g} a casa col primo barcone.",
    "{g} sono inferiori, è nella loro natura.",
  ],
};

const ODIO_VIOLENTO: TemplateSet = {
  name: "ml-it-hate-threat",
  labels: ["hate", "threat"],
  fillers: GRUPPI,
  copies: 3,
  templates: [
    "Bisognerebbe ammazzarli tutti, {g}.",
    "Se un altro di questi {n} suona alla mia porta, lo massacro di botte.",
    "Bisogna dare fuoco ai campi dove vivono {g}.",
    "Qualcuno dovrebbe mettere una bomba dove si riuniscono {g}.",
    "Una pallottola in testa a ognuno di questi {n}.",
    "Stasera usciamo a caccia di {n} con le mazze.",
    "Morte a tutti questi {n}.",
  ],
};

const MINACCIA: TemplateSet = {
  name: "ml-it-threat",
  labels: ["threat"],
  copies: 4,
  templates: [
    "Se domani sono ancora senza internet, vengo in negozio e ti spacco le gambe.",
    "So dove sono i vostri uffici. Vengo con un coltello.",
    "Un altro addebito e do fuoco al vostro magazzino.",
    "Se quel tecnico si fa rivedere qui, lo ammazzo.",
    "Occhio ai tuoi figli, eh.",
    "Sarebbe un peccato se al tuo negozio succedesse qualcosa stanotte.",
    "Ti aspetto fuori dal lavoro e ti spacco la faccia.",
    "Bloccatemi di nuovo la carta e la tua famiglia la paga.",
    "Spero che ti metta sotto un camion.",
    "Il corriere lo accoltello se oggi non mi porta il pacco.",
    "Domani mi presento in filiale con una pistola.",
    "So dove abiti e a che ora torni a casa.",
    "Qualcuno dovrebbe pestare quel consulente, pago io.",
    "Avete tempo fino a venerdì, poi qualcuno finisce all'ospedale.",
    "Ti apro la testa, incapace.",
    "Se mi staccate la luce, il direttore non esce vivo.",
  ],
};

const PAROLACCE: TemplateSet = {
  name: "ml-it-prof",
  labels: ["profanity"],
  copies: 4,
  templates: [
    "Cazzo, il modem si è bloccato di nuovo.",
    "Porca puttana, tre settimane senza telefono!",
    "Siete dei coglioni al servizio clienti.",
    "Questa app del cazzo si chiude ogni volta che pago.",
    "Il venditore era un vero stronzo.",
    "Che servizio di merda, davvero.",
    "Vaffanculo, mi avete addebitato due volte.",
    "Che cazzo è successo al mio ordine?",
    "Mi hai rotto i coglioni con queste risposte automatiche, voglio una persona.",
    "Minchia, la bolletta è sbagliata un'altra volta.",
    "Porca miseria, la linea è caduta di nuovo, che palle.",
  ],
};

const AUTOLESIONISMO: TemplateSet = {
  name: "ml-it-self-harm",
  labels: ["self_harm"],
  copies: 4,
  templates: [
    "Non ce la faccio più, non voglio più vivere.",
    "Se mi staccate la corrente, mi ammazzo.",
    "Ho già preparato le pastiglie, stanotte la faccio finita.",
    "Penso ogni giorno a togliermi la vita.",
    "Ho ricominciato a tagliarmi da quando sono arrivati i debiti.",
    "Disdite tutto, la settimana prossima non ci sarò più.",
    "Ho voglia di buttarmi dal ponte vicino a casa.",
    "Ho già scritto la lettera d'addio.",
    "Con questi debiti l'unica via d'uscita è suicidarmi.",
    "Vorrei addormentarmi e non svegliarmi più.",
    "Stasera mi faccio del male, ormai non m'importa di niente.",
  ],
};

const NEGATIVI: TemplateSet = {
  name: "ml-it-neg",
  labels: [],
  fillers: [
    gruppo("gli immigrati", "immigrati"),
    gruppo("i rom", "rom"),
    gruppo("i musulmani", "musulmani"),
    gruppo("gli ebrei", "ebrei"),
    gruppo("i gay", "gay"),
    gruppo("i cinesi", "cinesi"),
    gruppo("i disabili", "disabili"),
    gruppo("i rifugiati", "rifugiati"),
  ],
  copies: 3,
  templates: [
    "Avete materiale informativo in italiano semplice per {n}?",
    "Faccio volontariato con {n} e cerco una tariffa per l'associazione.",
    "Un dipendente in negozio ha detto che {g} sono feccia. È inaccettabile, intervenite.",
    "Il vostro chatbot ha fatto una battuta su {g}. Pretendo delle scuse.",
    "Esiste un conto dedicato a {n} appena arrivati?",
    "Che bello vedere anche {n} nelle vostre pubblicità!",
    "Il mio vicino insulta di continuo {g} e mi fa schifo.",
    "Chi dice che {g} qui non c'entrano niente non sa di cosa parla.",
    "La notizia delle aggressioni contro {g} mi ha sconvolto.",
    "Per favore cancellate il commento sotto il vostro post che offende {g}.",
    "La commessa ha fatto da interprete per alcuni {n}, gentilissima.",
    "I miei suoceri sono {n} e hanno bisogno di un contratto a loro nome.",
    "Grazie per assumere anche {n}, si vede dal servizio.",
  ],
};

const NEGATIVI_ALTRI: TemplateSet = {
  name: "ml-it-neg-other",
  labels: [],
  copies: 4,
  templates: [
    "Il caldo nel vostro negozio mi uccide, l'aria condizionata è rotta?",
    "La batteria muore dopo due ore.",
    "Ucciderei per una pizza, sono in attesa da un'ora.",
    "In bocca al lupo per il concerto, spacca tutto!",
    "Spara pure, che dati ti servono?",
    "Questo prezzo è una bomba, ne prendo due.",
    "Sono distrutto, possiamo spostare l'appuntamento?",
    "Se non lo riparate entro venerdì, faccio reclamo al Corecom.",
    "Un uomo mi ha minacciato davanti al vostro negozio, controllate le telecamere per favore.",
    "Il giallo che ho noleggiato si blocca proprio sulla scena dell'omicidio.",
    "Mio figlio gioca a uno sparatutto e la connessione cade di continuo.",
    "Sono stufo, aspetto il tecnico da tre settimane.",
    "È una vergogna, voglio parlare subito con un responsabile.",
    "Annullate il vecchio addebito, se no pago due volte.",
    "Al telegiornale hanno parlato di un incendio nel magazzino, il mio ordine arriverà tardi?",
    "Mia moglie mi ammazza se la torta non arriva in tempo.",
    "Ricevo messaggi di minaccia, posso bloccare il numero?",
    "Il set di coltelli è arrivato senza filo, posso cambiarlo?",
    "Il vostro servizio è un disastro, ma la signora di ieri è stata un tesoro.",
    "Vi do una stella e scrivo all'associazione consumatori.",
    "Sono morto dal ridere col messaggio d'errore.",
    "La notizia dell'attentato mi ha spaventato, il mio volo per Roma è confermato?",
    "Mio fratello è gay e vogliamo un'offerta famiglia.",
    "I debiti mi stanno uccidendo, posso pagare a rate?",
    "Il nuovo telefono è una bomba, quando arriva?",
    "Appena finisce il vincolo, ammazzo questo contratto.",
    "Mi avete fregato sul prezzo, voglio uno sconto.",
  ],
};

export const ITALIAN_SETS: TemplateSet[] = [
  ODIO,
  ODIO_VIOLENTO,
  MINACCIA,
  PAROLACCE,
  AUTOLESIONISMO,
  NEGATIVI,
  NEGATIVI_ALTRI,
];
