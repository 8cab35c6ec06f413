interface Span {
  start: number;
  end: number;
}

/**
 * Keeps one span of each overlapping group, preferring spans that come earlier in the
 * input (callers list more specific detections first). O(n log n) so a text with
 * thousands of candidates stays fast.
 */
export function dropOverlaps<T extends Span>(spans: T[]): T[] {
  const ranked = spans.map((span, rank) => ({ span, rank }));
  ranked.sort((a, b) => a.span.start - b.span.start || a.rank - b.rank);
  const kept: { span: T; rank: number }[] = [];
  for (const item of ranked) {
    const last = kept[kept.length - 1];
    if (!last || last.span.end <= item.span.start) kept.push(item);
    else if (item.rank < last.rank) kept[kept.length - 1] = item;
  }
  return kept.map((k) => k.span);
}
