import { z } from "zod";
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

/** Documented limits: WhatsApp Cloud API text body 4096 characters. */
const DEFAULT_LIMITS = {
  sms: { maxSegments: 3 },
  twilio: { maxSegments: 3 },
  sinch: { maxSegments: 3 },
  whatsapp: { maxChars: 4096 },
  webchat: { maxChars: 5000 },
};

export const lengthDetector = defineDetector({
  name: "length",
  options: z
    .object({
      channels: z
        .record(z.string(), limit)
        .default(DEFAULT_LIMITS)
        .describe("Limits per channel name; channels not listed are not checked."),
    })
    .strict(),
  create({ channels }) {
    return {
      detect(text, { channel }) {
        const rule = channels[channel];
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

function overLimit(text: string, evidence: Record<string, unknown>): Detection {
  return { type: "format.length", start: 0, end: text.length, score: 1, evidence };
}
