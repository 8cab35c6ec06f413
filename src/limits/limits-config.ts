import { z } from "zod";
import { configNumber } from "../shared/config-number.ts";

const count = (max = 1_000_000) => configNumber(z.number().int().min(0).max(max));
const seconds = configNumber(
  z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600),
);

/**
 * `points` per `seconds` (a fixed window), and `burst` more once per `burstSeconds` for a
 * moment of heavy use. `points: 0` turns the limit off.
 */
const rateSchema = z
  .object({
    points: count(),
    seconds,
    burst: count().default(0),
    burstSeconds: seconds.optional(),
  })
  .strict();

export type RateSpec = z.output<typeof rateSchema>;

const rate = (points: number, secondsValue: number, burst = 0, burstSeconds?: number) =>
  rateSchema.prefault({ points, seconds: secondsValue, burst, burstSeconds });

const spendLimitSchema = z
  .object({
    /** Money in USD, from the price table (`prices`); a reply of unknown price adds 0. */
    usd: configNumber(z.number().min(0)).optional(),
    /** Input and output tokens together, as the provider reported them. */
    tokens: count(1_000_000_000_000).optional(),
  })
  .strict();

export type SpendLimit = z.output<typeof spendLimitSchema>;

const spendSchema = z
  .object({
    perConversation: spendLimitSchema.prefault({ usd: 2, tokens: 200_000 }),
    perContactPerDay: spendLimitSchema.prefault({ usd: 10, tokens: 1_000_000 }),
    /** Each agent version (shadow answers included) per UTC day; none unless set. */
    perVersionPerDay: spendLimitSchema.prefault({}),
    /**
     * What a capped turn does: `handoff` (a person takes over), `canned` (the message
     * below, the bot stays) or `refuse` (nothing is sent).
     */
    action: z.enum(["handoff", "canned", "refuse"]).default("handoff"),
    /** Told to the customer by `handoff` and `canned`; default: the handoff message. */
    message: z.string().min(1).optional(),
  })
  .strict();

export type SpendConfig = z.output<typeof spendSchema>;

/**
 * `limits` in mainstay.yaml (docs/configuration.md#limits): what one customer, session,
 * sender or client address can make Mainstay do. Counters live in the database, so every
 * instance on one PostgreSQL shares them.
 */
export const limitsConfigSchema = z
  .object({
    /** Inbound messages per channel and sender address (a web-chat session is a sender). */
    perSender: rate(20, 60, 20, 600),
    /** Inbound messages per contact, across all their channels. */
    perContact: rate(40, 60, 40, 600),
    webchat: z
      .object({
        /** New web-chat sessions per client address. */
        sessionsPerAddress: rate(30, 3600),
        /** Web-chat sockets one client address may hold open at once, per instance. */
        socketsPerAddress: count(10_000).default(20),
      })
      .strict()
      .prefault({}),
    /** Wrong keys at sign-in and on the API, per client address and per key prefix. */
    signIn: z
      .object({
        perAddress: count(10_000).default(10),
        perKeyPrefix: count(10_000).default(5),
        seconds: seconds.default(900),
        /** First lock-out once a limit is passed; each further failure doubles it. */
        blockSeconds: seconds.default(60),
        maxBlockSeconds: seconds.default(3600),
      })
      .strict()
      .prefault({}),
    /**
     * Customer messages arriving within this many ms of each other are answered in one
     * agent turn (people type in several short lines); 0 answers each as it comes, though
     * lines that arrive while the agent is still answering are still answered together.
     */
    coalesceMs: configNumber(z.number().int().min(0).max(60_000)).default(1500),
    spend: spendSchema.prefault({}),
  })
  .strict();

export type LimitsConfig = z.output<typeof limitsConfigSchema>;
