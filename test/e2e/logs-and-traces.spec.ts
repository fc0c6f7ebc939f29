// One request followed across processes, as an operator would: an api and a worker, each its own process on
// one database, logging JSON and exporting OpenTelemetry traces over OTLP/HTTP (JSON) to a local collector.
// A deliverable created with a request id of the caller's; a webhook subscription hears the event. The same
// id must be in the api's log, the worker's log, the webhook call and the stored delivery; and the spans of
// the request, its SQL statement, the relay, the jobs and the webhook call must form one trace.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { type BatonProcess, startBaton } from '../support/baton-process.js';
import {
  type Actors,
  createActors,
  createDeliverable,
  createProject,
  createService,
} from '../support/fixtures.js';
import { waitFor } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver } from '../support/receiver.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { jsonLines } from '../support/log-lines.js';

interface OtlpSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** The spans of every OTLP/JSON export the collector received, with their service's name. */
function spansOf(collector: Receiver): OtlpSpan[] {
  type Attribute = { key: string; value: Record<string, unknown> };
  const value = (attribute: Attribute): unknown => Object.values(attribute.value)[0];
  return collector.received.flatMap(({ json }) =>
    (json?.resourceSpans ?? []).flatMap(
      (resourceSpans: { resource: { attributes: Attribute[] }; scopeSpans: { spans: any[] }[] }) => {
        const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name');
        return resourceSpans.scopeSpans.flatMap((scope) =>
          scope.spans.map((span) => ({
            service: String(service ? value(service) : ''),
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: Object.fromEntries((span.attributes as Attribute[]).map((a) => [a.key, value(a)])),
          })),
        );
      },
    ),
  );
}

