import type { EgressFetch } from "../../shared/egress/index.ts";
import type { Digest, NotificationItem, Notifier } from "./notification.ts";
import { digestSummary } from "./notification.ts";
import { postJson } from "./post-json.ts";

/** Slack allows 50 blocks a message; the rest of a storm is counted, not listed. */
const MAX_LISTED = 20;

const ICONS: Record<string, string> = {
  critical: ":red_circle:",
  warning: ":large_orange_circle:",
  info: ":large_blue_circle:",
};

/** `&`, `<` and `>` are control characters in Slack text (api.slack.com/reference/surfaces/formatting#escaping). */
const escapeText = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function itemBlock(item: NotificationItem) {
  const icon = item.type === "alert.resolved" ? ":white_check_mark:" : ICONS[item.severity];
  const incident = item.incidentId ? `\nIncident \`${item.incidentId}\`` : "";
  return {
    type: "section",
    text: {
      type: "mrkdwn",
      // A section's text may be 3000 characters long.
      text: cut(`${icon} *${escapeText(item.title)}*\n${escapeText(item.text)}${incident}`, 3000),
    },
  };
}

/** A Slack incoming-webhook message: a header, one section per item, a count of the rest. */
export function slackPayload(digest: Digest) {
  const summary = `Mainstay: ${digestSummary(digest)}`;
  const listed = digest.items.slice(0, MAX_LISTED);
  const unlisted = digest.items.length - listed.length + digest.more;
  return {
    text: summary,
    blocks: [
      // Header text is plain text of at most 150 characters.
      { type: "header", text: { type: "plain_text", text: cut(summary, 150) } },
      ...listed.map(itemBlock),
      ...(unlisted > 0
        ? [{ type: "context", elements: [{ type: "mrkdwn", text: `…and ${unlisted} more` }] }]
        : []),
    ],
  };
}

export function slackNotifier(destination: { url: string }, send?: EgressFetch): Notifier {
  return {
    send: (digest, signal) =>
      postJson(destination.url, JSON.stringify(slackPayload(digest)), {}, signal, send),
  };
}
