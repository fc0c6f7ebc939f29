// GET /v1/inbox: what waits for an approver's decision. Quorum (the item stays until it is reached, with the
// decisions so far), the submitter excluded, a principal's own decision removes the item for it, most urgent
// first (decision SLA due, target go-live, id), overdue, no approver role: empty, paging, bad cursors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { sleep } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { ok } from '../support/scene.js';
import { scratchDatabase } from '../support/scratch-database.js';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
let pmo: ApiClient;
let smo: ApiClient;
let owner: ApiClient;
let owner2: ApiClient;
let change: ApiClient;
/** pmo and service owner: submits, and approves what others submit */
let dual: ApiClient;
let ids: Record<string, string>;
let projectId: string;
/** tier 3: decision SLA of an hour; tier 2: of 2 s */
let slowService: string;
let fastService: string;

const policy = (decisionSla: string) => ({
  acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla },
  elsExit: { roles: ['service_owner'], quorum: 1, decisionSla },
  elsDuration: 'P1D',
  elsFollowUpEvery: 'P1D',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: [],
});

/** A deliverable taken to acceptance by `by`. */
async function atAcceptance(by: ApiClient, serviceId: string, goLiveInDays = 30): Promise<string> {
  const created = await ok(
    by.post('/v1/deliverables', {
      projectId,
      serviceId,
      title: unique('inbox'),
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + goLiveInDays * 86_400_000).toISOString(),
    }),
    'create',
  );
  await ok(by.post(`/v1/deliverables/${created.id}/submit`), 'submit');
  const accepted = await ok(
    by.post(`/v1/deliverables/${created.id}/readiness/runbook/attest`, { evidence: 'wiki' }),
    'attest',
  );
  expect(accepted.status).toBe('acceptance');
  return created.id as string;
}

const decide = (client: ApiClient, id: string, role: string, decision = 'approve') =>
  ok(client.post(`/v1/deliverables/${id}/decisions`, { gate: 'acceptance', role, decision }), 'decide');

