// The command path under a request, against real PostgreSQL, with spans read from an in-memory exporter: the
// statement's span is the request's child, and the outbox rows the command commits keep the request id and
// the request's traceparent, which the relay hands to the jobs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HandoverCommands } from '@baton/commands';
import { Database, type OutboxRow } from '@baton/persistence';
import { causeOf, Queues } from '@baton/queues';
import {
  activeSpanIds,
  inSpan,
  SpanKind,
  startTracing,
  type Tracing,
  withCorrelation,
} from '@baton/telemetry';
import { scratchDatabase } from '../support/scratch-database.js';
import { seedCatalogue, seedDraft } from '../support/seed.js';

describe('a command under a request', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Database;
  let commands: HandoverCommands;

  beforeAll(async () => {
    tracing = await startTracing({ exporter, serviceName: 'baton-test', immediate: true });
    scratch = await scratchDatabase();
    db = await Database.connect({ url: scratch.url, poolSize: 2 });
    await db.migrate();
    commands = new HandoverCommands(db, { emailOn: true });
  });

  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
    await tracing?.shutdown();
  });

  it('writes its rows with the request id and traceparent, in a statement span that is the request span’s child', async () => {
    const id = await seedDraft(commands, await seedCatalogue(db));
    exporter.reset();

    const requestId = `req-${randomBytes(4).toString('hex')}`;
    let request: ReturnType<typeof activeSpanIds> = null;
    await withCorrelation({ requestId }, () =>
      inSpan('POST /v1/deliverables/:id/hold', { kind: SpanKind.SERVER }, async () => {
        request = activeSpanIds();
        await commands.execute(id, { type: 'hold', reason: 'traced' }, { principalId: null, roles: [] });
      }),
    );

    // The statement that saved the transition, and its place in the trace.
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const save = spans.find((span) => span.name === 'UPDATE deliverables');
    expect(save).toBeDefined();
    expect(save!.kind).toBe(SpanKind.CLIENT);
    expect(save!.attributes['db.system.name']).toBe('postgresql');
    expect(String(save!.attributes['db.query.text'])).toContain('INSERT INTO outbox');
    let ancestor: ReadableSpan | undefined = save;
    while (ancestor && ancestor.spanContext().spanId !== request!.spanId)
      ancestor = byId.get(ancestor.parentSpanContext?.spanId ?? '');
    expect(ancestor?.name).toBe('POST /v1/deliverables/:id/hold');
    expect(save!.spanContext().traceId).toBe(request!.traceId);

    // The row it committed, as the relay reads it, and the job data the relay makes of it.
    let relayed: OutboxRow[] = [];
    await db.outbox.relay(100, (rows) => {
      relayed = rows.filter((one) => one.deliverableId === id);
      return Promise.resolve([]);
    });
    expect(relayed.map(({ jobName, requestId: id, traceparent }) => ({ jobName, id, traceparent }))).toEqual([
      {
        jobName: 'deliver-event',
        id: requestId,
        traceparent: `00-${request!.traceId}-${request!.spanId}-01`,
      },
    ]);
    const queues = new Queues({ connection: {} }, 'unused');
    const data = queues.jobData(relayed[0].payload, relayed[0]);
    expect(causeOf(data)).toEqual({ requestId, traceparent: relayed[0].traceparent });
    expect(causeOf(queues.jobData({ id: 1 }))).toEqual({});
  });
});
