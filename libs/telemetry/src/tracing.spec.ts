import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  activeSpanIds,
  activeTraceparent,
  contextOf,
  inSpan,
  SpanKind,
  startTracing,
  trace,
  type Tracing,
} from './tracing.js';

describe('spans, read back from an in-memory exporter', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;

  beforeAll(async () => {
    tracing = await startTracing({ exporter, serviceName: 'baton-test', immediate: true });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  it('nests a span begun inside another as its child, in one trace, and names the service', async () => {
    await inSpan('request', { kind: SpanKind.SERVER }, () =>
      inSpan(
        'statement',
        { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      ),
    );
    const [statement, request] = exporter.getFinishedSpans();
    expect([statement.name, request.name]).toEqual(['statement', 'request']);
    expect(statement.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(statement.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(statement.kind).toBe(SpanKind.CLIENT);
    expect(statement.attributes['db.system.name']).toBe('postgresql');
    expect(request.resource.attributes['service.name']).toBe('baton-test');
  });

  it('continues a trace from a traceparent carried in a row or a job', async () => {
    let carried: string | null = null;
    let ids: ReturnType<typeof activeSpanIds> = null;
    await inSpan('command', {}, () => {
      carried = activeTraceparent();
      ids = activeSpanIds();
      return Promise.resolve();
    });
    expect(carried).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(carried).toBe(`00-${ids!.traceId}-${ids!.spanId}-01`);
    await inSpan('job', { kind: SpanKind.CONSUMER, parent: contextOf(carried) }, () => Promise.resolve());
    const job = exporter.getFinishedSpans().find((span) => span.name === 'job')!;
    expect(job.spanContext().traceId).toBe(ids!.traceId);
    expect(job.parentSpanContext?.spanId).toBe(ids!.spanId);
    // Nothing carried, or garbage: a trace of its own.
    await inSpan('orphan', { parent: contextOf('not a traceparent') }, () => Promise.resolve());
    const orphan = exporter.getFinishedSpans().find((span) => span.name === 'orphan')!;
    expect(orphan.parentSpanContext).toBeUndefined();
    expect(orphan.spanContext().traceId).not.toBe(ids!.traceId);
  });

  it('records what a span threw, throws it on, and links the spans a relay follows from', async () => {
    await expect(inSpan('failing', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const failing = exporter.getFinishedSpans().find((span) => span.name === 'failing')!;
    expect(failing.status).toEqual({ code: 2, message: 'boom' });
    expect(failing.events.map((event) => event.name)).toEqual(['exception']);

    const written = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const context = trace.getSpanContext(contextOf(written))!;
    await inSpan('relay', { links: [{ context }] }, () => Promise.resolve());
    const relay = exporter.getFinishedSpans().find((span) => span.name === 'relay')!;
    expect(relay.links.map((link) => link.context.spanId)).toEqual(['b7ad6b7169203331']);
    expect(relay.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });
});

describe('with tracing off', () => {
  it('carries no traceparent and makes no span ids', async () => {
    await inSpan('nothing', {}, () => {
      expect(activeTraceparent()).toBeNull();
      expect(activeSpanIds()).toBeNull();
      return Promise.resolve();
    });
  });
});
