import { z } from "zod";
import type { Screening, ScreenMessage } from "../conversations/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { mergeScreenings } from "./merge-screenings.ts";
import { refuses } from "./openai-error.ts";

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
});

/**
 * The fields of a chat completion request the proxy reads; every other field is passed
 * upstream untouched, so new OpenAI parameters work without a release of Mainstay.
 */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  n: z.number().int().nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});
export type ChatRequest = z.output<typeof chatRequestSchema>;
type ChatMessage = ChatRequest["messages"][number];

/** The channel type policies see for proxied traffic (`channels: [proxy]` scopes a rule). */
export const PROXY_CHANNEL_TYPE = "proxy";

export type ScreenedRequest =
  | { kind: "refused"; inbound: Screening }
  /** `changed`: the policy rewrote a message, so `body` is not the client's own. */
  | { kind: "forward"; inbound: Screening; body: ChatRequest; changed: boolean };

/**
 * Apply the inbound policy to the last user message. Earlier user messages get only its
 * redactions: the client resends its own unredacted history each turn, and without this
 * a card number redacted once would reach the upstream model on the next request.
 */
export function screenRequest(body: ChatRequest, screen: ScreenMessage): ScreenedRequest {
  const last = body.messages.findLastIndex((m) => m.role === "user");
  if (last === -1) {
    throw new MainstayError("MS_PROXY_NO_USER_MESSAGE", "messages must include a user message");
  }
  const check = (text: string) =>
    screen({ direction: "inbound", channel: PROXY_CHANNEL_TYPE, text });
  let inbound: Screening | undefined;
  let changed = false;
  const messages = body.messages.map((message, i) => {
    if (message.role !== "user") return message;
    const screened = screenContent(message, check);
    const pick = i === last ? (s: Screening) => s.text : (s: Screening) => s.redacted;
    if (i === last) inbound = screened.screening;
    if (!screened.changes(pick)) return message;
    changed = true;
    return { ...message, content: screened.content(pick) };
  });
  const screening = inbound!; // set by the map above: `last` is a user message
  if (refuses(screening)) return { kind: "refused", inbound: screening };
  if (!changed) return { kind: "forward", inbound: screening, body, changed };
  return { kind: "forward", inbound: screening, body: { ...body, messages }, changed };
}

/**
 * A message's text screened; multi-part content (text beside images) is checked part by
 * part so each part keeps its place, and reported as one screening of the joined text.
 */
function screenContent(message: ChatMessage, check: (text: string) => Screening) {
  const { content } = message;
  if (typeof content === "string" || content == null) {
    const screening = check(content ?? "");
    return {
      screening,
      changes: (pick: (s: Screening) => string) => content != null && pick(screening) !== content,
      content: (pick: (s: Screening) => string) => (content == null ? content : pick(screening)),
    };
  }
  let offset = 0;
  const parts = content.map((part) => {
    if (part.type !== "text" || part.text === undefined) return undefined;
    const screened = { screening: check(part.text), offset };
    offset += part.text.length + 1;
    return screened;
  });
  const screening = mergeScreenings(
    parts.filter((p) => p !== undefined),
    "\n",
  );
  return {
    screening,
    changes: (pick: (s: Screening) => string) =>
      parts.some((p, i) => p !== undefined && pick(p.screening) !== content[i]!.text),
    content: (pick: (s: Screening) => string) =>
      content.map((part, i) => {
        const screened = parts[i];
        return screened ? { ...part, text: pick(screened.screening) } : part;
      }),
  };
}
