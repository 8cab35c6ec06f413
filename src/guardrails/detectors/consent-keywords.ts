/**
 * Whole-message consent keywords, compared after folding and removing spaces and
 * punctuation ("Opt-Out!" -> "optout"). English lists: CTIA Messaging Principles and Best
 * Practices (2023) and the FCC 2024 TCPA revocation order (47 CFR 64.1200(a)(10)), which
 * names stop, quit, end, revoke, opt out, cancel and unsubscribe. Others: the localized
 * keywords Twilio and Sinch honour for Spanish, French, German, Portuguese and Italian.
 */
export const OPT_OUT_KEYWORDS = [
  "stop",
  "stopall",
  "unsubscribe",
  "cancel",
  "end",
  "quit",
  "revoke",
  "optout",
  "stopp",
  "parar",
  "para",
  "baja",
  "darmedebaja",
  "cancelar",
  "detener",
  "alto",
  "arret",
  "arreter",
  "stopper",
  "desabonner",
  "desinscrire",
  "desinscription",
  "abmelden",
  "beenden",
  "abbestellen",
  "kundigen",
  "pare",
  "sair",
  "basta",
  "annulla",
  "disiscrivi",
];

export const OPT_IN_KEYWORDS = ["start", "unstop", "yes"];

export const HELP_KEYWORDS = ["help", "info", "ayuda", "aide", "hilfe", "ajuda", "aiuto"];

/** Free-text revocation the FCC says must be honoured ("any reasonable means"), EN/ES/FR/DE. */
export const REVOCATION_PHRASES: RegExp[] = [
  /\b(?:stop|quit|cease|pls stop|please stop) (?:texting|messaging|txting|msging|contacting|calling|spamming|emailing|bothering|sending (?:me )?(?:texts|messages|sms|these|this|promotions|offers|spam))(?: me| us)?\b/g,
  /\b(?:don'?t|do not|never) (?:ever )?(?:text|message|contact|sms|txt|msg) (?:me|us|this number)(?: (?:again|anymore|any more|ever again)\b| ?(?:[.!]|$))/g,
  /\b(?:remove|take|delete|drop) (?:me|my (?:number|phone number|phone|name|email|details)) (?:from|off) (?:your|the|this|all|any) (?:\w+ )?(?:list|lists|database|texts|messages|marketing)\b/g,
  /\b(?:unsubscribe me|opt me out|i (?:want|wish|would like|d like|'d like|need) to (?:unsubscribe|opt out|optout|stop (?:receiving|getting) (?:these|your|texts|messages|sms)))\b/g,
  /\bno more (?:texts|messages|sms|txts|msgs|spam|promotions|marketing)\b|\bstop (?:all |these |the |your )?(?:texts|text messages|messages|sms|msgs|txts|spam|promotions)\b/g,
  /\bi (?:don'?t|do not) want (?:to (?:receive|get) )?(?:any ?more |any )?(?:more )?(?:texts|messages|sms|your messages|these messages)\b/g,
  /\b(?:lose my number|revoke (?:my )?consent|withdraw (?:my )?consent)\b/g,
  /\b(?:deja|dejen|dejad|para|paren|dejar) de (?:enviarme|mandarme|escribirme|llamarme|contactarme)\b|\bno me (?:envies|envien|mandes|manden|escribas|escriban|contactes|contacten) mas\b|\bdarme de baja\b|\b(?:eliminame|borrame|sacame|saquenme|quitenme|quitame|eliminenme|borrenme) de (?:la|su|tu|esta|sus) lista\b|\bno quiero (?:recibir )?mas (?:mensajes|sms|textos)\b/g,
  /\b(?:arretez|arrete|cessez|cesse) de m(?:'| )?(?:envoyer|ecrire|contacter|appeler)\b|\bne m(?:'| )?(?:envoyez|envoie|ecrivez|ecris|contactez) plus\b|\b(?:je veux|je souhaite|je voudrais) me desabonner\b|\bdesabonnez[- ]moi\b|\bretirez[- ]moi de (?:la|votre|vos) listes?\b|\bplus de (?:messages|sms|textos) ?(?:svp|s'il vous plait|merci)?\b/g,
  /\b(?:horen sie auf|hor auf|hort auf),? mir (?:zu schreiben|nachrichten zu (?:senden|schicken)|sms zu schicken)\b|\b(?:schreiben sie|schreib|kontaktieren sie|schicken sie) mir (?:keine (?:nachrichten|sms) )?(?:nicht )?mehr\b|\bkeine (?:nachrichten|sms|werbung) mehr\b|\bich mochte mich abmelden\b|\bloschen sie meine nummer\b|\bnehmen sie mich (?:aus|von) (?:der|ihrer) liste\b/g,
];
