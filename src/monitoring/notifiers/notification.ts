import type { IncidentSeverity } from "../../store/index.ts";

export type Severity = IncidentSeverity;

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

/** Something a team should hear about: an alert firing or resolving, a rollback, ... */
export interface NotificationItem {
  /** `alert.firing`, `alert.resolved`, or the sender's own (`rollout.rolled_back`). */
  type: string;
  severity: Severity;
  /** One line, read first. */
  title: string;
  /** A few lines of detail. */
  text: string;
  labels: Record<string, string>;
  incidentId: string | null;
  /** Epoch milliseconds. */
  at: number;
  /** Machine-readable details (rule, metric, value, threshold, ...). */
  data: Record<string, unknown>;
}

/** One message to one destination carrying every item due (a storm is one message). */
export interface Digest {
  /** Stable across retries of the same send, so receivers can drop a duplicate. */
  id: string;
  items: NotificationItem[];
  /** Items left for the next message when a storm overflows one. */
  more: number;
}

/** A destination: a generic webhook, Slack or email. */
export interface Notifier {
  send(digest: Digest, signal: AbortSignal): Promise<void>;
}

/** "2 firing, 1 resolved" style summary of a digest's items. */
export function digestSummary(digest: Digest): string {
  const counts = new Map<string, number>();
  for (const item of digest.items) {
    const kind = item.type.startsWith("alert.") ? item.type.slice(6) : item.type;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const parts = [...counts].map(([kind, n]) => `${n} ${kind}`);
  if (digest.more > 0) parts.push(`${digest.more} more`);
  return parts.join(", ");
}

/** The item to lead with: the most severe, earliest first. */
export function leadItem(digest: Digest): NotificationItem {
  return [...digest.items].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.at - b.at,
  )[0]!;
}