async function inboxOf(client: ApiClient, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await ok(
      client.get(`/v1/inbox?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      'inbox',
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const itemOf = (items: any[], id: string): any => items.find((item) => item.deliverable.id === id);

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({ app: 'api', env: { DATABASE_URL: scratch.url } });
  admin = new ApiClient(baton.url, baton.adminToken);
  await ok(admin.request('PUT', '/v1/policies/3', policy('PT1H')), 'policy 3');
  await ok(admin.request('PUT', '/v1/policies/2', policy('PT2S')), 'policy 2');
  await ok(
    admin.post('/v1/checklists', {
      name: 'inbox',
      changeTypes: ['minor_change'],
      tiers: [2, 3],
      criteria: [
        {
          key: 'runbook',
          title: 'Runbook',
          practice: 'knowledge management',
          mandatory: true,
          kind: 'manual',
        },
      ],
    }),
    'checklist',
  );
  const made = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('change'), ['change_manager', 'security']),
    createPrincipal(admin, unique('dual'), ['pmo', 'service_owner']),
  ]);
  [pmo, smo, owner, owner2, change, dual] = made.map((principal) => principal.client);
  ids = Object.fromEntries(
    ['pmo', 'smo', 'owner', 'owner2', 'change', 'dual'].map((name, index) => [name, made[index].id]),
  );
  slowService = (await ok(admin.post('/v1/services', { name: unique('slow'), tier: 3 }), 'service')).id;
  fastService = (await ok(admin.post('/v1/services', { name: unique('fast'), tier: 2 }), 'service')).id;
  projectId = (
    await ok(pmo.post('/v1/projects', { key: unique('INB'), name: 'Inbox', methodology: 'pmbok' }), 'project')
  ).id;
}, 60_000);

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
});

describe('GET /v1/inbox', () => {
  it('shows a deliverable at a gate to each approver role until quorum, with the decisions so far', async () => {
    const id = await atAcceptance(pmo, slowService);
    const entered = Date.now();
    const first = itemOf(await inboxOf(owner), id);
    expect(first).toMatchObject({
      gate: 'acceptance',
      round: 1,
      roles: ['service_owner'],
      awaitingRoles: ['service_owner', 'change_manager'],
      quorum: 2,
      approvals: 0,
      approvalsNeeded: 2,
      decisions: [],
      overdue: false,
    });
    expect(first.deliverable.status).toBe('acceptance');
    expect(first.deliverable.allowedActions).toContain('decide');
    expect(Math.abs(Date.parse(first.slaDueAt) - (entered + 3_600_000))).toBeLessThan(5000);
    // Only the caller's roles that decide here: security does not.
    expect(itemOf(await inboxOf(change), id).roles).toEqual(['change_manager']);

    await decide(owner, id, 'service_owner');
    expect(itemOf(await inboxOf(owner), id)).toBeUndefined();
    const waiting = itemOf(await inboxOf(change), id);
    expect(waiting).toMatchObject({ approvals: 1, approvalsNeeded: 1 });
    expect(waiting.decisions).toEqual([
      {
        principalId: ids.owner,
        onBehalfOf: null,
        role: 'service_owner',
        decision: 'approve',
        comment: null,
        at: expect.any(String),
      },
    ]);
    expect(itemOf(await inboxOf(owner2), id)).toMatchObject({ approvals: 1 });

    await decide(change, id, 'change_manager');
    for (const client of [owner, owner2, change, dual])
      expect(itemOf(await inboxOf(client), id)).toBeUndefined();
  });

  it('never shows a deliverable to its submitter, whatever roles it holds', async () => {
    const own = await atAcceptance(dual, slowService);
    const others = await atAcceptance(pmo, slowService);
    const items = await inboxOf(dual);
    expect(itemOf(items, own)).toBeUndefined();
    expect(itemOf(items, others)).toBeDefined();
    expect(itemOf(await inboxOf(owner), own)).toBeDefined();
  });

  it('is empty, not an error, for a principal without an approver role', async () => {
    await atAcceptance(pmo, slowService);
    const answer = await smo.get('/v1/inbox');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], nextCursor: null });
    expect((await admin.get('/v1/inbox')).body).toEqual({ items: [], nextCursor: null });
  });

  it('puts the most urgent first: decision SLA due, then target go-live; overdue once the SLA passed', async () => {
    const later = await atAcceptance(pmo, slowService, 5);
    const soonDue = await atAcceptance(pmo, fastService, 60);
    const items = await inboxOf(owner2);
    expect(items.findIndex((item) => item.deliverable.id === soonDue)).toBeLessThan(
      items.findIndex((item) => item.deliverable.id === later),
    );
    const key = (item: any): [number, number, string] => [
      item.slaDueAt === null ? Infinity : Date.parse(item.slaDueAt),
      Date.parse(item.deliverable.targetGoLive),
      item.deliverable.id,
    ];
    const sorted = [...items].sort((x, y) => {
      const [a, b] = [key(x), key(y)];
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    expect(items.map((item) => item.deliverable.id)).toEqual(sorted.map((item) => item.deliverable.id));
    expect(itemOf(items, later).overdue).toBe(false);
    await sleep(2100);
    const overdue = itemOf(await inboxOf(owner2), soonDue);
    expect(overdue.overdue).toBe(true);
    expect(Date.parse(overdue.slaDueAt)).toBeLessThanOrEqual(Date.now());
  });

  it('pages with limit and cursor through the same list, and refuses a cursor it did not give out', async () => {
    await Promise.all([1, 2, 3].map(() => atAcceptance(pmo, slowService)));
    const all = (await inboxOf(owner2)).map((item) => item.deliverable.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await ok(
        owner2.get(`/v1/inbox?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        'page',
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((item: any) => item.deliverable.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const listCursor = (await ok(owner2.get('/v1/deliverables?limit=1'), 'list')).nextCursor;
    for (const bad of ['nope', listCursor]) {
      const answer = await owner2.get(`/v1/inbox?cursor=${encodeURIComponent(bad)}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        { path: 'cursor', message: 'unknown cursor; pass nextCursor from the previous page' },
      ]);
    }
    expect((await owner2.get('/v1/inbox?limit=0')).status).toBe(400);
    expect((await owner2.get('/v1/inbox?status=acceptance')).status).toBe(400);
    expect((await owner2.as(null).get('/v1/inbox')).status).toBe(401);
  });

  it('shows the deliverable again in the next round to an approver who decided in the last one', async () => {
    const id = await atAcceptance(pmo, slowService);
    await decide(owner, id, 'service_owner', 'request_changes');
    expect(itemOf(await inboxOf(owner), id)).toBeUndefined();
    await ok(pmo.post(`/v1/deliverables/${id}/resubmit`), 'resubmit');
    const again = await ok(pmo.get(`/v1/deliverables/${id}`), 'read');
    if (again.status !== 'acceptance')
      await ok(
        pmo.post(`/v1/deliverables/${id}/readiness/runbook/attest`, { evidence: 'wiki, again' }),
        'attest',
      );
    const item = itemOf(await inboxOf(owner), id);
    expect(item).toMatchObject({ round: 2, approvals: 0, decisions: [] });
  });
});
