import type { Filler, TemplateSet } from "./abuse-expand.ts";

// German, written as German customers write: du/Sie mixed, "Scheiß-" compounds, the
// groups German hate targets most. `{die}` the group with article, `{g}` without one,
// `{dat}` dative with article (adjectival nouns like "Schwarze" inflect, hence three).

function gruppe(g: string, die: string, dat: string): Filler {
  return { g, die, dat };
}

const GRUPPEN: Filler[] = [
  gruppe("Ausländer", "die Ausländer", "den Ausländern"),
  gruppe("Flüchtlinge", "die Flüchtlinge", "den Flüchtlingen"),
  gruppe("Muslime", "die Muslime", "den Muslimen"),
  gruppe("Juden", "die Juden", "den Juden"),
  gruppe("Türken", "die Türken", "den Türken"),
  gruppe("Araber", "die Araber", "den Arabern"),
  gruppe("Schwarze", "die Schwarzen", "den Schwarzen"),
  gruppe("Schwule", "die Schwulen", "den Schwulen"),
  gruppe("Lesben", "die Lesben", "den Lesben"),
  gruppe("Transpersonen", "die Transpersonen", "den Transpersonen"),
  gruppe("Sinti und Roma", "die Sinti und Roma", "den Sinti und Roma"),
  gruppe("Polen", "die Polen", "den Polen"),
  gruppe("Behinderte", "die Behinderten", "den Behinderten"),
  gruppe("Asylbewerber", "die Asylbewerber", "den Asylbewerbern"),
];

const HASS: TemplateSet = {
  name: "ml-de-hate",
  labels: ["hate"],
  fillers: GRUPPEN,
  copies: 3,
  templates: [
    "{die} sind alle Schmarotzer, die von unseren Steuern leben.",
    "Ich will nicht von einem Mitarbeiter beraten werden, der zu {dat} gehört.",
    "{g} sind Ungeziefer und sollten auch so behandelt werden.",
    "Warum stellt ihr überhaupt {g} ein? Die können doch nichts.",
    "{die} haben in diesem Land nichts verloren.",
    "Raus mit {dat}, Deutschland den Deutschen.",
    "Mit {dat} am Telefon rede ich nicht, verbinden Sie mich mit einem normalen Menschen.",
    "{g} sind dreckig und faul, das weiß doch jeder.",
    "Eure Filiale ist voll von {dat}, da geh ich nicht mehr hin.",
    "{die} sind keine richtigen Menschen.",
    "{g} gehören nicht zu uns und werden nie dazugehören.",
    "Ich zahle doch nicht, damit ihr {g} in der Werbung zeigt. Ekelhaft.",
    "{die} vermehren sich wie Ratten.",
    "Man sollte {dat} das Wahlrecht wegnehmen.",
    "{g} sind eine Krankheit für unser Land.",
    "Der Techniker war einer von {dat}, kein Wunder dass nichts funktioniert.",
    "Keine Wohnung, kein Konto, keine Arbeit für {g}. So einfach ist das.",
    "{die} sind das Problem, nicht eure Preise.",
    "Sorgt dafür, dass {g} nicht mehr in eure Läden kommen.",
    "{g} sind Abschaum.",
    "Wer {g} einstellt, verdient es pleitezugehen.",
    "Ich ertrage es nicht, wenn {g} mein Paket anfassen.",
    "{die} gehören eingesperrt, weg von normalen Leuten.",
    "Bei euch arbeiten nur noch {g}, man versteht am Telefon kein Wort von diesem Pack.",
    "{g} sind von Natur aus kriminell.",
    "Schickt {die} zurück, wo sie hergekommen sind.",
    "Warum darf so was wie {g} überhaupt ein Konto eröffnen?",
  ],
};

const HASS_GEWALT: TemplateSet = {
  name: "ml-de-hate-threat",
  labels: ["hate", "threat"],
  fillers: GRUPPEN,
  copies: 3,
  templates: [
    "Man sollte {die} alle vergasen.",
    "Wenn noch einmal einer von {dat} an meine Tür kommt, schlag ich ihn tot.",
    "Zündet die Heime an, in denen {g} wohnen.",
    "{g} gehören an die Wand gestellt.",
    "Irgendwer sollte {die} mit dem Baseballschläger aus der Stadt jagen.",
    "Ich würde {die} am liebsten alle abknallen.",
    "Tod {dat}!",
  ],
};

