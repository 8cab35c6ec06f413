import { z } from "zod";
import { configNumber } from "../shared/config-number.ts";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "local time as HH:MM (24 h)");

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `compliance:` in mainstay.yaml: what the gateway enforces whatever the agent says. */
export const complianceConfigSchema = z
  .object({
    /** Answer to HELP (carriers require one on SMS). */
    helpText: z
      .string()
      .min(1)
      .default("Reply STOP to stop messages, START to receive them again. For help, ask here."),
    /** The one confirmation sent after an opt-out; nothing is sent after it. */
    optOutConfirmation: z
      .string()
      .min(1)
      .default(
        "You're unsubscribed and will get no more messages from us. Reply START to resubscribe.",
      ),
    optInConfirmation: z
      .string()
      .min(1)
      .default("You're subscribed again. Reply STOP at any time to stop."),
    /**
     * Channel types that send an opt-out confirmation. Unset: the types whose
     * `confirmsOptOut` trait says so (the SMS channels, where carriers allow one).
     */
    confirmOptOutOn: z.array(z.string()).optional(),
    /** SMS replies longer than this many segments are refused (GSM-7 160/153, UCS-2 70/67). */
    smsMaxSegments: configNumber(z.number().int().min(1).max(20)).default(4),
    /**
     * Hours after the customer's last message during which free-form text is allowed on a
     * channel with a reply window. Unset: the channel's own window (WhatsApp: 24).
     */
    whatsappWindowHours: configNumber(z.number().positive()).optional(),
    /**
     * Which identities a revocation covers, per purpose: `address` the channel and address
     * it came from, `all` every identity of the contact (US TCPA rules since April 2025: a
     * revocation by any reasonable means may cover the other channels too).
     */
    revocationScope: z
      .object({
        service: z.enum(["address", "all"]).default("address"),
        marketing: z.enum(["address", "all"]).default("all"),
      })
      .strict()
      .default({ service: "address", marketing: "all" }),
    /**
     * No proactive outbound between `start` and `end` in the contact's local time: such
     * messages are held and sent when the window opens.
     */
    quietHours: z
      .object({
        start: hhmm,
        end: hhmm,
        /** Hold replies in a live conversation too (by default they go out). */
        replies: z.boolean().default(false),
        /** Zone for contacts whose phone number does not tell one (e.g. web chat). */
        defaultTimeZone: z.string().refine(isTimeZone, "not an IANA time zone").default("UTC"),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ComplianceConfig = z.infer<typeof complianceConfigSchema>;
