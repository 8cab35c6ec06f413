/**
 * A label value drawn from an open set (vendor error codes, finding types): the first
 * `cap` distinct values are kept as they are, any later one becomes `other`, so a vendor
 * inventing codes cannot grow the number of series without bound.
 */
export function boundedLabel(cap: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= cap) return "other";
    seen.add(value);
    return value;
  };
}