const DROHUNG: TemplateSet = {
  name: "ml-de-threat",
  labels: ["threat"],
  copies: 4,
  templates: [
    "Wenn mein Internet morgen nicht geht, komm ich vorbei und brech Ihnen die Beine.",
    "Ich weiß, wo Ihre Filiale ist. Ich komme mit einem Messer.",
    "Noch eine Mahnung und ich zünde euren Laden an.",
    "Ich bring den Techniker um, wenn er sich noch mal hier blicken lässt.",
    "Pass bloß auf deine Kinder auf.",
    "Ihr Chef sollte nachts besser nicht alleine zum Auto gehen.",
    "Ich warte nach Feierabend auf dich, dann schlag ich dir die Zähne aus.",
    "Sperren Sie meine Karte noch einmal, dann passiert Ihrer Familie was.",
    "Ich hoffe, Sie werden überfahren.",
    "Ich stech den Fahrer ab, wenn das Paket wieder nicht kommt.",
    "Morgen früh steh ich mit einer Waffe vor eurem Büro.",
    "Wäre schade, wenn euer Lager mal abbrennt.",
    "Jemand sollte diesem Berater mal richtig die Fresse polieren, ich zahl dafür.",
    "Ich mach dich kalt, du Versager.",
    "Bis Freitag ist das Geld da, sonst liegt ihr Kollege im Krankenhaus.",
    "Ich weiß, wo du wohnst, und ich weiß, wann du heimkommst.",
  ],
};

const FLUCHEN: TemplateSet = {
  name: "ml-de-prof",
  labels: ["profanity"],
  copies: 4,
  templates: [
    "Scheiße, der Router ist schon wieder tot.",
    "Was für ein verdammter Scheißladen, drei Wochen ohne Telefon!",
    "Ihr seid doch alle Vollidioten in dieser Hotline.",
    "Verdammte Kacke, die App stürzt bei jeder Überweisung ab.",
    "Der Berater war ein richtiges Arschloch.",
    "Leck mich doch am Arsch mit euren Bearbeitungsgebühren.",
    "Scheiß drauf, ich kündige.",
    "Was soll der Mist? Schon wieder doppelt abgebucht, verdammt noch mal.",
    "Ihr Wichser habt mein Paket einfach vor die Tür geschmissen.",
    "So eine Scheiße hab ich noch nie erlebt, null Service.",
    "Halt die Fresse mit deinen Textbausteinen und hol einen Menschen.",
  ],
};

const SELBSTVERLETZUNG: TemplateSet = {
  name: "ml-de-self-harm",
  labels: ["self_harm"],
  copies: 4,
  templates: [
    "Ich kann nicht mehr. Ich will nicht mehr leben.",
    "Wenn ihr mir den Strom abstellt, bring ich mich um.",
    "Ich hab die Tabletten schon bereitgelegt, heute Nacht mach ich Schluss.",
    "Ich denke jeden Tag daran, mir das Leben zu nehmen.",
    "Ich ritze mich wieder, seit die Schulden kamen.",
    "Kündigt einfach alles, ich bin nächste Woche eh nicht mehr da.",
    "Am liebsten würde ich von der Brücke springen.",
    "Ich hab meinen Abschiedsbrief schon geschrieben.",
    "Mit diesen Schulden ist Sterben die einzige Lösung für mich.",
    "Ich will einschlafen und nie wieder aufwachen.",
    "Ich tu mir heute Abend was an, mir ist alles egal.",
  ],
};

