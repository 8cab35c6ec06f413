/**
 * Just enough of the JavaScript regex grammar (ECMA-262 §22.2.1) to tell which literal
 * characters a match must contain (regex-prefilter.ts). Anything that stands for an
 * unknown character (classes such as \w, `.`, negated sets, back references) becomes
 * `any`, and assertions (\b, ^, lookarounds) become `empty`; syntax it does not know gives
 * undefined, which the caller treats as "may match anything".
 */
export type RegexNode =
  /** One code unit, one of these. */
  | { kind: "chars"; chars: string[] }
  /** One code unit that could be anything, as far as literals go. */
  | { kind: "any" }
  /** Matches no characters (assertions). */
  | { kind: "empty" }
  | { kind: "sequence"; items: RegexNode[] }
  | { kind: "alternation"; items: RegexNode[] }
  | { kind: "repeat"; item: RegexNode; min: number; max: number };

/** Character sets larger than this count as `any`: they say little about the text. */
const MAX_SET = 8;
const ANY: RegexNode = { kind: "any" };
const EMPTY: RegexNode = { kind: "empty" };
const CLASS_ESCAPES = new Set([..."dDsSwW"]);
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", v: "\v", f: "\f" };

class Unsupported extends Error {}

export function parseRegex(source: string): RegexNode | undefined {
  const parser = new Parser(source);
  try {
    const node = parser.disjunction();
    return parser.done() ? node : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class Parser {
  private at = 0;
  constructor(private readonly source: string) {}

  done(): boolean {
    return this.at === this.source.length;
  }

  disjunction(): RegexNode {
    const items = [this.alternative()];
    while (this.peek() === "|") {
      this.at++;
      items.push(this.alternative());
    }
    return items.length === 1 ? items[0]! : { kind: "alternation", items };
  }

  private alternative(): RegexNode {
    const items: RegexNode[] = [];
    while (!this.done() && this.peek() !== "|" && this.peek() !== ")") {
      items.push(this.quantified(this.term()));
    }
    return { kind: "sequence", items };
  }

  private term(): RegexNode {
    const c = this.next();
    if (c === "^" || c === "$") return EMPTY;
    if (c === ".") return ANY;
    if (c === "(") return this.group();
    if (c === "[") return this.characterClass();
    if (c === "\\") return this.escape();
    if (c === "*" || c === "+" || c === "?" || c === ")") throw new Unsupported();
    return this.literal(c);
  }

  private group(): RegexNode {
    let zeroWidth = false;
    if (this.source.startsWith("?:", this.at)) this.at += 2;
    else if (/^\?<?[=!]/.test(this.source.slice(this.at, this.at + 3))) {
      this.at += this.source[this.at + 1] === "<" ? 3 : 2;
      zeroWidth = true;
    } else if (this.source.startsWith("?<", this.at)) {
      const end = this.source.indexOf(">", this.at);
      if (end < 0) throw new Unsupported();
      this.at = end + 1;
    } else if (this.peek() === "?") throw new Unsupported();
    const inner = this.disjunction();
    if (this.next() !== ")") throw new Unsupported();
    return zeroWidth ? EMPTY : inner;
  }

  private characterClass(): RegexNode {
    const negated = this.peek() === "^";
    if (negated) this.at++;
    const chars = new Set<string>();
    let unknown = negated;
    while (this.peek() !== "]") {
      const first = this.classAtom();
      if (this.peek() === "-" && this.source[this.at + 1] !== "]") {
        this.at++;
        const last = this.classAtom();
        if (first === undefined || last === undefined || !addRange(chars, first, last))
          unknown = true;
      } else if (first === undefined) unknown = true;
      else chars.add(first);
      if (chars.size > MAX_SET) unknown = true;
    }
    this.at++;
    return unknown ? ANY : { kind: "chars", chars: [...chars] };
  }

  /** One character of a class, or undefined for a class escape such as \d. */
  private classAtom(): string | undefined {
    const c = this.next();
    if (c !== "\\") return c;
    const e = this.next();
    if (CLASS_ESCAPES.has(e) || e === "p" || e === "P") {
      if (e === "p" || e === "P") this.skipBraces();
      return undefined;
    }
    if (e === "b") return "\b";
    return this.escapedCharacter(e);
  }

  private escape(): RegexNode {
    const e = this.next();
    if (e === "b" || e === "B") return EMPTY;
    if (CLASS_ESCAPES.has(e)) return ANY;
    if (e === "p" || e === "P") {
      this.skipBraces();
      return ANY;
    }
    if (e === "k") {
      const end = this.source.indexOf(">", this.at);
      if (end < 0) throw new Unsupported();
      this.at = end + 1;
      return ANY;
    }
    if (/[1-9]/.test(e)) {
      while (/[0-9]/.test(this.peek())) this.at++;
      return ANY;
    }
    return this.literal(this.escapedCharacter(e));
  }

  private escapedCharacter(e: string): string {
    if (e in CONTROL_ESCAPES) return CONTROL_ESCAPES[e]!;
    if (e === "0" && !/[0-9]/.test(this.peek())) return "\0";
    if (e === "x") return String.fromCharCode(this.hex(2));
    if (e === "u") {
      if (this.peek() === "{") throw new Unsupported();
      return String.fromCharCode(this.hex(4));
    }
    if (e === "c" || /[0-9]/.test(e)) throw new Unsupported();
    return e;
  }

  private hex(digits: number): number {
    const text = this.source.slice(this.at, this.at + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text)) throw new Unsupported();
    this.at += digits;
    return Number.parseInt(text, 16);
  }

  private skipBraces(): void {
    if (this.peek() !== "{") throw new Unsupported();
    const end = this.source.indexOf("}", this.at);
    if (end < 0) throw new Unsupported();
    this.at = end + 1;
  }

  /** Surrogates stand for code points only in `u` mode: too subtle to be worth it here. */
  private literal(c: string): RegexNode {
    const code = c.charCodeAt(0);
    return code >= 0xd800 && code <= 0xdfff ? ANY : { kind: "chars", chars: [c] };
  }

  private quantified(item: RegexNode): RegexNode {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*" || c === "+" || c === "?") {
      this.at++;
      min = c === "+" ? 1 : 0;
      max = c === "?" ? 1 : Number.POSITIVE_INFINITY;
    } else {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!braces) return item;
      this.at += braces[0].length;
      min = Number(braces[1]);
      max =
        braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : Number.POSITIVE_INFINITY;
    }
    if (this.peek() === "?") this.at++;
    return { kind: "repeat", item, min, max };
  }

  private peek(): string {
    return this.source[this.at] ?? "";
  }

  private next(): string {
    if (this.done()) throw new Unsupported();
    return this.source[this.at++]!;
  }
}

/** Adds a range of a class; false when it is too wide to be worth listing. */
function addRange(chars: Set<string>, first: string, last: string): boolean {
  const from = first.charCodeAt(0);
  const to = last.charCodeAt(0);
  if (to - from >= MAX_SET) return false;
  for (let code = from; code <= to; code++) chars.add(String.fromCharCode(code));
  return true;
}
