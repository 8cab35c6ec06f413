/** Problems the API names in a pasted document, and where each points in the text. */

export interface Problem {
  text: string;
  line?: number;
  column?: number;
}

/** The API names each problem `body.document:LINE:COLUMN: field: message`, one a line. */
export function problemsOf(message: string): Problem[] {
  return message.split("\n").map((text) => {
    const at = /^body\.document:(\d+)(?::(\d+))?: /.exec(text);
    return at ? { text, line: Number(at[1]), column: Number(at[2] ?? 1) } : { text };
  });
}

/** Where line `line`, column `column` (both from 1) starts in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}