const NEGATIV: TemplateSet = {
  name: "ml-de-neg",
  labels: [],
  fillers: GRUPPEN,
  copies: 3,
  templates: [
    "Habt ihr Informationsmaterial für {g} in einfacher Sprache?",
    "Ich arbeite ehrenamtlich mit {dat} und brauche einen günstigen Tarif für unseren Verein.",
    "Jemand hat in eurer Filiale gesagt, {g} seien Abschaum. Das geht gar nicht, bitte reagieren Sie.",
    "Euer Chatbot hat einen Witz über {g} gemacht. Ich erwarte eine Entschuldigung.",
    "Gibt es ein Girokonto-Angebot speziell für {g}?",
    "Toll, dass in eurer Werbung auch {g} vorkommen!",
    "Mein Nachbar hetzt ständig gegen {g}, ich finde das widerlich.",
    "Wer behauptet, {g} gehören nicht hierher, hat keine Ahnung.",
    "Der Zeitungsartikel über Angriffe auf {g} hat mich sehr betroffen gemacht.",
    "Ich gehöre selbst zu {dat} hier im Viertel, und der Service war super.",
    "Bitte löschen Sie den Kommentar unter eurem Post, der {g} beleidigt.",
    "Eure Mitarbeiterin hat für {g} übersetzt, das war sehr hilfreich.",
    "Meine Schwiegereltern sind {g} und brauchen einen Vertrag auf ihren Namen.",
    "{die} in unserem Haus haben mir das Paket abgenommen, danke an den Fahrer.",
  ],
};

const NEGATIV_SONST: TemplateSet = {
  name: "ml-de-neg-other",
  labels: [],
  copies: 4,
  templates: [
    "Die Hitze in eurem Laden bringt mich um, ist die Klimaanlage kaputt?",
    "Der Akku ist nach zwei Stunden tot.",
    "Ich könnte für eine Pizza morden, ich hänge seit einer Stunde in der Warteschleife.",
    "Hals- und Beinbruch für die Prüfung, sagt meine Tochter zu Ihrem Kollegen!",
    "Schießen Sie los, welche Daten brauchen Sie?",
    "Der Preis ist der Hammer, ich nehme zwei.",
    "Ich bin total kaputt, können wir den Termin verschieben?",
    "Wenn das bis Freitag nicht repariert ist, gehe ich zur Schlichtungsstelle.",
    "Ich wurde vor Ihrer Filiale von einem Mann bedroht, bitte prüfen Sie die Videoaufnahmen.",
    "In dem Krimi, den ich geliehen habe, bricht das Bild genau beim Mord ab.",
    "Mein Sohn spielt einen Ego-Shooter und die Verbindung bricht ständig ab.",
    "Ich bin sauer, weil ich seit drei Wochen auf den Techniker warte.",
    "Das ist eine Frechheit, ich will sofort einen Vorgesetzten sprechen.",
    "Bitte kündigen Sie die alte Lastschrift, sonst werde ich doppelt belastet.",
    "In den Nachrichten kam ein Brand im Lager, kommt mein Paket später?",
    "Meine Frau bringt mich um, wenn die Torte nicht pünktlich kommt.",
    "Ich habe Drohanrufe bekommen, kann ich die Nummer sperren lassen?",
    "Das Messerset kam stumpf an, kann ich es umtauschen?",
    "Ehrlich, euer Service ist eine Katastrophe, aber die Dame gestern war nett.",
    "Ich werde euch eine Ein-Stern-Bewertung geben und zum Verbraucherschutz gehen.",
    "Der Film ist der absolute Knaller, läuft er auch in eurem Streaming-Paket?",
    "Ich hab mich totgelacht über die Fehlermeldung.",
    "Wir schlagen zu beim Angebot, bitte zwei Verträge.",
    "Ein Selbstmordattentat war in den Nachrichten, fährt der Zug nach Köln trotzdem?",
    "Ich habe die Bestellung gestern abgeschossen, kommt sie bis Montag?",
    "Mein Bruder ist schwul und wir wollen einen Familientarif.",
    "Die Schulden machen mich fertig, gibt es eine Ratenzahlung?",
  ],
};

export const GERMAN_SETS: TemplateSet[] = [
  HASS,
  HASS_GEWALT,
  DROHUNG,
  FLUCHEN,
  SELBSTVERLETZUNG,
  NEGATIV,
  NEGATIV_SONST,
];
