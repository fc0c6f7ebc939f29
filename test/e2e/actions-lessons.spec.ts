// Follow-on actions and lessons learned over HTTP (API.md, "Follow-on actions and lessons"), one test per
// rule: each fails if its rule is taken out of the product. A scratch database, a queue prefix, a mailbox
// and a webhook receiver of its own; ELS periods of a few seconds where a period must end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICIES } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createDeliverable, createProject, createService, unique } from '../support/fixtures.js';
import { getDeliverable, sleep, waitFor, waitForStatus } from '../support/handover-flow.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { Mailbox } from '../support/mailbox.js';
import { Receiver } from '../support/receiver.js';
import { scratchDatabase } from '../support/scratch-database.js';

/** ELS of three days: nothing ends while a test runs. */
const SLOW_TIER = 4;
/** ELS of a few seconds, action owners required (the default). */
const FAST_TIER = 3;
/** As FAST_TIER, with the action-owner exit criterion switched off. */
const OFF_TIER = 2;
const ELS = 'PT3S';
const MANUAL = 'runbook';

const policy = (tier: 2 | 3 | 4, changes: object = {}) => ({
  ...DEFAULT_POLICIES[tier],
  acceptance: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
  elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
  elsFollowUpEvery: 'PT1H',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: [],
  ...changes,
});

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
const mailbox = new Mailbox();
const receiver = new Receiver();
let admin: ApiClient;
let pmo: ApiClient;
let smo: ApiClient;
let approver: ApiClient;
/** A principal with no pmo or smo role that owns actions: it closes its own, and only those. */
let owner: ApiClient;
const ids: Record<'pmo' | 'smo' | 'approver' | 'owner' | 'other', string> = {} as never;
const emails = {
  smo: `${unique('smo')}@example.com`,
  owner: `${unique('owner')}@example.com`,
  other: `${unique('other')}@example.com`,
};
let projectId: string;
const services: Record<number, string> = {};

async function principal(name: string, roles: string[], email?: string) {
  const response = await admin.post('/v1/principals', {
    name: unique(name),
    roles,
    ...(email ? { email } : {}),
  });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, client: admin.as(response.body.token) };
}

