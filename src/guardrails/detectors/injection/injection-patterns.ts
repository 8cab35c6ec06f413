/**
 * Prompt-injection and jailbreak phrasings, matched on the folded view (lower case, no
 * diacritics, homoglyphs/leetspeak/spacing undone), so patterns are written in plain
 * lower-case ASCII. Sources: the OWASP LLM01 examples, public jailbreak collections
 * (DAN, developer mode, grandma) and their Spanish, French and German translations.
 * Weights combine as independent evidence: 1 - (1 - w1)(1 - w2)...
 */
export type InjectionCategory =
  | "override"
  | "roleplay"
  | "extraction"
  | "delimiter"
  | "obfuscation";

export interface InjectionPattern {
  id: string;
  category: InjectionCategory;
  weight: number;
  /** "folded" for phrasings; "raw" for markup, which folding would mangle. */
  view: "folded" | "raw";
  regex: RegExp;
}

/** " " in a phrase allows a few separators or none ("ignoreprevious" after un-spacing). */
function phrase(source: string): RegExp {
  return new RegExp(source.replaceAll(" ", "[\\s,.:;'\"_-]{0,3}"), "g");
}

// Up to six words; the separator is mandatory so a long word cannot be split many ways.
const ANY = "(?:\\w+\\s){0,6}";
const FILLER_EN =
  "(?:(?:all|any|the|your|my|of|these|those|every|previous|prior|above|earlier|preceding|former|initial|original|old|existing|current|system|safety|default) )*";
const RULES_EN =
  "(?:instructions?|prompts?|rules|directions|guidelines|commands|programming|directives|constraints|restrictions|policies|guardrails|filters|context|training)";
const RULES_ES =
  "(?:instrucciones|indicaciones|reglas|ordenes|normas|directrices|restricciones|politicas)";
const RULES_FR = "(?:instructions|consignes|regles|directives|ordres|restrictions)";
const RULES_DE =
  "(?:anweisungen|instruktionen|regeln|befehle|vorgaben|richtlinien|einschrankungen)";
const UNRESTRICTED_ES = "sin (?:ningun[ao]? )?(?:restricciones|reglas|filtros|limites|censura)";
const UNRESTRICTED_FR = "sans (?:aucune? )?(?:restrictions?|regles|filtres?|limites|censure)";
const UNRESTRICTED_DE =
  "ohne (?:jegliche |irgendwelche )?(?:einschrankungen|regeln|filter|grenzen|zensur)";

const folded = (
  id: string,
  category: InjectionCategory,
  weight: number,
  source: string,
): InjectionPattern => ({
  id,
  category,
  weight,
  view: "folded",
  regex: phrase(source),
});

