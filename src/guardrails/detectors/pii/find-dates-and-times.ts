/**
 * Dates and clock times, which share digits and separators with phone numbers
 * ("2018-02-24 12:45:18" reads as a US number, "02.03.2018" as one in Duisburg). Day-month
 * forms must keep one separator and end there, so "06.12.34.56.78" stays a French number.
 */
const DATE_OR_TIME = new RegExp(
  [
    // ISO 8601 date, optionally with its time and zone.
    String.raw`(?<![\d.\/-])(?:1[89]|2\d)\d{2}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d.\/-]?\d)`,
    // 24.02.2018, 02/24/18, 24-02-2018, optionally with a time.
    String.raw`(?<![\d.\/-])(?:[0-3]?\d)([.\/-])(?:[0-3]?\d)\1(?:\d{4}|\d{2})(?:,? \d{1,2}[:h.]\d{2}(?::\d{2})?)?(?![\d.\/-]?\d)`,
    // 12:45, 12:45:18, 12h45.
    String.raw`(?<![\d:])\d{1,2}[:h]\d{2}(?::\d{2})?(?![\d:])`,
  ].join("|"),
  "g",
);

/** The text with every date and time blanked out, offsets unchanged. */
export function blankDatesAndTimes(text: string): string {
  return text.replace(DATE_OR_TIME, (match) => " ".repeat(match.length));
}