beforeAll(async () => {
  const [smtp, hooks] = await Promise.all([mailbox.start(), receiver.start()]);
  scratch = await scratchDatabase();
  baton = await startBaton({
    env: {
      DATABASE_URL: scratch.url,
      BATON_SMTP_URL: smtp,
      BATON_OUTBOUND_DENY: '169.254.0.0/16',
      BATON_QUEUE_PREFIX: unique('baton_actions'),
      BATON_RELAY_INTERVAL_MS: '100',
    },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const made = await Promise.all([
    principal('pmo', ['pmo']),
    principal('smo', ['smo'], emails.smo),
    principal('approver', ['service_owner']),
    principal('owner', ['operations'], emails.owner),
    principal('other', ['operations'], emails.other),
  ]);
  [pmo, smo, approver, owner] = made.map((made) => made.client);
  [ids.pmo, ids.smo, ids.approver, ids.owner, ids.other] = made.map((made) => made.id);
  for (const [tier, body] of [
    [SLOW_TIER, policy(4)],
    [FAST_TIER, policy(3, { elsDuration: ELS })],
    [OFF_TIER, policy(2, { elsDuration: ELS, elsExitRequiresActionOwners: false })],
  ] as const) {
    const put = await smo.request('PUT', `/v1/policies/${tier}`, body);
    expect([tier, put.status, put.body]).toEqual([tier, 200, expect.objectContaining({ tier })]);
  }
  const template = await smo.post('/v1/checklists', {
    name: unique('actions'),
    changeTypes: ['new_service'],
    tiers: [SLOW_TIER, FAST_TIER, OFF_TIER],
    criteria: [
      { key: MANUAL, title: 'Runbooks', practice: 'knowledge management', mandatory: true, kind: 'manual' },
    ],
  });
  expect(template.status).toBe(201);
  projectId = await createProject(pmo);
  for (const tier of [SLOW_TIER, FAST_TIER, OFF_TIER]) services[tier] = await createService(smo, tier);
  const hook = await admin.post('/v1/webhooks', {
    url: `${hooks}/actions`,
    events: ['action.created', 'action.closed'],
    secret: 'actions-secret-0123456789',
  });
  expect(hook.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
  await mailbox.stop();
  await receiver.stop();
});

type Stop = 'draft' | 'approved' | 'scheduled' | 'early_life_support';

/** A new deliverable of `tier`, walked to `stop` over the API. */
async function deliverableAt(stop: Stop, tier: number = SLOW_TIER): Promise<string> {
  const created = await createDeliverable(pmo, { projectId, serviceId: services[tier] });
  const id: string = created.id;
  if (stop === 'draft') return id;
  const step = async (client: ApiClient, rest: string, body: unknown, status: string) => {
    const answer = await client.post(`/v1/deliverables/${id}${rest}`, body);
    expect([rest, answer.status, answer.body.status]).toEqual([rest, 200, status]);
  };
  await step(pmo, `/readiness/${MANUAL}/attest`, { evidence: 'wiki' }, 'draft');
  await step(pmo, '/submit', {}, 'acceptance');
  await step(
    approver,
    '/decisions',
    { gate: 'acceptance', role: 'service_owner', decision: 'approve' },
    'approved',
  );
  if (stop === 'approved') return id;
  const start = Date.now() + 86_400_000;
  await step(
    smo,
    '/go-live/schedule',
    { windowStart: new Date(start).toISOString(), windowEnd: new Date(start + 3_600_000).toISOString() },
    'scheduled',
  );
  if (stop === 'scheduled') return id;
  await step(smo, '/go-live/confirm', {}, 'early_life_support');
  return id;
}

const post = (client: ApiClient, id: string, rest: string, body: unknown): Promise<ApiResponse> =>
  client.post(`/v1/deliverables/${id}${rest}`, body);

const view = async (id: string): Promise<any> => (await getDeliverable(smo, id)).body;

async function history(id: string): Promise<any[]> {
  return (await smo.get(`/v1/deliverables/${id}/history`)).body.items;
}

async function reminders(id: string): Promise<any[]> {
  return (await smo.get(`/v1/deliverables/${id}/reminders`)).body.items;
}

/** The refusal, and that it changed nothing: same version, same actions and lessons, no audit event. */
async function expectRefused(
  id: string,
  call: () => Promise<ApiResponse>,
  status: number,
  problem: Record<string, unknown> = {},
): Promise<any> {
  const before = await view(id);
  const events = (await history(id)).length;
  const answer = await call();
  expect({ status: answer.status, body: answer.body }).toMatchObject({
    status,
    body: { status, ...problem },
  });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const after = await view(id);
  expect({ version: after.version, actions: after.actions, lessons: after.lessons }).toEqual({
    version: before.version,
    actions: before.actions,
    lessons: before.lessons,
  });
  expect((await history(id)).length).toBe(events);
  return answer.body;
}

/** A deliverable of FAST_TIER in els_review: the period ended with every exit criterion met. */
async function inReview(tier = FAST_TIER): Promise<string> {
  const id = await deliverableAt('early_life_support', tier);
  await waitForStatus(smo, id, 'els_review', 15_000);
  return id;
}

describe('where actions and lessons are taken', () => {
  it('creates an action from scheduled to operational (201, the action, version + 1, one audit event), and nowhere before', async () => {
    for (const stop of ['draft', 'approved'] as const) {
      const id = await deliverableAt(stop);
      await expectRefused(id, () => post(smo, id, '/actions', { title: 'Known defect' }), 409, {
        code: 'HANDOVER.ACTION_NOT_ALLOWED',
      });
      expect((await view(id)).allowedActions).not.toContain('create_action');
    }
    for (const stop of ['scheduled', 'early_life_support'] as const) {
      const id = await deliverableAt(stop);
      const before = await view(id);
      expect(before.allowedActions).toContain('create_action');
      const created = await post(pmo, id, '/actions', { title: 'Known defect KD-7' });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe(`"${before.version + 1}"`);
      expect(created.body).toEqual({
        key: 'A-1',
        title: 'Known defect KD-7',
        ownerId: null,
        dueAt: null,
        status: 'open',
        createdAt: expect.any(String),
        createdBy: ids.pmo,
        closedAt: null,
        closedBy: null,
        note: null,
      });
      const after = await view(id);
      expect({ version: after.version, status: after.status, actions: after.actions }).toEqual({
        version: before.version + 1,
        status: stop,
        actions: [created.body],
      });
      const last = (await history(id)).at(-1);
      expect(last).toMatchObject({
        action: 'create_action',
        principalId: ids.pmo,
        fromStatus: stop,
        toStatus: stop,
        data: { key: 'A-1', title: 'Known defect KD-7' },
      });
      // Numbered in order.
      expect((await post(smo, id, '/actions', { title: 'Second' })).body.key).toBe('A-2');
    }
  }, 60_000);

  it('takes actions and lessons in els_review and operational, lessons nowhere before', async () => {
    const scheduled = await deliverableAt('scheduled');
    const els = await deliverableAt('early_life_support');
    for (const id of [scheduled, els]) {
      await expectRefused(id, () => post(pmo, id, '/lessons', { text: 'Too early' }), 409, {
        code: 'HANDOVER.ACTION_NOT_ALLOWED',
      });
      expect((await view(id)).allowedActions).not.toContain('record_lesson');
    }

    const id = await inReview();
    expect((await view(id)).allowedActions).toEqual(
      expect.arrayContaining(['create_action', 'record_lesson']),
    );
    expect((await post(smo, id, '/actions', { title: 'In review' })).status).toBe(201);
    const lesson = await post(pmo, id, '/lessons', { text: 'Book the load test earlier' });
    expect(lesson.status).toBe(200);
    expect(lesson.body.lessons).toEqual([
      { text: 'Book the load test earlier', recordedBy: ids.pmo, at: expect.any(String) },
    ]);

    // Into operational: the handover is over, the live service still records actions and lessons.
    const decided = await post(approver, id, '/decisions', {
      gate: 'els_exit',
      role: 'service_owner',
      decision: 'approve',
    });
    expect(decided.body.status).toBe('operational');
    expect((await post(smo, id, '/actions', { title: 'After go-live' })).status).toBe(201);
    expect((await post(smo, id, '/actions/A-2/assign', { ownerId: ids.owner })).status).toBe(200);
    const closed = await post(owner, id, '/actions/A-2/close', { note: 'done' });
    expect(closed.body).toMatchObject({
      status: 'operational',
      actions: [{ key: 'A-1' }, { key: 'A-2', status: 'closed' }],
    });
    const second = await post(smo, id, '/lessons', { text: 'Hypercare was too short' });
    expect(second.status).toBe(200);
    expect(second.body.lessons.map((l: { text: string }) => l.text)).toEqual([
      'Book the load test earlier',
      'Hypercare was too short',
    ]);
    // Nothing else is taken there.
    await expectRefused(id, () => post(smo, id, '/hold', { reason: 'no' }), 409, {
      code: 'HANDOVER.ACTION_NOT_ALLOWED',
    });
  }, 60_000);

  it('refuses actions while on hold and in rework (409)', async () => {
    const held = await deliverableAt('early_life_support');
    expect((await post(smo, held, '/hold', { reason: 'supplier' })).status).toBe(200);
    await expectRefused(held, () => post(smo, held, '/actions', { title: 'x' }), 409, {
      code: 'HANDOVER.ACTION_NOT_ALLOWED',
    });
    const rolledBack = await deliverableAt('scheduled');
    expect((await post(smo, rolledBack, '/actions', { title: 'Before rollback' })).status).toBe(201);
    expect((await post(smo, rolledBack, '/rollback', { reason: 'failed' })).body.status).toBe('rework');
    await expectRefused(rolledBack, () => post(smo, rolledBack, '/actions/A-1/close', {}), 409, {
      code: 'HANDOVER.ACTION_NOT_ALLOWED',
    });
  }, 60_000);
});

describe('assigning and closing', () => {
  it('assigns an owner (pmo or smo), who closes it; the PMO or SMO may close any; a closed action stays closed', async () => {
    const id = await deliverableAt('early_life_support');
    expect((await post(smo, id, '/actions', { title: 'Rotate the keys' })).status).toBe(201);
    expect((await post(smo, id, '/actions', { title: 'Tune the alerts' })).status).toBe(201);

    // Nobody else assigns, and an owner that is no principal is 404 naming the field.
    await expectRefused(id, () => post(owner, id, '/actions/A-1/assign', { ownerId: ids.owner }), 403, {
      code: 'HANDOVER.ROLE_REQUIRED',
    });
    const unknown = await expectRefused(
      id,
      () => post(smo, id, '/actions/A-1/assign', { ownerId: '00000000-0000-4000-8000-000000000000' }),
      404,
    );
    expect(unknown.errors).toEqual([expect.objectContaining({ path: 'ownerId' })]);
    await expectRefused(id, () => post(smo, id, '/actions/A-9/assign', { ownerId: ids.owner }), 404, {
      code: 'HANDOVER.UNKNOWN_ACTION',
    });

    const assigned = await post(pmo, id, '/actions/A-1/assign', { ownerId: ids.owner });
    expect(assigned.status).toBe(200);
    expect(assigned.body.actions[0]).toMatchObject({ key: 'A-1', ownerId: ids.owner, status: 'open' });
    expect((await history(id)).at(-1)).toMatchObject({
      action: 'assign_action',
      data: { key: 'A-1', ownerId: ids.owner },
    });

    // The owner sees close on its own action; it may not close another's, nor one nobody owns.
    expect((await getDeliverable(owner, id)).body.allowedActions).toEqual(['close_action']);
    await expectRefused(id, () => post(owner, id, '/actions/A-2/close', {}), 403, {
      code: 'HANDOVER.ROLE_REQUIRED',
    });
    await expectRefused(id, () => post(approver, id, '/actions/A-1/close', {}), 403, {
      code: 'HANDOVER.ROLE_REQUIRED',
    });
    const closed = await post(owner, id, '/actions/A-1/close', { note: 'Rotated' });
    expect(closed.status).toBe(200);
    expect(closed.body.actions[0]).toMatchObject({
      key: 'A-1',
      status: 'closed',
      closedBy: ids.owner,
      closedAt: expect.any(String),
      note: 'Rotated',
    });
    expect((await getDeliverable(owner, id)).body.allowedActions).toEqual([]);

    // Closed is final for the action: neither closed again nor reassigned.
    await expectRefused(id, () => post(smo, id, '/actions/A-1/close', {}), 409, {
      code: 'HANDOVER.ACTION_ALREADY_CLOSED',
    });
    await expectRefused(id, () => post(smo, id, '/actions/A-1/assign', { ownerId: ids.other }), 409, {
      code: 'HANDOVER.ACTION_ALREADY_CLOSED',
    });
    await expectRefused(id, () => post(smo, id, '/actions/A-9/close', {}), 404, {
      code: 'HANDOVER.UNKNOWN_ACTION',
    });
    // The SMO closes one it does not own.
    expect((await post(smo, id, '/actions/A-2/close', {})).body.actions[1]).toMatchObject({
      status: 'closed',
      closedBy: ids.smo,
    });
  }, 60_000);

  it('announces action.created and action.closed to subscribers', async () => {
    const id = await deliverableAt('early_life_support');
    expect((await post(smo, id, '/actions', { title: 'Announce me', ownerId: ids.owner })).status).toBe(201);
    expect((await post(owner, id, '/actions/A-1/close', { note: 'ok' })).status).toBe(200);
    const mine = (received: { json: any }[]) => received.filter((item) => item.json?.deliverableId === id);
    await receiver.waitFor((received) => mine(received).length >= 2);
    expect(
      mine(receiver.received)
        .map((item) => [item.json.type, item.json.data.key, item.json.data.status, item.json.data.ownerId])
        .sort(),
    ).toEqual([
      ['action.closed', 'A-1', 'closed', ids.owner],
      ['action.created', 'A-1', 'open', ids.owner],
    ]);
  }, 30_000);
});

describe('bad input: a 4xx problem document that changes nothing', () => {
  it('refuses bad action and lesson bodies', async () => {
    const id = await deliverableAt('early_life_support');
    expect((await post(smo, id, '/actions', { title: 'Open one' })).status).toBe(201);
    const cases: [string, string, unknown, number, string?][] = [
      ['unknown field', '/actions', { title: 'x', priority: 'high' }, 400, 'priority'],
      ['empty title', '/actions', { title: '' }, 400, 'title'],
      ['blank title', '/actions', { title: '   ' }, 400, 'title'],
      ['title over 200 characters', '/actions', { title: 'x'.repeat(201) }, 400, 'title'],
      ['owner not an id', '/actions', { title: 'x', ownerId: 'bob' }, 400, 'ownerId'],
      [
        'owner that is nobody',
        '/actions',
        { title: 'x', ownerId: '00000000-0000-4000-8000-000000000000' },
        404,
        'ownerId',
      ],
      ['due date not a date', '/actions', { title: 'x', dueAt: 'tomorrow' }, 400, 'dueAt'],
      ['due date in the past', '/actions', { title: 'x', dueAt: '2020-01-01T00:00:00Z' }, 400],
      ['assign without owner', '/actions/A-1/assign', {}, 400, 'ownerId'],
      [
        'assign with an unknown field',
        '/actions/A-1/assign',
        { ownerId: ids.owner, title: 'x' },
        400,
        'title',
      ],
      [
        'assign due date in the past',
        '/actions/A-1/assign',
        { ownerId: ids.owner, dueAt: '2020-01-01T00:00:00Z' },
        400,
      ],
      ['close with an unknown field', '/actions/A-1/close', { reason: 'x' }, 400, 'reason'],
      ['bad action key', '/actions/no%20such/close', {}, 400, 'key'],
      ['empty lesson', '/lessons', { text: '' }, 400, 'text'],
      ['lesson over 10,000 characters', '/lessons', { text: 'x'.repeat(10_001) }, 400, 'text'],
      ['lesson with an unknown field', '/lessons', { text: 'x', tags: [] }, 400, 'tags'],
    ];
    for (const [what, rest, body, status, field] of cases) {
      const problem = await expectRefused(id, () => post(smo, id, rest, body), status);
      if (field)
        expect({ what, errors: problem.errors }).toEqual({
          what,
          errors: expect.arrayContaining([expect.objectContaining({ path: field })]),
        });
      if (what.includes('in the past')) expect(problem.code).toBe('HANDOVER.DUE_DATE_PAST');
    }
  }, 60_000);
});

describe('the ELS exit criterion: every open action has an owner', () => {
  it('extends ELS at the period end while an open action has no owner, saying why, and exits once it has one', async () => {
    const id = await deliverableAt('early_life_support', FAST_TIER);
    expect((await post(smo, id, '/actions', { title: 'Nobody owns me yet' })).status).toBe(201);
    expect((await view(id)).els.exitCriteria).toEqual({ incidentsWithinLimits: true, actionsOwned: false });

    const extended = await waitFor(
      () => view(id),
      (body) => body.els.extensions >= 1,
      'the ELS period to end',
      15_000,
    );
    expect(extended.status).toBe('early_life_support');
    const elapsed = (await history(id)).find((event) => event.action === 'els_period_elapsed');
    expect(elapsed).toMatchObject({ data: { outcome: 'extended', actionsWithoutOwner: ['A-1'] } });
    // The SMO hears why.
    const mails = await mailbox.waitFor((all) =>
      all.some(
        (mail) => mail.to.includes(emails.smo) && mail.subject.includes('Early life support extended'),
      ),
    );
    const notice = mails.find((mail) => mail.to.includes(emails.smo))!;
    expect(notice.raw.replace(/=\r?\n/g, '')).toContain('follow-on actions without an owner (A-1)');

    const assigned = await post(smo, id, '/actions/A-1/assign', { ownerId: ids.owner });
    expect(assigned.body.els.exitCriteria).toEqual({ incidentsWithinLimits: true, actionsOwned: true });
    await waitForStatus(smo, id, 'els_review', 15_000);
  }, 60_000);

  it('does not hold ELS when the policy does not ask it (elsExitRequiresActionOwners: false)', async () => {
    const stored = (await smo.get(`/v1/policies/${OFF_TIER}`)).body;
    expect(stored.elsExitRequiresActionOwners).toBe(false);
    expect((await smo.get(`/v1/policies/${FAST_TIER}`)).body.elsExitRequiresActionOwners).toBe(true);
    const id = await deliverableAt('early_life_support', OFF_TIER);
    expect((await post(smo, id, '/actions', { title: 'Nobody owns me' })).status).toBe(201);
    expect((await view(id)).els.exitCriteria).toEqual({ incidentsWithinLimits: true, actionsOwned: true });
    const review = await waitForStatus(smo, id, 'els_review', 15_000);
    expect(review.els.extensions).toBe(0);
    expect(review.actions).toMatchObject([{ key: 'A-1', ownerId: null, status: 'open' }]);
  }, 60_000);

  it('refuses a policy whose elsExitRequiresActionOwners is not true or false', async () => {
    const before = (await smo.get('/v1/policies/1')).body;
    const put = await smo.request('PUT', '/v1/policies/1', {
      ...DEFAULT_POLICIES[1],
      elsExitRequiresActionOwners: 'yes',
    });
    expect(put.status).toBe(400);
    expect(put.body.errors).toEqual([expect.objectContaining({ path: 'elsExitRequiresActionOwners' })]);
    expect((await smo.get('/v1/policies/1')).body).toEqual(before);
  });
});

describe('the due-date reminder', () => {
  const dueIn = (ms: number) => new Date(Date.now() + ms).toISOString();
  const mailsTo = (address: string) => mailbox.mails.filter((mail) => mail.to.includes(address));

  it('reminds the owner when the action comes due (reminder.action_due), and only then', async () => {
    const id = await deliverableAt('early_life_support');
    const sentBefore = mailsTo(emails.owner).length;
    const created = await post(smo, id, '/actions', {
      title: 'Renew the certificate',
      ownerId: ids.owner,
      dueAt: dueIn(2_000),
    });
    expect(created.status).toBe(201);
    const timers = (await reminders(id)).filter((timer) => timer.kind === 'action_due');
    expect(timers).toEqual([
      expect.objectContaining({ subject: 'A-1', status: 'scheduled', dueAt: created.body.dueAt }),
    ]);
    // Reassigning does not reschedule.
    expect((await post(smo, id, '/actions/A-1/assign', { ownerId: ids.owner })).status).toBe(200);
    expect((await reminders(id)).filter((timer) => timer.kind === 'action_due')).toHaveLength(1);

    await mailbox.waitFor(() => mailsTo(emails.owner).length > sentBefore);
    const mail = mailsTo(emails.owner).at(-1)!;
    expect(mail.subject).toContain('Follow-on action due: Renew the certificate');
    await waitFor(
      () => reminders(id),
      (items) => items.some((timer) => timer.kind === 'action_due' && timer.status === 'sent'),
      'the reminder to be sent',
    );
    expect(mailsTo(emails.other)).toEqual([]);
  }, 30_000);

  it('drops the reminder of an action closed before it comes due', async () => {
    const id = await deliverableAt('early_life_support');
    const sentBefore = mailsTo(emails.other).length;
    const due = dueIn(1_500);
    expect(
      (await post(smo, id, '/actions', { title: 'Closed early', ownerId: ids.other, dueAt: due })).status,
    ).toBe(201);
    expect((await post(smo, id, '/actions/A-1/close', {})).status).toBe(200);
    await waitFor(
      () => reminders(id),
      (items) => items.some((timer) => timer.kind === 'action_due' && timer.status !== 'scheduled'),
      'the reminder to come due',
    );
    await sleep(1_000);
    expect((await reminders(id)).filter((timer) => timer.kind === 'action_due')).toEqual([
      expect.objectContaining({ subject: 'A-1', status: 'cancelled', sentAt: null }),
    ]);
    expect(mailsTo(emails.other).length).toBe(sentBefore);
  }, 30_000);

  it('moves the reminder with the due date: the old date is dropped, the new one reminds', async () => {
    const id = await deliverableAt('early_life_support');
    const sentBefore = mailsTo(emails.other).length;
    expect(
      (await post(smo, id, '/actions', { title: 'Moved', ownerId: ids.other, dueAt: dueIn(1_500) })).status,
    ).toBe(201);
    const moved = dueIn(3_500);
    expect(
      (await post(smo, id, '/actions/A-1/assign', { ownerId: ids.other, dueAt: moved })).body.actions[0]
        .dueAt,
    ).toBe(moved);
    const settled = await waitFor(
      () => reminders(id),
      (items) =>
        items.filter((timer) => timer.kind === 'action_due' && timer.status !== 'scheduled').length === 2,
      'both reminders to come due',
    );
    expect(
      settled
        .filter((timer) => timer.kind === 'action_due')
        .map((timer) => [timer.dueAt === moved, timer.status])
        .sort(),
    ).toEqual([
      [false, 'cancelled'],
      [true, 'sent'],
    ]);
    await mailbox.waitFor(() => mailsTo(emails.other).length === sentBefore + 1);
    await sleep(500);
    expect(mailsTo(emails.other).length).toBe(sentBefore + 1);
  }, 30_000);
});
