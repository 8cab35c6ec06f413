/**
 * What the built-in agent recognises before searching the knowledge base.
 * Patterns run on lower-cased text with punctuation and emoji turned into spaces.
 */
export type Intent = "customer_request" | "greeting" | "thanks";

const PERSON =
  "(?:human|person|agent|representative|rep|operator|staff|employee|advisor|manager|supervisor)";
const ARTICLE = "(?:a |an |the |your )";
const SOMEONE = `(?:someone|somebody|anyone|${PERSON}|(?:customer )?(?:service|support)(?: team)?)`;

const HUMAN_REQUEST = [
  // "agent", "human please", "a real person now": the whole message is the request.
  new RegExp(`^(?:a |an )?(?:real |live |actual )?${PERSON}(?: please| pls| now)*$`),
  new RegExp(
    `\\b(?:talk|speak|chat)(?: \\w+){0,3} (?:to|with) ${ARTICLE}?(?:real |live )?${SOMEONE}\\b`,
  ),
  new RegExp(
    `\\b(?:connect|transfer|put) me (?:\\w+ )?(?:to|with) ${ARTICLE}?(?:real |live )?${SOMEONE}\\b`,
  ),
  new RegExp(`\\b(?:want|need|get) ${ARTICLE}(?:real |live |actual )?${PERSON}\\b`),
  /\b(?:real|live|actual) (?:human|person|agent)\b/,
  /\bhuman being\b/,
  // Spanish: the greeting list already answers "hola".
  /\bhablar con (?:una persona|un humano|un agente|alguien)\b/,
];

const GREETING =
  /^(?:(?:hi+|hel+o+|hey+|hiya|howdy|hola|yo|greetings|good (?:morning|afternoon|evening)|morning|buenos dias|buenas)(?: there| team| all| everyone)? ?)+$/;

// "thanks", "ok thank you", "great, bye": closing small talk is answered, not handed off.
const THANKS =
  /^(?:(?:ok(?:ay)?|great|perfect|cool|awesome|nice|got it|that helps|that s all|many|thanks?|thank you|thx|ty|cheers|much appreciated|appreciate it|bye|goodbye|see you|have a (?:good|nice) (?:day|one)|gracias|merci|danke)(?: so much| a lot| very much)? ?)+$/;

export function detectIntent(text: string): Intent | null {
  const plain = text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (HUMAN_REQUEST.some((pattern) => pattern.test(plain))) return "customer_request";
  if (GREETING.test(plain)) return "greeting";
  if (THANKS.test(plain)) return "thanks";
  return null;
}
