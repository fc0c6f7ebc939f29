import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyChain } from '@baton/commands';
import { DEFAULT_CHECKLIST, GLOSSARY, STATUSES } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
} from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';

let baton: BatonProcess;
let anonymous: ApiClient;
let actors: Actors;
let projectId: string;
let serviceId: string;

beforeAll(async () => {
  baton = await startBaton();
  anonymous = new ApiClient(baton.url, null);
  actors = await createActors(anonymous.as(baton.adminToken));
  [projectId, serviceId] = await Promise.all([createProject(actors.pmo), createService(actors.smo)]);
});

afterAll(async () => {
  await baton?.stop();
});

const expectProblem = (response: { status: number; headers: Headers; body: any }, status: number): void => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
};

describe('system endpoints', () => {
  it('serves /health without a token when PostgreSQL and the queues answer', async () => {
    const response = await anonymous.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'up', queue: 'up' } });
  });

  it('serves the OpenAPI document and Swagger UI without a token', async () => {
    const json = await anonymous.get('/docs-json');
    expect(json.status).toBe(200);
    for (const path of [
      '/v1/deliverables',
      '/v1/deliverables/{id}/submit',
      '/v1/principals',
      '/v1/workflow',
      '/health',
    ]) {
      expect(Object.keys(json.body.paths)).toContain(path);
    }
    const ui = await anonymous.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('generates the workflow diagram from the machine, naming every status', async () => {
    const response = await actors.pmo.get('/v1/workflow');
    expect(response.status).toBe(200);
    expect(response.body.mermaid).toMatch(/^stateDiagram-v2/);
    for (const status of STATUSES) expect(response.body.mermaid).toContain(status);
    expect(response.body.gates).toEqual(['acceptance', 'els_exit']);
  });

  it('serves the glossary with one entry per status', async () => {
    const response = await actors.smo.get('/v1/glossary');
    expect(response.status).toBe(200);
    expect(response.body.statuses.map((entry: { status: string }) => entry.status).sort()).toEqual(
      [...STATUSES].sort(),
    );
    // The domain's own vocabulary, word for word.
    expect(response.body.terms).toEqual(GLOSSARY.terms);
    expect(response.body.statuses.find((entry: { status: string }) => entry.status === 'acceptance')).toEqual(
      GLOSSARY.statuses.find((entry) => entry.status === 'acceptance'),
    );
  });
});

describe('metrics', () => {
  it('serves Prometheus metrics to the admin only', async () => {
    await actors.pmo.get('/v1/deliverables');
    const scrape = await actors.admin.get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/text\/plain/);
    expect(scrape.body).toContain('baton_http_request_duration_seconds_count');
    expect(scrape.body).toContain('baton_outbox_unpublished');
    expect(scrape.body).toContain('baton_queue_jobs');
    expectProblem(await anonymous.get('/metrics'), 401);
    expectProblem(await actors.pmo.get('/metrics'), 403);
  });
});