export const INJECTION_PATTERNS: InjectionPattern[] = [
  // English
  folded(
    "en.ignore_rules",
    "override",
    0.9,
    `\\b(?:ignore|disregard|forget|skip|bypass|override|overlook|discard|drop) ${FILLER_EN}${RULES_EN}\\b`,
  ),
  folded(
    "en.forget_everything",
    "override",
    0.75,
    "\\b(?:forget|disregard|ignore) (?:everything|all|whatever) (?:you (?:were|have been) told|(?:i|we) (?:said|told you) before|above|before|so far|up to now)",
  ),
  folded(
    "en.do_not_follow",
    "override",
    0.85,
    `\\b(?:do not|don't|dont|stop) (?:follow|following|obey|obeying|adhere to|adhering to|listen to|listening to) ${FILLER_EN}${RULES_EN}`,
  ),
  folded(
    "en.new_instructions",
    "override",
    0.6,
    "\\b(?:new|updated|real|actual|override|admin|developer) (?:instructions?|rules?|task|system prompt|directive)s? ?:",
  ),
  folded(
    "en.from_now_on",
    "override",
    0.45,
    "\\bfrom now on,? (?:you (?:are|will|must|shall|should|can)|act|respond|answer|ignore)",
  ),
  folded(
    "en.no_longer",
    "override",
    0.8,
    "\\byou (?:are|re) no longer (?:bound|restricted|limited|an? |the |my |your |a customer)",
  ),
  folded(
    "en.disable_safety",
    "override",
    0.85,
    "\\b(?:override|bypass|disable|turn off|deactivate|remove|ignore|circumvent|jailbreak) (?:your |the |all |any )*(?:safety |content |security |ethical |moderation )*(?:filters?|guardrails|restrictions|protocols|moderation|safeguards|safety|limitations)\\b",
  ),
  folded(
    "en.dan",
    "roleplay",
    0.9,
    "\\b(?:do anything now|(?:you are|you're|act as|pretend to be|become|enable|enter) (?:a |an |the )?dan\\b|dan mode|\\bdan prompt)",
  ),
  folded(
    "en.dev_mode",
    "roleplay",
    0.85,
    "\\b(?:developer|dev|god|debug|admin|sudo|jailbreak|unrestricted|unfiltered|dan) mode (?:enabled|activated|is on)\\b",
  ),
  // "How do I enable developer mode on my phone?" is a real support question: weak alone.
  folded(
    "en.enter_mode",
    "roleplay",
    0.4,
    "\\b(?:enable|activate|enter|switch to) (?:god|jailbreak|unrestricted|unfiltered|dan|developer|sudo) mode\\b",
  ),
  // "jailbreak my iPhone" is a support question too, so the word alone is weak evidence.
  folded("en.jailbreak", "roleplay", 0.45, "\\bjail ?broken?\\b|\\bjailbreak\\b"),
  folded(
    "en.say_anything",
    "roleplay",
    0.6,
    "\\byou can (?:now )?(?:say|do|answer) anything\\b|\\bcan do anything now\\b",
  ),
  folded(
    "en.unrestricted_persona",
    "roleplay",
    0.85,
    `\\b(?:pretend|imagine|act|behave|roleplay|role play|respond|answer) ${ANY}(?:without (?:any )?(?:restrictions|rules|filters|limits|limitations|censorship|guidelines|ethics|morals)|unrestricted|unfiltered|uncensored|evil|jailbroken|amoral|no (?:rules|restrictions|limits|filters))`,
  ),
  folded(
    "en.unfiltered_ai",
    "roleplay",
    0.75,
    "\\b(?:unrestricted|unfiltered|uncensored|amoral|evil|jailbroken) (?:ai|assistant|model|chatbot|version|persona|bot|mode)\\b",
  ),
  folded(
    "en.no_rules",
    "roleplay",
    0.45,
    "\\b(?:without|with no|free (?:of|from)) (?:any )?(?:restrictions|filters|censorship|rules|limitations|guidelines|ethical guidelines|safety guidelines)\\b",
  ),
  folded(
    "en.stay_in_character",
    "roleplay",
    0.45,
    "\\b(?:stay|remain|never break) (?:in )?character\\b",
  ),
  folded(
    "en.grandma",
    "roleplay",
    0.6,
    "\\b(?:deceased|late|dead) (?:grandma|grandmother|granny)\\b.{0,60}\\b(?:used to|would) (?:tell|read|recite|give)",
  ),
  folded(
    "en.reveal_prompt",
    "extraction",
    0.9,
    "\\b(?:reveal|show|print|display|output|repeat|tell|give|share|leak|dump|write|send|paste|list|what (?:is|are|was|were)) (?:me |us )?(?:out )?(?:your |the |all )?(?:full |entire |complete |original |hidden |secret |initial |exact |verbatim |internal |confidential )*(?:system|initial|original|hidden|secret|developer|internal|pre|confidential) ?(?:prompt|instructions|message|rules|configuration|directives|guidelines)",
  ),
  folded(
    "en.system_prompt",
    "extraction",
    0.6,
    "\\byour (?:system ?prompt|sys prompt|initial prompt|hidden prompt|prompt instructions)\\b",
  ),
  folded(
    "en.repeat_above",
    "extraction",
    0.8,
    "\\b(?:repeat|print|output|return|recite|echo|copy) (?:back )?(?:everything|all|the (?:text|words|content|message)s?|all (?:the )?text) (?:above|before|prior|preceding|you were given)",
  ),
  folded(
    "en.what_instructions",
    "extraction",
    0.6,
    "\\bwhat (?:were you|have you been) (?:told|instructed|programmed)\\b|\\bwhat (?:are|were) your (?:instructions|rules|directives)\\b",
  ),
  // Spanish
  folded(
    "es.ignore_rules",
    "override",
    0.9,
    `\\b(?:ignora|ignore|ignoren|olvida|olvide|olvidate de|omite|descarta|desobedece|haz caso omiso (?:a|de)) (?:(?:todas?|todos|las|los|tus|sus|mis|cualquier|de|a) )*${RULES_ES}\\b`,
  ),
  folded(
    "es.reveal_prompt",
    "extraction",
    0.85,
    "\\b(?:revela|revelame|muestra|muestrame|dime|ensename|imprime|repite|comparte|escribe)(?: me)? (?:tu|el|las|tus|su|sus) (?:prompt|mensaje|instrucciones)(?: (?:de|del) sistema| iniciales| originales| ocultas| secretas| internas)\\b|\\bprompt del sistema\\b|\\binstrucciones del sistema\\b",
  ),
  folded(
    "es.unrestricted_persona",
    "roleplay",
    0.85,
    `\\b(?:actua|finge|haz de cuenta|imagina|comportate|responde) ${ANY}${UNRESTRICTED_ES}`,
  ),
  folded("es.no_rules", "roleplay", 0.45, `\\b${UNRESTRICTED_ES}\\b`),
  folded(
    "es.dev_mode",
    "roleplay",
    0.85,
    "\\b(?:activa|activar|activad|activo|activado|activada|entra en|entrar en|habilita|habilitar|pasa a|pasar a|cambia a|cambiar a) (?:el |al )?modo (?:desarrollador|dios|sin restricciones|sin censura|dan)\\b|\\bmodo (?:desarrollador|dios|sin restricciones|sin censura|dan) (?:activado|activo|habilitado|encendido)\\b",
  ),
  folded(
    "es.from_now_on",
    "override",
    0.45,
    "\\ba partir de ahora,? (?:eres|seras|vas a|debes|ignora|responde)",
  ),
  folded("es.new_instructions", "override", 0.6, "\\bnuevas (?:instrucciones|reglas|ordenes) ?:"),
  // French
  folded(
    "fr.ignore_rules",
    "override",
    0.9,
    `\\b(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction) (?:(?:de|des|du|d|toutes|tous|les|tes|vos|ces|mes|nos) )*${RULES_FR}\\b`,
  ),
  folded(
    "fr.reveal_prompt",
    "extraction",
    0.85,
    "\\b(?:prompt|invite|message|instructions|consignes) (?:systeme|du systeme|initiales?|d origine|cachees?|secretes?|internes)\\b",
  ),
  folded(
    "fr.unrestricted_persona",
    "roleplay",
    0.85,
    `\\b(?:fais comme si|faites comme si|agis|agissez|joue|jouez|imagine|imaginez|reponds|repondez|comporte toi|comportez vous) ${ANY}${UNRESTRICTED_FR}`,
  ),
  folded("fr.no_rules", "roleplay", 0.45, `\\b${UNRESTRICTED_FR}\\b`),
  folded(
    "fr.dev_mode",
    "roleplay",
    0.85,
    "\\b(?:active|activez|activer|passe en|passez en|passer en|entre en|entrez en|entrer en) (?:le )?mode (?:developpeur|dieu|sans restrictions?|sans censure|dan)\\b|\\bmode (?:developpeur|dieu|sans restrictions?|sans censure|dan) (?:active|enclenche|en marche)\\b",
  ),
  folded(
    "fr.from_now_on",
    "override",
    0.45,
    "\\ba partir de maintenant,? (?:tu es|vous etes|tu vas|vous allez|tu dois|vous devez|ignore)",
  ),
  folded(
    "fr.new_instructions",
    "override",
    0.6,
    "\\bnouvelles (?:instructions|consignes|regles) ?:",
  ),
  // German
  folded(
    "de.ignore_rules",
    "override",
    0.9,
    `\\b(?:ignoriere|ignorier|ignorieren sie|vergiss|vergessen sie|missachte|missachten sie|uberschreibe) (?:(?:alle|die|deine|ihre|bisherigen|vorherigen|obigen|vorigen|fruheren|bisherige|vorherige|obige|deiner|ihrer) )*${RULES_DE}\\b`,
  ),
  folded(
    "de.reveal_prompt",
    "extraction",
    0.85,
    "\\b(?:(?:deinen|ihren|den) system ?prompt|systemanweisungen|systemnachricht|system anweisungen|ursprunglichen anweisungen|versteckten anweisungen|geheimen anweisungen|internen anweisungen)\\b",
  ),
  folded(
    "de.unrestricted_persona",
    "roleplay",
    0.85,
    `\\b(?:tu so als|tun sie so als|tu so|stell dir vor|stellen sie sich vor|spiele|spielen sie|agiere|verhalte dich|antworte) ${ANY}${UNRESTRICTED_DE}`,
  ),
  folded("de.no_rules", "roleplay", 0.45, `\\b${UNRESTRICTED_DE}\\b`),
  folded(
    "de.dev_mode",
    "roleplay",
    0.85,
    "\\b(?:entwicklermodus|entwickler modus|gott modus|gottmodus) (?:aktiviert|aktiv|an|ein|eingeschaltet)\\b|\\b(?:aktiviere|aktivier|aktivieren|starte|wechsle in den|wechsel in den|schalte) (?:den |in den )?(?:entwicklermodus|entwickler modus|gott modus|gottmodus)\\b",
  ),
  folded(
    "de.from_now_on",
    "override",
    0.45,
    "\\bab (?:jetzt|sofort),? (?:bist du|wirst du|musst du|sind sie|ignorierst du|antwortest du)",
  ),
  folded("de.new_instructions", "override", 0.6, "\\bneue (?:anweisungen|regeln|befehle) ?:"),
  // Markup that imitates a chat transcript or a system turn (ChatML, Llama, JSON roles).
  {
    id: "delimiter.chat_tokens",
    category: "delimiter",
    weight: 0.9,
    view: "raw",
    regex:
      /<\|(?:im_start|im_end|system|endoftext|assistant|user|begin_of_text|start_header_id|eot_id)\|>|\[\/?(?:INST|SYS)\]|<<\/?SYS>>|<\/?(?:system|assistant|instructions?|sys)>/gi,
  },
  {
    id: "delimiter.role_json",
    category: "delimiter",
    weight: 0.8,
    view: "raw",
    regex: /["']role["']\s{0,3}:\s{0,3}["'](?:system|developer)["']/gi,
  },
  {
    id: "delimiter.role_header",
    category: "delimiter",
    weight: 0.6,
    view: "raw",
    regex:
      /(?:^|\n)[ \t]{0,8}(?:#{1,4}[ \t]{0,4})?(?:system|developer|admin)(?:[ \t]{1,4}(?:prompt|message|override|instructions?))?[ \t]{0,4}:[ \t]{0,4}\S|(?:^|\n)[ \t]{0,8}#{2,4}[ \t]{0,4}(?:instruction|system|new task)s?\b|```[ \t]{0,4}system/gi,
  },
  {
    id: "delimiter.end_of_input",
    category: "delimiter",
    weight: 0.5,
    view: "folded",
    regex: phrase(
      "\\b(?:end of (?:user |customer )?(?:input|message|prompt|conversation)|(?:user|customer) (?:input|message) (?:ends|ended) here)\\b",
    ),
  },
];
