import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
} from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver, validSignature } from '../support/receiver.js';
import { scratchDatabase } from '../support/scratch-database.js';

const SECRET = 'a-secret-of-at-least-16-characters';

describe('webhooks', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  const receiver = new Receiver();
  let base: string;
  let refs: { projectId: string; serviceId: string };

  beforeAll(async () => {
    base = await receiver.start();
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: {
        DATABASE_URL: scratch.url,
        BATON_WEBHOOK_MAX_ATTEMPTS: '5',
        BATON_WEBHOOK_BACKOFF_MS: '100',
        // The receiver is on loopback: let it through (the default list refuses only link-local and metadata).
        BATON_OUTBOUND_DENY: '169.254.0.0/16',
      },
    });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
    await receiver.stop();
  });

  const subscribe = async (path: string, events: string[]) => {
    const response = await actors.smo.post('/v1/webhooks', { url: `${base}${path}`, events, secret: SECRET });
    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty('secret');
    return response.body.id as string;
  };

  it('refuses bad subscriptions with the fields named', async () => {
    const response = await actors.smo.post('/v1/webhooks', {
      url: 'ftp://x',
      events: ['nope'],
      secret: 'short',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'events.0',
      'secret',
      'url',
    ]);
    expect(
      (await actors.smo.post('/v1/webhooks', { url: `${base}/x`, events: [], secret: SECRET })).status,
    ).toBe(400);
    expect(
      (await actors.smo.get('/v1/webhooks/8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d/deliveries')).status,
    ).toBe(404);
  });

  it('delivers each status change once, signed, with the event id', async () => {
    await subscribe('/status', ['deliverable.status_changed']);
    const deliverable = await createDeliverable(actors.pmo, refs);
    expect((await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`)).status).toBe(200);
    const [event] = await receiver.waitFor((all) => all.some((item) => item.path === '/status'));
    const mine = receiver.received.filter((item) => item.path === '/status');
    expect(event.json).toMatchObject({
      id: expect.any(String),
      type: 'deliverable.status_changed',
      occurredAt: expect.any(String),
      deliverableId: deliverable.id,
      data: { from: 'draft', to: 'readiness' },
    });
    expect(validSignature(SECRET, mine[0])).toBe(true);
    expect(validSignature('another-secret-entirely', mine[0])).toBe(false);
    expect(mine[0].headers['x-baton-event-id']).toBe(event.json.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.filter((item) => item.path === '/status')).toHaveLength(1);
  });

  it('retries an endpoint that fails 3 times, then marks it delivered', async () => {
    receiver.answer = (request, count) => (request.path === '/flaky' && count <= 3 ? 500 : 200);
    const id = await subscribe('/flaky', ['*']);
    const deliverable = await createDeliverable(actors.pmo, refs);
    await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`);
    await receiver.waitFor((all) => all.filter((item) => item.path === '/flaky').length >= 4);
    const attempts = receiver.received.filter((item) => item.path === '/flaky');
    expect(new Set(attempts.map((item) => item.headers['x-baton-event-id'])).size).toBe(1);
    expect(attempts.every((item) => item.body === attempts[0].body && validSignature(SECRET, item))).toBe(
      true,
    );
    let delivery: any;
    for (let i = 0; i < 50 && delivery?.status !== 'delivered'; i++) {
      delivery = (await actors.smo.get(`/v1/webhooks/${id}/deliveries`)).body.items[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.filter((item) => item.path === '/flaky')).toHaveLength(4);
  });

  it('dead-letters a delivery after the last attempt, with the last error', async () => {
    receiver.answer = (request) => (request.path === '/down' ? 503 : 200);
    const id = await subscribe('/down', ['deliverable.status_changed']);
    const deliverable = await createDeliverable(actors.pmo, refs);
    await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`);
    let delivery: any;
    for (let i = 0; i < 100 && delivery?.status !== 'dead'; i++) {
      delivery = (await actors.smo.get(`/v1/webhooks/${id}/deliveries`)).body.items[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(delivery).toMatchObject({
      status: 'dead',
      attempts: 5,
      lastStatusCode: 503,
      lastError: 'answered 503',
    });
    expect(receiver.received.filter((item) => item.path === '/down')).toHaveLength(5);
  });

  it('unsubscribes', async () => {
    const id = await subscribe('/gone', ['*']);
    expect((await actors.pmo.request('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await actors.pmo.request('DELETE', `/v1/webhooks/${id}`)).status).toBe(404);
    expect((await actors.pmo.get(`/v1/webhooks/${id}`)).status).toBe(404);
  });
});
