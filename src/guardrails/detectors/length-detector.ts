import { z } from "zod";
import type { ChannelTraits } from "../../shared/channel-traits.ts";
import { defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import { smsSegments } from "../sms-segments.ts";

const limit = z
  .object({
    maxSegments: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("SMS segment budget (GSM-7 or UCS-2)."),
    maxChars: z.number().int().min(1).optional().describe("Characters (code points)."),
  })
  .strict();

type Limit = z.output<typeof limit>;

export const lengthDetector = defineDetector({
  name: "length",
  options: z
    .object({
      channels: z
        .record(z.string(), limit)
        .default({})
        .describe(
          "Limits by channel, replacing what its traits say. Unlisted, a channel delivered as SMS gets its segment budget, one with a length cap that cap, and others are not checked.",
        ),
    })
    .strict(),
  create({ channels }) {
    return {
      detect(text, { channel, traits }) {
        const rule = channels[channel] ?? (traits && limitOf(traits));
        if (!rule) return [];
        const found: Detection[] = [];
        if (rule.maxSegments !== undefined) {
          const sms = smsSegments(text);
          if (sms.segments > rule.maxSegments) {
            found.push(overLimit(text, { ...sms, maxSegments: rule.maxSegments }));
          }
        }
        if (rule.maxChars !== undefined) {
          let chars = 0;
          for (const _ of text) chars++;
          if (chars > rule.maxChars)
            found.push(overLimit(text, { chars, maxChars: rule.maxChars }));
        }
        return found;
      },
    };
  },
});

/** The limits a channel type declares: its SMS segment budget, its longest message. */
function limitOf(traits: ChannelTraits): Limit {
  return {
    ...(traits.sms && { maxSegments: traits.sms.maxSegments }),
    ...(traits.maxChars !== undefined && { maxChars: traits.maxChars }),
  };
}

function overLimit(text: string, evidence: Record<string, unknown>): Detection {
  return { type: "format.length", start: 0, end: text.length, score: 1, evidence };
}
