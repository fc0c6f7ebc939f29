// The practice catalogue and the continual improvement register over HTTP (API.md, "Practices and the
// improvement register"): a checklist names practices of the catalogue (stored by key), a deliverable shows
// its coverage by practice (templates stored before the catalogue keep working, unclassified), and
// GET /v1/lessons finds every lesson of every deliverable. A scratch database and a queue prefix of its own;
// an ELS of two seconds so that deliverables reach els_review, where lessons are recorded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_POLICIES } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createDeliverable, createProject, createService, unique } from '../support/fixtures.js';
import { getDeliverable, waitForStatus } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const TIER = 3;

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
let pmo: ApiClient;
let smo: ApiClient;
let approver: ApiClient;
let auditor: ApiClient;
let pmoId: string;

async function principal(name: string, roles: string[]) {
  const response = await admin.post('/v1/principals', { name: unique(name), roles });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, client: admin.as(response.body.token) };
}

const checklist = (criteria: object[], changeTypes = ['new_service']) => ({
  name: unique('practices'),
  changeTypes,
  tiers: [TIER],
  criteria: criteria.map((criterion, index) => ({
    key: `c${index}`,
    title: `Criterion ${index}`,
    mandatory: true,
    kind: 'manual',
    ...criterion,
  })),
});

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({
    env: {
      DATABASE_URL: scratch.url,
      BATON_QUEUE_PREFIX: unique('baton_practices'),
      BATON_RELAY_INTERVAL_MS: '100',
    },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const made = await Promise.all([
    principal('pmo', ['pmo']),
    principal('smo', ['smo']),
    principal('approver', ['service_owner']),
    principal('auditor', ['auditor']),
  ]);
  [pmo, smo, approver, auditor] = made.map((one) => one.client);
  pmoId = made[0].id;
  const policy = await smo.request('PUT', `/v1/policies/${TIER}`, {
    ...DEFAULT_POLICIES[TIER],
    acceptance: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
    elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
    elsDuration: 'PT2S',
    elsFollowUpEvery: 'PT1H',
    elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
    readinessReminders: [],
  });
  expect(policy.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
});

describe('the practice of a checklist criterion', () => {
  it('names a practice of the catalogue by key or by name in any case, and is stored as its key', async () => {
    const made = await smo.post(
      '/v1/checklists',
      checklist(
        [
          { practice: 'service_level_management' },
          { practice: 'Knowledge Management' },
          { practice: '  monitoring and event management ' },
          { practice: 'SERVICE-DESK' },
        ],
        ['major_change'],
      ),
    );
    expect(made.status).toBe(201);
    expect(made.body.criteria.map((criterion: { practice: string }) => criterion.practice)).toEqual([
      'service_level_management',
      'knowledge_management',
      'monitoring_and_event_management',
      'service_desk',
    ]);
    const catalogue = await auditor.get('/v1/practices');
    const keys = catalogue.body.items.map((practice: { key: string }) => practice.key);
    for (const criterion of made.body.criteria) expect(keys).toContain(criterion.practice);
  });

  it('refuses a practice the catalogue does not hold, naming the criterion, and stores nothing', async () => {
    const before = await smo.get('/v1/checklists?limit=500');
    for (const practice of ['monitoring', 'p', 'release management, service level management', 'knowledge']) {
      const refused = await smo.post(
        '/v1/checklists',
        checklist([{ practice: 'knowledge_management' }, { practice }]),
      );
      expect([practice, refused.status, refused.headers.get('content-type')]).toEqual([
        practice,
        400,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({
          path: 'criteria.1.practice',
          message: expect.stringContaining('GET /v1/practices'),
        }),
      ]);
    }
    const after = await smo.get('/v1/checklists?limit=500');
    expect(after.body.items).toEqual(before.body.items);
  });
});

describe('coverage by practice', () => {
  it('counts each practice of the deliverable, passed and waived, in the catalogue order', async () => {
    const template = await smo.post(
      '/v1/checklists',
      checklist(
        [
          { practice: 'service_desk' },
          { practice: 'knowledge_management' },
          { practice: 'knowledge_management', mandatory: false },
          { practice: 'service_desk' },
        ],
        ['minor_change'],
      ),
    );
    expect(template.status).toBe(201);
    const [projectId, serviceId] = await Promise.all([createProject(pmo), createService(smo, TIER)]);
    const created = await createDeliverable(pmo, { projectId, serviceId }, { changeType: 'minor_change' });
    expect(created.readiness.practices).toEqual([
      {
        key: 'knowledge_management',
        name: 'Knowledge management',
        total: 2,
        passed: 0,
        waived: 0,
        criteria: ['c1', 'c2'],
      },
      { key: 'service_desk', name: 'Service desk', total: 2, passed: 0, waived: 0, criteria: ['c0', 'c3'] },
    ]);
    const id = created.id;
    expect((await pmo.post(`/v1/deliverables/${id}/readiness/c0/attest`, { evidence: 'wiki' })).status).toBe(
      200,
    );
    // Waivers are the SMO's, once the deliverable is submitted (it waits in readiness for the rest).
    const submitted = await pmo.post(`/v1/deliverables/${id}/submit`, {});
    expect([submitted.status, submitted.body.status]).toEqual([200, 'readiness']);
    const waived = await smo.post(`/v1/deliverables/${id}/readiness/c2/waive`, { reason: 'not needed' });
    expect(waived.status).toBe(200);
    expect(waived.body.readiness.practices).toEqual([
      {
        key: 'knowledge_management',
        name: 'Knowledge management',
        total: 2,
        passed: 0,
        waived: 1,
        criteria: ['c1', 'c2'],
      },
      { key: 'service_desk', name: 'Service desk', total: 2, passed: 1, waived: 0, criteria: ['c0', 'c3'] },
    ]);
  });

  it('keeps a template stored before the catalogue working, its unknown practices unclassified', async () => {
    // As an installation before the catalogue stored it: free-text practices, one naming two of them.
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO checklist_templates (id, name, version, change_types, tiers, criteria, created_by, created_at)
         VALUES ($1, $2, 1, '{retirement}', '{${TIER}}', $3::jsonb, NULL, now())`,
        [
          randomUUID(),
          unique('before-catalogue'),
          JSON.stringify([
            {
              key: 'kb',
              title: 'Runbooks',
              practice: 'knowledge management',
              mandatory: true,
              kind: 'manual',
            },
            {
              key: 'plan',
              title: 'ELS plan',
              practice: 'release management, service level management',
              mandatory: true,
              kind: 'manual',
            },
            { key: 'train', title: 'Training', practice: 'workforce', mandatory: false, kind: 'manual' },
          ]),
        ],
      );
    } finally {
      await client.end();
    }
    const [projectId, serviceId] = await Promise.all([createProject(pmo), createService(smo, TIER)]);
    const created = await createDeliverable(pmo, { projectId, serviceId }, { changeType: 'retirement' });
    expect(created.readiness.criteria.map((criterion: { practice: string }) => criterion.practice)).toEqual([
      'knowledge management',
      'release management, service level management',
      'workforce',
    ]);
    expect(created.readiness.practices).toEqual([
      {
        key: 'knowledge_management',
        name: 'Knowledge management',
        total: 1,
        passed: 0,
        waived: 0,
        criteria: ['kb'],
      },
      {
        key: 'unclassified',
        name: 'Unclassified',
        total: 2,
        passed: 0,
        waived: 0,
        criteria: ['plan', 'train'],
        named: ['release management, service level management', 'workforce'],
      },
    ]);
    // And it works: the stored criteria are attested and the deliverable submitted as any other.
    for (const key of ['kb', 'plan']) {
      const attested = await pmo.post(`/v1/deliverables/${created.id}/readiness/${key}/attest`, {
        evidence: 'wiki',
      });
      expect(attested.status).toBe(200);
    }
    const submitted = await pmo.post(`/v1/deliverables/${created.id}/submit`, {});
    expect([submitted.status, submitted.body.status]).toEqual([200, 'acceptance']);
  });
});

describe('the continual improvement register', () => {
  /** A deliverable of the one-criterion template, walked to els_review, with these lessons recorded. */
  async function withLessons(refs: { projectId: string; serviceId: string }, lessons: string[]) {
    const created = await createDeliverable(pmo, refs, { title: unique('register') });
    const id: string = created.id;
    const step = async (client: ApiClient, rest: string, body: unknown) => {
      const answer = await client.post(`/v1/deliverables/${id}${rest}`, body);
      expect([rest, answer.status]).toEqual([rest, 200]);
    };
    await step(pmo, '/readiness/c0/attest', { evidence: 'wiki' });
    await step(pmo, '/submit', {});
    await step(approver, '/decisions', { gate: 'acceptance', role: 'service_owner', decision: 'approve' });
    const start = Date.now() + 86_400_000;
    await step(smo, '/go-live/schedule', {
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(start + 3_600_000).toISOString(),
    });
    await step(smo, '/go-live/confirm', {});
    await waitForStatus(smo, id, 'els_review', 15_000);
    for (const text of lessons) await step(pmo, '/lessons', { text });
    return { id, title: created.title as string };
  }

  const registerTemplate = () =>
    smo.post('/v1/checklists', checklist([{ practice: 'knowledge_management' }]));

  let projectA: string;
  let projectB: string;
  let serviceA: string;
  let serviceB: string;
  let first: { id: string; title: string };
  let second: { id: string; title: string };
  let third: { id: string; title: string };

  beforeAll(async () => {
    expect((await registerTemplate()).status).toBe(201);
    [projectA, projectB, serviceA, serviceB] = await Promise.all([
      createProject(pmo),
      createProject(pmo),
      createService(smo, TIER),
      createService(smo, TIER),
    ]);
    [first, second, third] = await Promise.all([
      withLessons({ projectId: projectA, serviceId: serviceA }, [
        'Book the load test earlier: the testing slot was gone',
        'Runbooks were written after go-live',
      ]),
      withLessons({ projectId: projectA, serviceId: serviceB }, ['Hypercare was too short for 50% of users']),
      withLessons({ projectId: projectB, serviceId: serviceB }, ['Name the on-call rota before go_live_2']),
    ]);
  }, 90_000);

  const texts = (body: { items: { text: string }[] }) => body.items.map((lesson) => lesson.text);

  it('lists every lesson of every deliverable newest first, with its deliverable, service and project', async () => {
    const all = await auditor.get('/v1/lessons');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(4);
    const times = all.body.items.map((lesson: { at: string }) => lesson.at);
    expect([...times].sort().reverse()).toEqual(times);
    const runbooks = all.body.items.find((lesson: { text: string }) => lesson.text.startsWith('Runbooks'));
    expect(runbooks).toEqual({
      text: 'Runbooks were written after go-live',
      recordedBy: pmoId,
      at: expect.any(String),
      deliverable: { id: first.id, title: first.title, status: 'els_review' },
      service: { id: serviceA, name: expect.any(String) },
      project: { id: projectA, key: expect.any(String), name: 'Project' },
    });
    // Each lesson as the deliverable itself holds it.
    const held = (await getDeliverable(smo, first.id)).body.lessons;
    expect(held.map((lesson: { text: string; at: string }) => [lesson.text, lesson.at])).toEqual(
      all.body.items
        .filter((lesson: any) => lesson.deliverable.id === first.id)
        .reverse()
        .map((lesson: { text: string; at: string }) => [lesson.text, lesson.at]),
    );
  });

  it('narrows by service and by project, and both', async () => {
    const byService = await auditor.get(`/v1/lessons?serviceId=${serviceB}`);
    expect(texts(byService.body).sort()).toEqual([
      'Hypercare was too short for 50% of users',
      'Name the on-call rota before go_live_2',
    ]);
    const byProject = await auditor.get(`/v1/lessons?projectId=${projectA}`);
    expect(byProject.body.items.map((lesson: any) => lesson.deliverable.id).sort()).toEqual(
      [first.id, first.id, second.id].sort(),
    );
    const both = await auditor.get(`/v1/lessons?projectId=${projectB}&serviceId=${serviceB}`);
    expect(texts(both.body)).toEqual(['Name the on-call rota before go_live_2']);
    expect(both.body.items[0].deliverable.id).toBe(third.id);
    const none = await auditor.get(`/v1/lessons?projectId=${projectB}&serviceId=${serviceA}`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('finds words by their stem, part of a word in any case, and takes wildcards literally', async () => {
    const search = async (q: string) =>
      texts((await auditor.get(`/v1/lessons?q=${encodeURIComponent(q)}`)).body).sort();
    expect(await search('tests')).toEqual(['Book the load test earlier: the testing slot was gone']);
    expect(await search('RUNBOOK')).toEqual(['Runbooks were written after go-live']);
    expect(await search('hyperc')).toEqual(['Hypercare was too short for 50% of users']);
    expect(await search('load test -slot')).toEqual([]);
    expect(await search('"written after"')).toEqual(['Runbooks were written after go-live']);
    expect(await search('50%')).toEqual(['Hypercare was too short for 50% of users']);
    expect(await search('go_live_2')).toEqual(['Name the on-call rota before go_live_2']);
    expect(await search('nothing like it')).toEqual([]);
  });

  it('refuses a search with nothing to find or too long, a bad filter or cursor: 400, never a 500', async () => {
    const cases: [string, string][] = [
      ['?q=%25', 'q'],
      [`?q=${encodeURIComponent('!?.,;:-()[]{}"\'')}`, 'q'],
      ['?q=%20%20', 'q'],
      [`?q=${'x'.repeat(10_000)}`, 'q'],
      ['?q=a%00b', 'q'],
      ['?serviceId=not-a-uuid', 'serviceId'],
      ['?projectId=1', 'projectId'],
      ['?cursor=abc', 'cursor'],
      ['?limit=0', 'limit'],
      ['?sort=at', 'sort'],
    ];
    for (const [query, field] of cases) {
      const refused = await auditor.get(`/v1/lessons${query}`);
      expect([query.slice(0, 40), refused.status, refused.headers.get('content-type')]).toEqual([
        query.slice(0, 40),
        400,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
    }
  });

  it('pages with a cursor, each lesson once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await auditor.get(`/v1/lessons?limit=1${query}`);
      expect(page.status).toBe(200);
      seen.push(...texts(page.body));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(texts((await auditor.get('/v1/lessons')).body));
    expect(seen).toHaveLength(4);
  });

  it('answers 401 without a token', async () => {
    expect((await admin.as(null).get('/v1/lessons')).status).toBe(401);
  });
});
