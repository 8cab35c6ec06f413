import { z } from "zod";
import type { InboundMessage } from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";

/**
 * The parts of a Bot API `Update` (core.telegram.org/bots/api#update) Mainstay reads. Other
 * update kinds (channel posts, callback queries, member changes) pass the schema and are
 * ignored; unknown fields are kept out by zod's default stripping.
 */
const user = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const message = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  chat: z.object({ id: z.number(), type: z.string() }),
  date: z.number().int(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

const updateSchema = z.object({
  update_id: z.number().int(),
  message: message.optional(),
  edited_message: message.optional(),
});

export function parseTelegramUpdate(body: unknown): InboundMessage[] {
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MainstayError(
      "MS_BAD_REQUEST",
      `not a Telegram update: ${issue.path.join(".") || "body"}: ${issue.message}`,
      400,
    );
  }
  const { message: sent, edited_message: edited } = parsed.data;
  const m = sent ?? edited;
  const text = m?.text ?? m?.caption;
  // Photos without a caption, stickers, joins: nothing to answer.
  if (!m || text === undefined || m.from?.is_bot) return [];
  const name = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(" ");
  return [
    {
      // An edit keeps its message_id: keyed apart so the edited text is its own message.
      providerMessageId: `${m.chat.id}:${m.message_id}${edited ? ":edited" : ""}`,
      from: String(m.chat.id),
      ...(name || m.from?.username ? { displayName: name || m.from?.username } : {}),
      text,
      meta: {
        telegramMessageId: m.message_id,
        chatType: m.chat.type,
        sentAt: m.date * 1000,
        ...(m.from?.username && { username: m.from.username }),
        ...(m.from?.language_code && { languageCode: m.from.language_code }),
        ...(edited && { edited: true }),
      },
    },
  ];
}
