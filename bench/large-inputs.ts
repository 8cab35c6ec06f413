/**
 * Pathological and very long inputs for the guard, timed here rather than in unit tests
 * (a wall-clock bound in `npm test` flakes under load): the default policy on 1 MB of
 * text that stresses each detector's patterns, and text folding at 2 kB and 20 kB, whose
 * ratio shows whether cost grows linearly.
 */
import { foldText } from "../src/guardrails/fold-text.ts";
import { createGuard, defaultPolicy } from "../src/guardrails/index.ts";
import { MEGABYTE_INPUTS } from "../test/guardrails/megabyte-inputs.ts";

export function largeInputs(): Record<string, unknown> {
  const guard = createGuard(defaultPolicy());
  const megabyteMs: Record<string, number> = {};
  for (const [name, text] of Object.entries(MEGABYTE_INPUTS)) {
    const started = performance.now();
    for (const direction of ["inbound", "outbound"] as const)
      guard.check({ direction, channel: "sms", text });
    megabyteMs[name] = round(performance.now() - started);
  }
  const unit = "Hello ᴀʙᴄ հօս ѕуѕтем 𝐢𝐠𝐧𝐨𝐫𝐞 déjà 24 hours. ";
  const small = unit.repeat(Math.ceil(2_000 / unit.length));
  const large = unit.repeat(Math.ceil(20_000 / unit.length));
  for (let i = 0; i < 20; i++) foldText(large);
  const foldMs = (text: string) => {
    const started = performance.now();
    for (let i = 0; i < 50; i++) foldText(text);
    return (performance.now() - started) / 50;
  };
  const fold2k = foldMs(small);
  const fold20k = foldMs(large);
  return {
    // Both directions of the default policy on each 1 MB shape.
    megabyteMs,
    fold: { ms2kB: round(fold2k), ms20kB: round(fold20k), ratio20kTo2k: round(fold20k / fold2k) },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
