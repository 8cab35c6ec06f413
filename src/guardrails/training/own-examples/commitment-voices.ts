/**
 * Fillers, openers and closers for the agent replies, one set per language. Openers and
 * closers are label-neutral on purpose: they wrap positives and negatives alike, so the
 * model cannot learn the label from the greeting or the sign-off.
 */
export type Lang = "en" | "de" | "es" | "fr";

export type Slot = "amt" | "day" | "days" | "n" | "pct" | "fee" | "thing" | "name";

export interface Voice {
  /** Values for `{slot}`; `{day}` reads after "by", "bis", "para", "d'ici". */
  slots: Record<Slot, readonly string[]>;
  /** Greetings and lead-ins an agent puts before the answer; may hold `{name}`. */
  openers: readonly string[];
  closers: readonly string[];
}

const NAMES = ["Sam", "Priya", "Mr Okafor", "Ms Lindqvist", "Jo", "Daniel", "Amira", "Tomás"];

const EN: Voice = {
  slots: {
    amt: ["$50", "£30", "$25", "€40", "$120", "£15", "$9.99", "$75", "$200", "£60", "$34.50"],
    day: ["Friday", "Monday", "tomorrow", "Thursday", "the 15th", "the end of the week"],
    days: ["3", "5", "2", "7", "10"],
    n: ["2", "3", "6"],
    pct: ["10%", "15%", "20%", "25%", "30%"],
    fee: [
      "late fee",
      "reconnection fee",
      "card replacement fee",
      "admin fee",
      "missed payment fee",
      "paper bill fee",
    ],
    thing: ["router", "headset", "kettle", "jacket", "printer", "phone case", "blender", "speaker"],
    name: NAMES,
  },
  openers: [
    "Hi {name},",
    "Thanks for waiting.",
    "Thanks for reaching out!",
    "Hello {name}, thanks for your message.",
    "I've had a look at your account.",
    "Sorry for the wait.",
    "Good morning,",
    "Hey {name}!",
    "Thank you for your patience.",
    "Hi there,",
    "Thanks for the details.",
    "OK, I've checked.",
  ],
  closers: [
    "Anything else I can help with?",
    "Have a great day!",
    "Kind regards, the support team",
    "Let me know if you have any other questions.",
    "Thanks again for your patience.",
    "Take care.",
    "Is there anything else today?",
    "Have a lovely evening.",
    "Just reply here if you need me.",
  ],
};

const DE: Voice = {
  slots: {
    amt: ["50 €", "30 €", "25 €", "120 €", "15 €", "9,99 €", "75 €"],
    day: ["Freitag", "Montag", "morgen", "Donnerstag", "Ende der Woche"],
    days: ["3", "5", "2", "7"],
    n: ["2", "3", "6"],
    pct: ["10 %", "15 %", "20 %", "25 %"],
    fee: ["Mahngebühr", "Bearbeitungsgebühr", "Anschlussgebühr", "Kartengebühr"],
    thing: ["Bestellung", "Paket", "Router", "Headset", "Wasserkocher"],
    name: NAMES,
  },
  openers: [
    "Hallo {name},",
    "Guten Tag,",
    "Danke für Ihre Geduld.",
    "Vielen Dank für Ihre Nachricht.",
    "Ich habe mir Ihr Konto angesehen.",
    "Hi {name}!",
  ],
  closers: [
    "Kann ich sonst noch helfen?",
    "Viele Grüße, Ihr Kundenservice",
    "Einen schönen Tag noch!",
    "Melden Sie sich gern wieder.",
  ],
};

const ES: Voice = {
  slots: {
    amt: ["50 €", "30 €", "25 €", "120 €", "15 €", "9,99 €", "75 €"],
    day: ["el viernes", "el lunes", "mañana", "el jueves", "el fin de semana"],
    days: ["3", "5", "2", "7"],
    n: ["2", "3", "6"],
    pct: ["10 %", "15 %", "20 %", "25 %"],
    fee: ["recargo por demora", "cargo de gestión", "cargo de reconexión", "cargo por tarjeta"],
    thing: ["pedido", "paquete", "router", "auricular", "hervidor"],
    name: NAMES,
  },
  openers: [
    "Hola {name},",
    "Buenos días,",
    "Gracias por esperar.",
    "Gracias por tu mensaje.",
    "He revisado tu cuenta.",
    "¡Hola {name}!",
  ],
  closers: [
    "¿Puedo ayudarte en algo más?",
    "Un saludo, el equipo de atención al cliente",
    "¡Que tengas un buen día!",
    "Escríbenos si necesitas algo.",
  ],
};

const FR: Voice = {
  slots: {
    amt: ["50 €", "30 €", "25 €", "120 €", "15 €", "9,99 €", "75 €"],
    day: ["vendredi", "lundi", "demain", "jeudi", "la fin de la semaine"],
    days: ["3", "5", "2", "7"],
    n: ["2", "3", "6"],
    pct: ["10 %", "15 %", "20 %", "25 %"],
    fee: ["frais de retard", "frais de dossier", "frais de remise en service", "frais de carte"],
    thing: ["commande", "colis", "box", "casque", "bouilloire"],
    name: NAMES,
  },
  openers: [
    "Bonjour {name},",
    "Bonjour,",
    "Merci pour votre patience.",
    "Merci pour votre message.",
    "J'ai regardé votre compte.",
    "Salut {name} !",
  ],
  closers: [
    "Puis-je vous aider pour autre chose ?",
    "Cordialement, le service client",
    "Bonne journée !",
    "N'hésitez pas à revenir vers nous.",
  ],
};

export const VOICES: Record<Lang, Voice> = { en: EN, de: DE, es: ES, fr: FR };
