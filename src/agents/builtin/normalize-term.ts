/**
 * Term normalisation shared by the knowledge-base index and its queries: lower case, drop
 * stop words, then a light suffix stemmer. Both sides must go through the same function,
 * otherwise "phones" in a question would never meet "phone" in a message.
 */

/**
 * NLTK's English stop-word list (the contraction stubs "don", "t", "ll"... are what the
 * punctuation tokenizer leaves of "don't", "we'll"), plus chat filler that says nothing
 * about the topic ("hi", "please", "thanks", "wondering").
 */
const STOP_WORDS = new Set(
  `a about above after again against ain all am an and any are aren as at be because been
  before being below between both but by can couldn d did didn do does doesn doing don down
  during each few for from further had hadn has hasn have haven having he her here hers
  herself him himself his how i if in into is isn it its itself just ll m ma me mightn more
  most mustn my myself needn no nor not now o of off on once only or other our ours ourselves
  out over own re s same shan she should shouldn so some such t than that the their theirs
  them themselves then there these they this those through to too under until up ve very was
  wasn we were weren what when where which while who whom why will with won wouldn y you
  your yours yourself yourselves
  also anyone could get got guys hello help hey hi hiya hola howdy im ive dont cant doesnt
  know like many need new ok okay please pls plz question thank thanks thx tell u us want wanna wonder
  wondering would yeah yes yo`.split(/\s+/),
);

/** The term to index or query for `token`, or null when it carries no meaning. */
export function normalizeTerm(token: string): string | null {
  const term = token.toLowerCase();
  if (term.length < 2 || STOP_WORDS.has(term)) return null;
  return stem(term);
}

/**
 * A deliberately small stemmer (a few of Porter's step 1 rules): plurals, -ing/-ed, a
 * final -e. Over-stemming is harmless because queries are stemmed the same way; the
 * point is only that "charges", "charged" and "charging" meet "charge".
 */
function stem(term: string): string {
  let t = stripPlural(term);
  const verb = /^(.{3,}?)(?:ing|ed)$/.exec(t);
  if (verb?.[1] && /[aeiouy]/.test(verb[1])) {
    t = verb[1];
    // "shipping" -> "shipp" -> "ship"; Porter keeps l, s, z doubled ("fall", "pass").
    if (/([^aeioulsz])\1$/.test(t)) t = t.slice(0, -1);
  }
  return t.length > 3 && t.endsWith("e") ? t.slice(0, -1) : t;
}

function stripPlural(t: string): string {
  if (t.length > 4 && t.endsWith("ies")) return `${t.slice(0, -3)}y`;
  if (t.endsWith("sses") || /(?:x|ch|sh)es$/.test(t)) return t.slice(0, -2);
  if (t.length > 3 && t.endsWith("s") && !/(?:ss|us|is)$/.test(t)) return t.slice(0, -1);
  return t;
}
