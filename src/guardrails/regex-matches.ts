/**
 * Every match of a global regex in `text`, as `text.matchAll(regex)` gives them, without
 * its cost: matchAll clones the regex on each call (RegExp species construction) and
 * wraps the matches in an iterator, which on long emails was a fifth of all the memory a
 * check allocated. This walks the regex's own `lastIndex`, so it must not be re-entered
 * with the same regex from inside a loop over its result (the result is a plain array,
 * complete before the caller sees it).
 */
export function matchesOf(regex: RegExp, text: string): RegExpExecArray[] {
  if (!regex.global) throw new TypeError(`matchesOf needs a global regex: ${regex}`);
  const found: RegExpExecArray[] = [];
  const unicode = regex.unicode || (regex as { unicodeSets?: boolean }).unicodeSets === true;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    found.push(m);
    // An empty match would be found again at the same place: step past it, as matchAll does.
    if (m[0].length === 0) regex.lastIndex = advance(text, regex.lastIndex, unicode);
  }
  return found;
}

function advance(text: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= text.length) return at + 1;
  const code = text.charCodeAt(at);
  const next = text.charCodeAt(at + 1);
  const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return at + (pair ? 2 : 1);
}
