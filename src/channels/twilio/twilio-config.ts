import { z } from "zod";

/** E.164: a `+`, a country code not starting with 0, at most 15 digits in all (ITU-T E.164). */
const E164 = /^\+[1-9]\d{1,14}$/;

export const twilioConfigSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("twilio"),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "AC followed by 32 hex digits"),
    /** Signs Twilio's webhooks and authenticates our API calls. */
    authToken: z.string().min(1, "the Auth Token from the Twilio Console"),
    /** The Twilio number replies are sent from. */
    from: z.string().regex(E164, "an E.164 number such as +15017122661").optional(),
    /** Or a Messaging Service, which picks the sender from its pool. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, "MG followed by 32 hex digits")
      .optional(),
    apiBase: z
      .url()
      .transform((u) => u.replace(/\/+$/, ""))
      .default("https://api.twilio.com"),
    /** Ask Twilio to post delivery receipts for our replies to this channel's webhook. */
    statusCallbacks: z.boolean().default(true),
  })
  .strict()
  .refine((c) => (c.from === undefined) !== (c.messagingServiceSid === undefined), {
    message: "set exactly one of from or messagingServiceSid",
  });

export type TwilioConfig = z.infer<typeof twilioConfigSchema>;
