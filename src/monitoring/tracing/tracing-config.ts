import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";

/** The `telemetry.traces` section of mainstay.yaml; where spans go is set by OTEL_* variables. */
export const tracingConfigSchema = z
  .object({
    /**
     * Put what customers and models wrote on spans: message text on guardrail and delivery
     * spans, model input and output on `chat` spans, tool arguments and results. Off by
     * default: spans then carry ids, counts, rule ids and finding types only.
     */
    captureContent: z.boolean().default(false),
  })
  .strict();

export type TracingConfig = z.infer<typeof tracingConfigSchema>;

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

// An empty variable counts as unset (OpenTelemetry SDK configuration spec).
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/**
 * The standard OpenTelemetry variables Mainstay reads
 * (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
 */
const otelEnvSchema = z.object({
  OTEL_SDK_DISABLED: optional(z.enum(["true", "false"])),
  OTEL_TRACES_EXPORTER: optional(z.string()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(z.url()),
  OTEL_EXPORTER_OTLP_HEADERS: optional(z.string()),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optional(z.string()),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(z.enum(["http/protobuf", "http/json"])),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optional(z.enum(["http/protobuf", "http/json"])),
  OTEL_SERVICE_NAME: optional(z.string()),
  OTEL_RESOURCE_ATTRIBUTES: optional(z.string()),
  OTEL_TRACES_SAMPLER: optional(z.enum(SAMPLERS)),
  OTEL_TRACES_SAMPLER_ARG: optional(z.coerce.number().min(0).max(1)),
});

export type TraceSampler = (typeof SAMPLERS)[number];

/** Where spans go and which are kept, from the environment. */
export interface TraceExportSettings {
  exporters: ("otlp" | "console")[];
  /** The full OTLP/HTTP traces URL. */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: TraceSampler;
  samplerArg: number;
}

/**
 * Tracing is on when an OTLP endpoint is set or `OTEL_TRACES_EXPORTER` names an exporter
 * (`otlp`, `console`), and off with `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`.
 * Returns undefined when off.
 */
export function traceExportSettings(env: NodeJS.ProcessEnv): TraceExportSettings | undefined {
  const parsed = otelEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MainstayError("MS_CONFIG_INVALID", `${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.OTEL_SDK_DISABLED === "true") return undefined;
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporters = (e.OTEL_TRACES_EXPORTER ?? (endpoint ? "otlp" : "none"))
    .split(",")
    .map((name) => name.trim());
  if (exporters.includes("none")) return undefined;
  for (const name of exporters) {
    if (name !== "otlp" && name !== "console") {
      throw new MainstayError(
        "MS_CONFIG_INVALID",
        `OTEL_TRACES_EXPORTER: "${name}" is not supported (otlp, console or none)`,
      );
    }
  }
  return {
    exporters: exporters as TraceExportSettings["exporters"],
    url:
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318").replace(/\/$/, "")}/v1/traces`,
    headers: keyValues(e.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? e.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: e.OTEL_SERVICE_NAME ?? "mainstay",
    resourceAttributes: keyValues(e.OTEL_RESOURCE_ATTRIBUTES),
    sampler: e.OTEL_TRACES_SAMPLER ?? "parentbased_always_on",
    samplerArg: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

/** `key1=value1,key2=value2` with percent-encoded values (W3C Baggage style, as OTel uses). */
function keyValues(list: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of list?.split(",") ?? []) {
    const at = item.indexOf("=");
    if (at <= 0) continue;
    pairs[item.slice(0, at).trim()] = decodeURIComponent(item.slice(at + 1).trim());
  }
  return pairs;
}
