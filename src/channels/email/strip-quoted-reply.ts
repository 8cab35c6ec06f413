/**
 * Outlook quotes nothing with ">": the earlier message follows a header block, so the first
 * of these lines starts the history and everything below it goes.
 */
const ORIGINAL_MESSAGE = /^-{2,}\s*Original Message\s*-{2,}$/i;
const OUTLOOK_FROM = /^\*?From:\*?\s/i;
const OUTLOOK_SENT = /^\*?(Sent|Date):\*?\s/i;

/**
 * The attribution line Gmail, Apple Mail and Thunderbird put above a ">"-quoted message
 * ("On Mon, 5 Jan 2026 at 10:02, Acme <support@acme.example> wrote:"), in the languages
 * customers write to us most; clients wrap it over up to three lines. It always carries a
 * date, which keeps "On Monday I wrote:" in the customer's own text.
 */
const ATTRIBUTION = /^(On|Am|Le|El|Op)\s(?=.*\d).+\s(wrote|schrieb|a écrit|escribió|schreef)\s?:$/i;
const ATTRIBUTION_MAX_LINES = 3;

/** RFC 3676 section 4.3 signature separator ("-- "; some clients drop the space). */
const SIGNATURE_SEPARATOR = /^-- ?$/;

/** Footers mobile clients append below the text, and Outlook's rule above its quote. */
const TRAILING_NOISE = [
  /^Sent from my \S.{0,40}$/i,
  /^Sent from \S.{0,30} for \S.{0,40}$/i,
  /^Get Outlook for \S.{0,80}$/i,
  /^_{8,}$/,
];

/**
 * The text the customer wrote in a reply: quoted history (">" lines, "On ... wrote:"
 * attributions, Outlook's original-message block), the signature and mobile footers
 * removed. Answers written between quoted lines are kept. When nothing is left (a reply
 * that only quotes), the whole text is returned so no message arrives empty.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const own = lines.slice(0, outlookHistoryStart(lines));
  const unquoted = withoutQuotes(own);
  const signature = unquoted.findIndex((line) => SIGNATURE_SEPARATOR.test(line));
  const body = signature === -1 ? unquoted : unquoted.slice(0, signature);
  while (body.length > 0 && isTrailingNoise(body.at(-1)!)) body.pop();
  const result = body
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return result || text.trim();
}

function outlookHistoryStart(lines: string[]): number {
  const start = lines.findIndex((line, i) => {
    const trimmed = line.trim();
    if (ORIGINAL_MESSAGE.test(trimmed)) return true;
    return (
      OUTLOOK_FROM.test(trimmed) &&
      lines.slice(i + 1, i + 4).some((next) => OUTLOOK_SENT.test(next.trim()))
    );
  });
  return start === -1 ? lines.length : start;
}

/** Drops ">" lines and the attribution lines above them. */
function withoutQuotes(lines: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimStart().startsWith(">")) continue;
    const attribution = attributionLength(lines, i);
    if (attribution > 0) {
      i += attribution - 1;
      continue;
    }
    kept.push(lines[i]!);
  }
  return kept;
}

function attributionLength(lines: string[], start: number): number {
  for (let n = 1; n <= ATTRIBUTION_MAX_LINES && start + n <= lines.length; n++) {
    const joined = lines
      .slice(start, start + n)
      .map((line) => line.trim())
      .join(" ");
    if (ATTRIBUTION.test(joined)) return n;
  }
  return 0;
}

function isTrailingNoise(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === "" || TRAILING_NOISE.some((pattern) => pattern.test(trimmed));
}
