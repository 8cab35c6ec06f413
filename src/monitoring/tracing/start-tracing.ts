import { context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import {
  type TraceExportSettings,
  type TracingConfig,
  traceExportSettings,
} from "./tracing-config.ts";

/** The tracer every traced seam uses, and what it may put on spans. */
export interface Tracing {
  tracer: Tracer;
  captureContent: boolean;
  /** Export what is still buffered and stop. */
  shutdown(): Promise<void>;
}

/**
 * Tracing from the standard OTEL_* variables, or undefined when they turn it off: then no
 * seam is wrapped at all. Each server gets its own tracer provider (tests run several in
 * one process); the context manager that carries the active span across `await` is
 * process-wide, registered once. `exporter` replaces the configured ones (tests).
 */
export function startTracing(
  config: TracingConfig,
  env: NodeJS.ProcessEnv,
  exporter?: SpanExporter,
): Tracing | undefined {
  const settings = traceExportSettings(env);
  if (!settings && !exporter) return undefined;
  registerContextManager();
  const processors: SpanProcessor[] = exporter
    ? [new SimpleSpanProcessor(exporter)]
    : processorsFor(settings!);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...settings?.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings?.serviceName ?? "mainstay",
    }),
    sampler: samplerFor(settings),
    spanProcessors: processors,
  });
  return {
    tracer: provider.getTracer("mainstay"),
    captureContent: config.captureContent,
    shutdown: () => provider.shutdown(),
  };
}

function processorsFor(settings: TraceExportSettings): SpanProcessor[] {
  return settings.exporters.map((name) =>
    name === "console"
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : new BatchSpanProcessor(
          new OTLPTraceExporter({ url: settings.url, headers: settings.headers }),
        ),
  );
}

function samplerFor(settings: TraceExportSettings | undefined): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings?.samplerArg ?? 1);
  switch (settings?.sampler ?? "parentbased_always_on") {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

let contextManagerRegistered = false;

function registerContextManager(): void {
  if (contextManagerRegistered) return;
  contextManagerRegistered = context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
}
