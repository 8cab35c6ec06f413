import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";

/** Conversation API channels a reply can go out on (`ConversationChannel` in Sinch's API). */
export const SINCH_CHANNELS = [
  "SMS",
  "MMS",
  "RCS",
  "WHATSAPP",
  "MESSENGER",
  "INSTAGRAM",
  "VIBERBM",
  "TELEGRAM",
  "KAKAOTALK",
  "KAKAOTALKCHAT",
  "LINE",
  "WECHAT",
  "APPLEBC",
] as const;

export const sinchConfigSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("sinch"),
    projectId: z.string().min(1),
    /** The Conversation API app that sends the replies. */
    appId: z.string().min(1),
    /** Access key (Sinch dashboard, Settings > Access Keys) for the OAuth2 token. */
    keyId: z.string().min(1),
    keySecret: z.string().min(1),
    /** The secret set on the app's webhook; Sinch signs every callback with it. */
    webhookSecret: z.string().min(1),
    region: z.enum(["us", "eu", "br"]).default("us"),
    /** Overrides `https://<region>.conversation.api.sinch.com`. */
    apiBase: z.url().optional(),
    authBase: z.url().default("https://auth.sinch.com"),
    /** The Sinch channel replies go out on. */
    channel: z.enum(SINCH_CHANNELS).default("SMS"),
    maxClockSkewSeconds: configNumber(z.number().int().positive()).default(300),
  })
  .strict();

export type SinchChannelConfig = z.infer<typeof sinchConfigSchema>;

/** Endpoint URLs, from the region unless `apiBase` overrides it. */
export function sinchEndpoints(config: SinchChannelConfig) {
  const api = trimSlash(config.apiBase ?? `https://${config.region}.conversation.api.sinch.com`);
  return {
    token: `${trimSlash(config.authBase)}/oauth2/token`,
    send: `${api}/v1/projects/${encodeURIComponent(config.projectId)}/messages:send`,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
