/**
 * `npm run bench`: runs every benchmark in this folder and prints ONE JSON object, keyed
 * by benchmark name. Progress goes to stderr so stdout stays machine-readable.
 * `npm run bench -- pipeline` runs only the named ones; `--name value` options are left to
 * the benchmarks (`growth --sizes 10k,100k`).
 */
type Bench = () => Promise<Record<string, unknown>>;

const benches: Record<string, () => Promise<Bench>> = {
  pipeline: async () => (await import("./pipeline.ts")).default,
  guardrails: async () => (await import("./guardrails.ts")).default,
  rollout_detection: async () => (await import("./rollout-detection.ts")).default,
  growth: async () => (await import("./growth.ts")).default,
  proxy: async () => (await import("./proxy.ts")).default,
  outcome_labels: async () => (await import("./outcome-labels.ts")).default,
};

const args = process.argv.slice(2);
const only = args.filter((arg, i) => !arg.startsWith("--") && !args[i - 1]?.startsWith("--"));
const result: Record<string, unknown> = {};
for (const [name, load] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  result[name] = await (await load())();
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