describe('one request id and one trace across the api, the worker and a webhook', () => {
  const collector = new Receiver();
  const hooks = new Receiver();
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let api: BatonProcess;
  let worker: BatonProcess;
  let actors: Actors;
  let hookUrl: string;

  beforeAll(async () => {
    const otlp = await collector.start();
    hookUrl = await hooks.start();
    scratch = await scratchDatabase();
    const env = {
      DATABASE_URL: scratch.url,
      BATON_LOG_FORMAT: 'json',
      BATON_LOG_LEVEL: 'log',
      BATON_OUTBOUND_DENY: '169.254.0.0/16',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      BATON_ADMIN_TOKEN: `test_admin_${randomBytes(16).toString('hex')}`,
      BATON_QUEUE_PREFIX: `baton_trail_${randomBytes(4).toString('hex')}`,
    };
    api = await startBaton({ app: 'api', env });
    worker = await startBaton({ app: 'worker', env, ready: /Baton worker running/ });
    actors = await createActors(new ApiClient(api.url, env.BATON_ADMIN_TOKEN));
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await scratch?.drop();
    await hooks.stop();
    await collector.stop();
  });

  it('is in the api log, the worker log, the webhook call and the stored delivery, and the spans form one trace', async () => {
    const refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
    const subscribed = await actors.smo.post('/v1/webhooks', {
      url: `${hookUrl}/hook`,
      events: ['*'],
      secret: 'a-secret-of-at-least-16-characters',
    });
    expect(subscribed.status).toBe(201);

    const requestId = `trail-${randomBytes(6).toString('hex')}`;
    const deliverable = await createDeliverable(actors.pmo, refs);
    const edited = await actors.pmo.patch(
      `/v1/deliverables/${deliverable.id}`,
      { title: 'Traced' },
      { 'x-request-id': requestId },
    );
    expect(edited.status).toBe(200);
    expect(edited.headers.get('x-request-id')).toBe(requestId);
    // A request id the api would not keep (spaces) is replaced by one of its own.
    const replaced = await actors.pmo.get('/v1/me', { 'x-request-id': 'not a token' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // The webhook call carries the id and the trace.
    await hooks.waitFor((received) => received.some((one) => one.headers['x-request-id'] === requestId));
    const hook = hooks.received.find((one) => one.headers['x-request-id'] === requestId)!;
    expect(hook.headers['x-request-id']).toBe(requestId);
    const traceparent = String(hook.headers.traceparent);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent.split('-')[1];

    // The stored delivery names it.
    const deliveries = await waitFor(
      () => actors.smo.get(`/v1/webhooks/${subscribed.body.id}/deliveries`),
      (response) => response.body.items?.some((item: { status: string }) => item.status === 'delivered'),
      'the delivery',
    );
    const delivery = deliveries.body.items.find(
      (item: { eventId: string }) => item.eventId === hook.headers['x-baton-event-id'],
    );
    expect(delivery).toMatchObject({ status: 'delivered', requestId });

    // The api's log: the request's line, with the id. Every line is JSON, from the api's service.
    const apiLines = jsonLines(api.output());
    expect(apiLines.every((line) => line.service === 'baton-api')).toBe(true);
    expect(apiLines.find((line) => line.requestId === requestId)).toMatchObject({
      level: 'info',
      msg: `PATCH /v1/deliverables/${deliverable.id} 200`,
      req: { method: 'PATCH', path: `/v1/deliverables/${deliverable.id}` },
      res: { statusCode: 200 },
    });
    // The worker's log: the event's job and the webhook's job, under the same id.
    await waitFor(
      () => Promise.resolve(jsonLines(worker.output()).filter((line) => line.requestId === requestId)),
      (lines) => lines.some((line) => line.msg === 'deliver-webhook delivered'),
      "the worker's lines",
    );
    const workerLines = jsonLines(worker.output());
    expect(workerLines.every((line) => line.service === 'baton-worker')).toBe(true);
    const jobs = workerLines.filter((line) => line.requestId === requestId).map((line) => line.msg);
    expect(jobs).toEqual(expect.arrayContaining(['deliver-event fanned out', 'deliver-webhook delivered']));

    // The trace: the request's span and its statement in the api, the jobs and the webhook call in the worker.
    const trace = await waitFor(
      () => Promise.resolve(spansOf(collector).filter((span) => span.traceId === traceId)),
      // Each process exports in batches of its own: wait for every span the checks below read.
      (spans) =>
        ['PATCH /v1/deliverables/:id', 'UPDATE deliverables', 'POST'].every((name) =>
          spans.some((span) => span.name === name),
        ) &&
        ['deliver-event', 'deliver-webhook'].every((job) =>
          spans.some((span) => span.attributes['baton.job.name'] === job),
        ),
      'the spans of the trace',
      30_000,
    );
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const request = trace.find((span) => span.name === 'PATCH /v1/deliverables/:id');
    expect(request).toMatchObject({
      service: 'baton-api',
      kind: 2, // server
      parentSpanId: '',
      attributes: {
        'http.route': '/v1/deliverables/:id',
        'http.response.status_code': 200,
        'baton.request_id': requestId,
      },
    });
    const insert = trace.find((span) => span.name === 'UPDATE deliverables');
    expect(insert).toMatchObject({
      service: 'baton-api',
      kind: 3,
      attributes: { 'db.system.name': 'postgresql' },
    });
    // Its statement is the request's descendant.
    let ancestor = insert;
    while (ancestor && ancestor !== request) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor).toBe(request);
    const eventJob = trace.find((span) => span.attributes['baton.job.name'] === 'deliver-event');
    expect(eventJob).toMatchObject({ service: 'baton-worker', kind: 5, parentSpanId: request!.spanId }); // consumer
    expect(eventJob!.attributes).toMatchObject({
      'baton.job.outcome': 'fanned out',
      'baton.request_id': requestId,
    });
    const webhookJob = trace.find((span) => span.attributes['baton.job.name'] === 'deliver-webhook');
    expect(webhookJob!.parentSpanId).toBe(eventJob!.spanId);
    const call = trace.find((span) => span.kind === 3 && span.name === 'POST');
    expect(call).toMatchObject({
      service: 'baton-worker',
      parentSpanId: webhookJob!.spanId,
      attributes: { 'url.full': `${hookUrl}/hook`, 'http.response.status_code': 200 },
    });
    expect(traceparent.split('-')[2]).toBe(call!.spanId);
    // The relay's own span is linked, not parent: it is in a trace of its own.
    expect(
      spansOf(collector).some((span) => span.name === 'outbox relay' && span.service === 'baton-worker'),
    ).toBe(true);
  });
});