describe('authentication and roles', () => {
  it('answers 401 without a token or with an unknown one', async () => {
    expectProblem(await anonymous.get('/v1/deliverables'), 401);
    expectProblem(await anonymous.as('bat_not_a_real_token').get('/v1/deliverables'), 401);
  });

  it('answers 403 when the role is missing, and lets admin act as pmo and smo', async () => {
    expectProblem(await actors.pmo.post('/v1/services', { name: 'x', tier: 1 }), 403);
    expectProblem(await actors.smo.post('/v1/principals', { name: 'x', roles: ['pmo'] }), 403);
    expect((await actors.admin.post('/v1/services', { name: 'admin made', tier: 2 })).status).toBe(201);
  });

  it('keeps only a hash of tokens and shows a token once', async () => {
    const created = await actors.admin.post('/v1/principals', { name: 'integration', roles: ['smo'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^bat_/);
    const listed = await actors.admin.get('/v1/principals?limit=500');
    const entry = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });
});

describe('deliverables', () => {
  it('creates a draft with the default readiness checklist and names what the caller may do', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    expect(deliverable).toMatchObject({
      status: 'draft',
      version: 1,
      projectId,
      serviceId,
      submittedBy: null,
    });
    // The built-in default checklist, every criterion pending.
    expect(deliverable.readiness.criteria.map((criterion: { key: string }) => criterion.key)).toEqual(
      DEFAULT_CHECKLIST.criteria.map((criterion) => criterion.key),
    );
    expect(
      new Set(deliverable.readiness.criteria.map((criterion: { status: string }) => criterion.status)),
    ).toEqual(new Set(['pending']));
    const asPmo = await actors.pmo.get(`/v1/deliverables/${deliverable.id}`);
    expect(asPmo.headers.get('etag')).toBe('"1"');
    expect(asPmo.body.allowedActions).toEqual(expect.arrayContaining(['edit', 'submit', 'hold', 'cancel']));
    const asSmo = await actors.smo.get(`/v1/deliverables/${deliverable.id}`);
    expect(asSmo.body.allowedActions).not.toContain('submit');
  });

  it('lists with filters, limit and cursor', async () => {
    const project = await createProject(actors.pmo);
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await createDeliverable(actors.pmo, { projectId: project, serviceId }));
    await actors.pmo.post(`/v1/deliverables/${made[0].id}/submit`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await actors.smo.get(
        `/v1/deliverables?projectId=${project}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((item) => item.id).reverse());
    const drafts = await actors.smo.get(`/v1/deliverables?projectId=${project}&status=draft`);
    expect(drafts.body.items).toHaveLength(4);
    const either = await actors.smo.get(
      `/v1/deliverables?projectId=${project}&status=draft,readiness,acceptance`,
    );
    expect(either.body.items).toHaveLength(5);
  });

  it('refuses bad input with a problem document and changes nothing', async () => {
    const before = await actors.pmo.get(`/v1/deliverables?projectId=${projectId}&limit=500`);
    const base = {
      projectId,
      serviceId,
      title: 'T',
      changeType: 'new_service',
      targetGoLive: '2027-01-01T00:00:00Z',
    };

    const malformed = await actors.pmo.post('/v1/deliverables', '{"title": ');
    expectProblem(malformed, 400);

    const wrongTypes = await actors.pmo.post('/v1/deliverables', {
      ...base,
      title: 42,
      changeType: 'big',
      targetGoLive: 'soon',
    });
    expectProblem(wrongTypes, 400);
    expect(wrongTypes.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'changeType',
      'targetGoLive',
      'title',
    ]);

    const unknownField = await actors.pmo.post('/v1/deliverables', { ...base, colour: 'blue' });
    expectProblem(unknownField, 400);
    expect(unknownField.body.errors).toEqual([{ path: 'colour', message: 'unknown field' }]);

    const unknownProject = await actors.pmo.post('/v1/deliverables', {
      ...base,
      projectId: '8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d',
    });
    expectProblem(unknownProject, 404);
    expect(unknownProject.body.errors).toEqual([{ path: 'projectId', message: 'no project with this id' }]);

    const nulByte = await actors.pmo.post('/v1/deliverables', { ...base, title: 'a\u0000b' });
    expectProblem(nulByte, 400);

    const oversized = await actors.pmo.post('/v1/deliverables', {
      ...base,
      description: 'x'.repeat(1024 * 1024 + 10),
    });
    expectProblem(oversized, 413);

    expectProblem(await actors.pmo.get('/v1/deliverables/not-a-uuid'), 400);
    expectProblem(await actors.pmo.get('/v1/deliverables/8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d'), 404);
    expectProblem(await actors.pmo.post('/v1/deliverables/8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d/submit'), 404);
    expectProblem(await actors.pmo.get('/v1/deliverables?limit=501'), 400);
    expectProblem(await actors.pmo.get('/v1/deliverables?cursor=garbage'), 400);
    expectProblem(await actors.pmo.get('/v1/deliverables?status=nope'), 400);
    expectProblem(await actors.pmo.get('/v1/nothing-here'), 404);

    const after = await actors.pmo.get(`/v1/deliverables?projectId=${projectId}&limit=500`);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('answers 409 with the state and allowed actions for an illegal transition', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const response = await actors.pmo.post(`/v1/deliverables/${deliverable.id}/resubmit`);
    expectProblem(response, 409);
    expect(response.body.state).toBe('draft');
    expect(response.body.allowedActions).toEqual(expect.arrayContaining(['submit']));
  });

  it('holds and resumes into the state it was held in, and cancels for good', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const id = deliverable.id;
    expect((await actors.pmo.post(`/v1/deliverables/${id}/submit`)).body.status).toBe('readiness');
    expectProblem(await actors.smo.post(`/v1/deliverables/${id}/hold`, {}), 400);
    expect(
      (await actors.smo.post(`/v1/deliverables/${id}/hold`, { reason: 'budget review' })).body.status,
    ).toBe('on_hold');
    expect((await actors.pmo.post(`/v1/deliverables/${id}/resume`)).body.status).toBe('readiness');
    expect((await actors.pmo.post(`/v1/deliverables/${id}/cancel`, { reason: 'descoped' })).body.status).toBe(
      'cancelled',
    );
    const after = await actors.pmo.get(`/v1/deliverables/${id}`);
    expect(after.body.allowedActions).toEqual([]);
    expectProblem(await actors.pmo.post(`/v1/deliverables/${id}/resume`), 409);
  });
});

describe('concurrency', () => {
  it('lets exactly one of 20 concurrent submits of one draft through, with one audit event', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`)),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const history = await actors.pmo.get(`/v1/deliverables/${deliverable.id}/history`);
    expect(history.body.items.map((event: { action: string }) => event.action)).toEqual(['create', 'submit']);
  });

  it('gives one 200 and nine 412 to 10 PATCHes with the same If-Match', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        actors.pmo.patch(
          `/v1/deliverables/${deliverable.id}`,
          { title: `title ${i}` },
          { 'if-match': '"1"' },
        ),
      ),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(results.filter((result) => result.status === 412)).toHaveLength(9);
    const winner = results.find((result) => result.status === 200)!;
    expect(winner.headers.get('etag')).toBe('"2"');
    const now = await actors.pmo.get(`/v1/deliverables/${deliverable.id}`);
    expect(now.body).toMatchObject({ version: 2, title: winner.body.title });
  });

  it('accepts bare and quoted If-Match and refuses a malformed one', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const path = `/v1/deliverables/${deliverable.id}`;
    expect((await actors.pmo.patch(path, { title: 'bare' }, { 'if-match': '1' })).status).toBe(200);
    expect((await actors.pmo.patch(path, { title: 'quoted' }, { 'if-match': '"2"' })).status).toBe(200);
    expectProblem(await actors.pmo.patch(path, { title: 'stale' }, { 'if-match': '"2"' }), 412);
    expectProblem(await actors.pmo.patch(path, { title: 'bad' }, { 'if-match': 'yesterday' }), 400);
    expect((await actors.pmo.get(path)).body.title).toBe('quoted');
  });
});

describe('audit', () => {
  it('keeps a hash chain that recomputes from the served history', async () => {
    const deliverable = await createDeliverable(actors.pmo, { projectId, serviceId });
    const id = deliverable.id;
    await actors.pmo.patch(`/v1/deliverables/${id}`, { description: 'what it is' });
    await actors.pmo.post(`/v1/deliverables/${id}/submit`);
    await actors.smo.post(`/v1/deliverables/${id}/hold`, { reason: 'wait' });
    await actors.smo.post(`/v1/deliverables/${id}/resume`);
    const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
    expect(history.status).toBe(200);
    const events = history.body.items;
    expect(events.map((event: { seq: number }) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]).toMatchObject({
      action: 'create',
      fromStatus: null,
      toStatus: 'draft',
      prevHash: null,
    });
    expect(events.map((event: { toStatus: string }) => event.toStatus)).toEqual([
      'draft',
      'draft',
      'readiness',
      'on_hold',
      'readiness',
    ]);
    expect(verifyChain(events)).toBeNull();
    const forged = events.map((event: any, index: number) =>
      index === 2 ? { ...event, principalId: null } : event,
    );
    expect(verifyChain(forged)).toEqual({ seq: 3, reason: 'hash' });
  });
});
