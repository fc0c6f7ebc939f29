import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export { SpanKind, type Span, trace } from '@opentelemetry/api';

/** The instrumentation scope of every span Baton makes. */
const SCOPE = 'baton';

/** Baton's tracer: OpenTelemetry's no-op one until startTracing() installs a provider. */
export function tracer(): Tracer {
  return trace.getTracer(SCOPE);
}

/** Where spans go: `otlp` (OTEL_EXPORTER_OTLP_* say where), `console` (stdout), or an exporter (tests). */
export interface TracingOptions {
  exporter: 'otlp' | 'console' | SpanExporter;
  /** OTLP over HTTP as protobuf or JSON (OTEL_EXPORTER_OTLP_PROTOCOL). */
  protocol?: 'http/protobuf' | 'http/json';
  /** service.name, unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise. */
  serviceName: string;
  serviceVersion?: string;
  /** Each span exported as it ends (tests), rather than in batches (OTEL_BSP_* tune those). */
  immediate?: boolean;
}

export interface Tracing {
  /** Exports what is buffered. */
  flush(): Promise<void>;
  /** Exports what is buffered, then stops tracing: tracer() is the no-op one again. */
  shutdown(): Promise<void>;
}

/**
 * Installs OpenTelemetry's tracer provider for this process: W3C trace context propagation, a context
 * manager on AsyncLocalStorage, the sampler of OTEL_TRACES_SAMPLER (parent-based, always on, by default),
 * and the exporter asked for. The SDK is loaded only here: with tracing off, Baton carries the API alone.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const exporter = typeof options.exporter === 'object' ? options.exporter : await exporterFor(options);
  const resource = resources
    .defaultResource()
    .merge(
      resources.resourceFromAttributes({
        'service.name': options.serviceName,
        ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
      }),
    )
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  return {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

async function exporterFor(options: TracingOptions): Promise<SpanExporter> {
  if (options.exporter === 'console') {
    const { ConsoleSpanExporter } = await import('@opentelemetry/sdk-trace-base');
    return new ConsoleSpanExporter();
  }
  if (options.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Spans this one follows from without being their child (the relay's, to the rows' writers). */
  links?: Link[];
  /** The parent, when it is not the active span: a job's, read from its traceparent. */
  parent?: Context;
}

/**
 * Runs `work` in a new active span, ended when `work` settles; what it throws is recorded on the span
 * (status ERROR, an exception event) and thrown on.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks `span` as failed by `error`. */
export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The W3C `traceparent` of the active span, to carry into a row, a job or a request; null with tracing off. */
export function activeTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a `traceparent` (from a request, a row or a job) names: a parent for the next span. */
export function contextOf(traceparent: unknown): Context {
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Runs `work` with `parent` as the active context (for spans begun inside it). */
export function withContext<T>(parent: Context, work: () => T): T {
  return context.with(parent, work);
}

/** The trace and span id of the active span, for log lines; null when there is none (tracing off). */
export function activeSpanIds(): { traceId: string; spanId: string } | null {
  const span = trace.getActiveSpan();
  if (!span) return null;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
