// Delegation, out of office (API.md): a principal lends approver roles to another for a time. Creating,
// listing and revoking delegations with every refusal (to oneself, a role not held, not an approver role,
// an end before the start, over 90 days, an unknown delegate, a cycle); deciding on behalf of the delegator
// (the decision counts for it, once per round either way, separation of duties for both, no delegation in
// force: 403); the inbox and /v1/me with delegated work; the delegation events; reminders to delegates.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { unique } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { openEventStream } from '../support/event-stream.js';
import { Mailbox } from '../support/mailbox.js';
import { Receiver } from '../support/receiver.js';
import { ok } from '../support/scene.js';
import { scratchDatabase } from '../support/scratch-database.js';

const DAY = 86_400_000;
const SECRET = 'delegation-secret-0123';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
const receiver = new Receiver();
const mailbox = new Mailbox();
let admin: ApiClient;
const clients: Record<string, ApiClient> = {};
const tokenOf: Record<string, string> = {};
const ids: Record<string, string> = {};
let projectId: string;
/** tier 3: acceptance by service_owner and change_manager, quorum 2, SLA an hour */
let slowService: string;
/** tier 4: acceptance by service_owner alone, SLA 1 s (reminders and escalation come at once) */
let fastService: string;

const policy = (roles: string[], quorum: number, decisionSla: string) => ({
  acceptance: { roles, quorum, decisionSla },
  elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
  elsDuration: 'P1D',
  elsFollowUpEvery: 'P1D',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: [],
});

const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

/** A delegation body: `roles` for a week from a minute ago. */
const lend = (delegateId: string, roles: string[], fields: Record<string, unknown> = {}) => ({
  delegateId,
  roles,
  from: new Date(Date.now() - 60_000).toISOString(),
  until: inDays(7),
  ...fields,
});

const delegationsOf = async (client: ApiClient, principalId: string): Promise<any[]> =>
  (await ok(client.get(`/v1/principals/${principalId}/delegations?limit=500`), 'delegations')).items;

async function atAcceptance(by: ApiClient, serviceId: string): Promise<string> {
  const created = await ok(
    by.post('/v1/deliverables', {
      projectId,
      serviceId,
      title: unique('ooo'),
      changeType: 'minor_change',
      targetGoLive: inDays(30),
    }),
    'create',
  );
  await ok(by.post(`/v1/deliverables/${created.id}/submit`), 'submit');
  const attested = await ok(
    by.post(`/v1/deliverables/${created.id}/readiness/runbook/attest`, { evidence: 'wiki' }),
    'attest',
  );
  expect(attested.status).toBe('acceptance');
  return created.id as string;
}

const decide = (client: ApiClient, id: string, role: string, onBehalfOf?: string, decision = 'approve') =>
  client.post(`/v1/deliverables/${id}/decisions`, {
    gate: 'acceptance',
    role,
    decision,
    ...(onBehalfOf ? { onBehalfOf } : {}),
  });

/** The whole inbox, a row a page: every page but the last is full (the query and the answer agree). */
async function inboxOf(client: ApiClient): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await ok(
      client.get(`/v1/inbox?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      'inbox',
    );
    if (page.nextCursor !== null) expect(page.items).toHaveLength(1);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The inbox entry of deliverable `id` the caller may decide for `onBehalfOf` (null: for itself). */
const entryOf = (items: any[], id: string, onBehalfOf: string | null = null): any =>
  items.find((item) => item.deliverable.id === id && item.onBehalfOf === onBehalfOf);

beforeAll(async () => {
  const hooks = await receiver.start();
  const smtp = await mailbox.start();
  scratch = await scratchDatabase();
  baton = await startBaton({ env: { DATABASE_URL: scratch.url, BATON_SMTP_URL: smtp } });
  admin = new ApiClient(baton.url, baton.adminToken);
  await ok(admin.post('/v1/webhooks', { url: `${hooks}/all`, events: ['*'], secret: SECRET }), 'webhook');
  await ok(
    admin.request('PUT', '/v1/policies/3', policy(['service_owner', 'change_manager'], 2, 'PT1H')),
    'policy 3',
  );
  await ok(admin.request('PUT', '/v1/policies/4', policy(['service_owner'], 1, 'PT1S')), 'policy 4');
  await ok(
    admin.post('/v1/checklists', {
      name: 'ooo',
      changeTypes: ['minor_change'],
      tiers: [3, 4],
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
  const people: [string, string[]][] = [
    ['pmo', ['pmo']],
    ['smo', ['smo']],
    ['alice', ['service_owner']],
    ['bob', ['viewer']],
    ['carol', ['change_manager']],
    ['eve', ['viewer']],
    ['dual', ['pmo', 'service_owner']],
    ['olive', ['service_owner']],
    ['dora', ['viewer']],
    ['ann', ['security']],
    ['c1', ['security']],
    ['c2', ['security']],
    ['c3', ['security']],
  ];
  for (const [name, roles] of people) {
    const response = await admin.post('/v1/principals', {
      name: unique(name),
      roles,
      email: `${name}@example.test`,
    });
    expect(response.status).toBe(201);
    clients[name] = admin.as(response.body.token);
    tokenOf[name] = response.body.token;
    ids[name] = response.body.id;
  }
  slowService = (await ok(admin.post('/v1/services', { name: unique('slow'), tier: 3 }), 'service')).id;
  fastService = (await ok(admin.post('/v1/services', { name: unique('fast'), tier: 4 }), 'service')).id;
  projectId = (
    await ok(clients.pmo.post('/v1/projects', { key: unique('OOO'), name: 'OOO', methodology: 'agile' }), 'p')
  ).id;
}, 60_000);

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
  await receiver.stop();
  await mailbox.stop();
});

describe('delegations', () => {
  it('are created by the delegator (or an admin for it), with what was asked for', async () => {
    const body = lend(ids.bob, ['service_owner'], { reason: 'Holiday' });
    const created = await clients.alice.post(`/v1/principals/${ids.alice}/delegations`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      principalId: ids.alice,
      principalName: expect.stringMatching(/^alice-/),
      delegateId: ids.bob,
      delegateName: expect.stringMatching(/^bob-/),
      roles: ['service_owner'],
      from: body.from,
      until: body.until,
      reason: 'Holiday',
      createdBy: ids.alice,
      revokedAt: null,
      inForce: true,
    });
    expect(typeof created.body.createdAt).toBe('string');
    // An admin for another principal; nobody else.
    const byAdmin = await admin.post(`/v1/principals/${ids.ann}/delegations`, lend(ids.dora, ['security']));
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body).toMatchObject({ principalId: ids.ann, delegateId: ids.dora });
    expect(byAdmin.body.createdBy).not.toBe(ids.ann);
    const byOther = await clients.eve.post(
      `/v1/principals/${ids.alice}/delegations`,
      lend(ids.eve, ['service_owner']),
    );
    expect(byOther.status).toBe(403);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const before = await delegationsOf(clients.alice, ids.alice);
    const post = (body: unknown, who: ApiClient = clients.alice, principalId = ids.alice) =>
      who.post(`/v1/principals/${principalId}/delegations`, body);
    const field = (response: any) => response.body.errors?.map((error: any) => error.path);

    const self = await post(lend(ids.alice, ['service_owner']));
    expect([self.status, self.body.code, field(self)]).toEqual([
      400,
      'HANDOVER.INVALID_DELEGATION',
      ['delegateId'],
    ]);
    const notHeld = await post(lend(ids.bob, ['change_manager']));
    expect([notHeld.status, field(notHeld)]).toEqual([400, ['roles.0']]);
    const notApprover = await post(lend(ids.bob, ['pmo']), clients.dual, ids.dual);
    expect([notApprover.status, field(notApprover)]).toEqual([400, ['roles.0']]);
    const now = new Date().toISOString();
    const backwards = await post(lend(ids.bob, ['service_owner'], { from: now, until: now }));
    expect([backwards.status, field(backwards)]).toEqual([400, ['until']]);
    const tooLong = await post(lend(ids.bob, ['service_owner'], { from: now, until: inDays(91) }));
    expect([tooLong.status, field(tooLong)]).toEqual([400, ['until']]);
    const stranger = '00000000-0000-4000-8000-000000000000';
    const unknown = await post(lend(stranger, ['service_owner']));
    expect([unknown.status, field(unknown)]).toEqual([404, ['delegateId']]);
    const extra = await post({ ...lend(ids.bob, ['service_owner']), onBehalfOf: ids.alice });
    expect(extra.status).toBe(400);
    expect((await post({ ...lend(ids.bob, []) })).status).toBe(400);
    expect((await post(lend(ids.bob, ['service_owner']), admin, stranger)).status).toBe(404);
    expect((await post(lend(ids.bob, ['service_owner']), admin, 'not-a-uuid')).status).toBe(400);

    expect(await delegationsOf(clients.alice, ids.alice)).toEqual(before);
  });

  it('refuses a delegation that would close a cycle of one role in overlapping time (409)', async () => {
    const security = (from: string, to: string, fields: Record<string, unknown> = {}) =>
      clients[from].post(`/v1/principals/${ids[from]}/delegations`, lend(ids[to], ['security'], fields));
    expect((await security('c1', 'c2')).status).toBe(201);
    const back = await security('c2', 'c1');
    expect([back.status, back.body.code]).toEqual([409, 'HANDOVER.DELEGATION_CYCLE']);
    expect((await security('c2', 'c3')).status).toBe(201);
    const ring = await security('c3', 'c1');
    expect([ring.status, ring.body.code]).toEqual([409, 'HANDOVER.DELEGATION_CYCLE']);
    expect(ring.body.cycle).toEqual([ids.c3, ids.c1, ids.c2, ids.c3]);
    // Back, but only after the first ends: no overlap, no cycle.
    expect((await security('c2', 'c1', { from: inDays(8), until: inDays(9) })).status).toBe(201);
    expect((await delegationsOf(clients.c3, ids.c3)).map((d) => d.principalId)).toEqual([ids.c2]);
  });

  it('are listed for the delegator, the delegate and admins, given and received, newest first, in pages', async () => {
    const given = await delegationsOf(clients.alice, ids.alice);
    expect(given.map((d) => [d.principalId, d.delegateId])).toEqual([[ids.alice, ids.bob]]);
    expect(await delegationsOf(clients.bob, ids.bob)).toEqual(given);
    // The delegate reads the delegator's list: those between the two.
    expect(await delegationsOf(clients.bob, ids.alice)).toEqual(given);
    expect(await delegationsOf(admin, ids.alice)).toEqual(given);
    expect((await clients.eve.get(`/v1/principals/${ids.alice}/delegations`)).status).toBe(403);
    const c2 = await delegationsOf(clients.c2, ids.c2);
    expect(c2).toHaveLength(3);
    const first = await ok(clients.c2.get(`/v1/principals/${ids.c2}/delegations?limit=2`), 'page 1');
    const second = await ok(
      clients.c2.get(`/v1/principals/${ids.c2}/delegations?limit=2&cursor=${first.nextCursor}`),
      'page 2',
    );
    expect([...first.items, ...second.items]).toEqual(c2);
    expect(second.nextCursor).toBeNull();
    expect((await clients.c2.get(`/v1/principals/${ids.c2}/delegations?cursor=nonsense`)).status).toBe(400);
  });

  it('tell /v1/me what is delegated to the caller now', async () => {
    const me = await ok(clients.bob.get('/v1/me'), 'me');
    expect(me.delegatedRoles).toEqual([
      {
        roles: ['service_owner'],
        onBehalfOf: ids.alice,
        onBehalfOfName: expect.stringMatching(/^alice-/),
        delegationId: expect.any(String),
        until: expect.any(String),
      },
    ]);
    expect((await ok(clients.alice.get('/v1/me'), 'me')).delegatedRoles).toEqual([]);
  });

  it('are announced: delegation.created and delegation.revoked, about no deliverable', async () => {
    // The live stream carries them to the two principals (and admins), to nobody else.
    const streams = {
      c3: await openEventStream(baton.url, tokenOf.c3),
      eve: await openEventStream(baton.url, tokenOf.eve),
      admin: await openEventStream(baton.url, baton.adminToken),
      carol: await openEventStream(baton.url, tokenOf.carol),
    };
    const made = await ok(
      clients.c3.post(`/v1/principals/${ids.c3}/delegations`, lend(ids.eve, ['security'])),
      'create',
    );
    expect((await clients.c3.request('DELETE', `/v1/delegations/${made.id}`)).status).toBe(204);
    const events = await receiver.waitFor((all) =>
      all.some((item) => item.json?.type === 'delegation.revoked' && item.json.data.delegationId === made.id),
    );
    const created = events.find(
      (item) => item.json?.type === 'delegation.created' && item.json.data.delegationId === made.id,
    )!;
    expect(created.json).toMatchObject({
      deliverableId: null,
      data: { principalId: ids.c3, delegateId: ids.eve, roles: ['security'] },
    });
    const about = (stream: (typeof streams)['c3']) =>
      stream.events().filter((event) => event.data.data?.delegationId === made.id);
    for (const stream of [streams.c3, streams.eve, streams.admin])
      await stream.until((open) => about(open).length === 2, 'both delegation events', 10_000);
    expect(about(streams.eve).map((event) => event.event)).toEqual([
      'delegation.created',
      'delegation.revoked',
    ]);
    // A deliverable's event after them reaches carol's stream: the delegation's were left out, not late.
    const later = await atAcceptance(clients.pmo, slowService);
    await streams.carol.until(
      (open) => open.events().some((event) => event.data.deliverableId === later),
      'a later deliverable event',
      10_000,
    );
    expect(about(streams.carol)).toEqual([]);
    for (const stream of Object.values(streams)) stream.close();
  });
});

describe('deciding on behalf of a delegator', () => {
  it('counts the delegate’s decision as the delegator’s: in the inbox, the decisions, the audit and the quorum', async () => {
    const id = await atAcceptance(clients.pmo, slowService);
    // A second one waits behind it (a later SLA): the inbox pages past a decided item must stay full.
    const behind = await atAcceptance(clients.pmo, slowService);
    const entry = entryOf(await inboxOf(clients.bob), id, ids.alice);
    expect(entry).toMatchObject({
      onBehalfOf: ids.alice,
      onBehalfOfName: expect.stringMatching(/^alice-/),
      roles: ['service_owner'],
      gate: 'acceptance',
    });
    expect(entryOf(await inboxOf(clients.bob), id)).toBeUndefined(); // bob holds no role of its own
    expect(entryOf(await inboxOf(clients.alice), id)).toBeDefined();

    const decided = await decide(clients.bob, id, 'service_owner', ids.alice);
    expect(decided.status).toBe(200);
    expect(decided.body.approvals.at(-1)).toMatchObject({
      principalId: ids.bob,
      onBehalfOf: ids.alice,
      role: 'service_owner',
      decision: 'approve',
    });
    expect(decided.body.gate.approvedBy).toEqual([ids.alice]);
    const history = await ok(clients.bob.get(`/v1/deliverables/${id}/history`), 'history');
    expect(history.items.at(-1)).toMatchObject({
      principalId: ids.bob,
      action: 'decide',
      data: { onBehalfOf: ids.alice, delegationId: expect.any(String), approvals: 1 },
    });
    // Its event says who acted, and for whom.
    const events = await receiver.waitFor((all) =>
      all.some((item) => item.json?.type === 'deliverable.updated' && item.json.deliverableId === id),
    );
    expect(
      events.find((item) => item.json?.type === 'deliverable.updated' && item.json.deliverableId === id)!.json
        .data,
    ).toMatchObject({ action: 'decide', principalId: ids.bob, onBehalfOf: ids.alice });
    // Once per round for the delegator, whoever decides: neither alice nor bob for her again.
    const again = await decide(clients.alice, id, 'service_owner');
    expect([again.status, again.body.code]).toEqual([409, 'HANDOVER.ALREADY_DECIDED']);
    const twice = await decide(clients.bob, id, 'service_owner', ids.alice);
    expect([twice.status, twice.body.code]).toEqual([409, 'HANDOVER.ALREADY_DECIDED']);
    expect(entryOf(await inboxOf(clients.alice), id)).toBeUndefined();
    expect(entryOf(await inboxOf(clients.bob), id, ids.alice)).toBeUndefined();
    expect(entryOf(await inboxOf(clients.bob), behind, ids.alice)).toBeDefined();
    // The quorum of 2 counts alice (through bob) and carol.
    const approved = await decide(clients.carol, id, 'change_manager');
    expect(approved.body.status).toBe('approved');
  });

  it('refuses the delegate once the delegator decided itself', async () => {
    const id = await atAcceptance(clients.pmo, slowService);
    expect((await decide(clients.alice, id, 'service_owner')).status).toBe(200);
    expect(entryOf(await inboxOf(clients.bob), id, ids.alice)).toBeUndefined();
    const late = await decide(clients.bob, id, 'service_owner', ids.alice);
    expect([late.status, late.body.code]).toEqual([409, 'HANDOVER.ALREADY_DECIDED']);
  });

  it('refuses without a delegation in force, with a role not lent, or for nobody', async () => {
    const id = await atAcceptance(clients.pmo, slowService);
    const version = (await ok(clients.bob.get(`/v1/deliverables/${id}`), 'read')).version;
    const eve = await decide(clients.eve, id, 'service_owner', ids.alice);
    expect([eve.status, eve.body.code]).toEqual([403, 'HANDOVER.DELEGATION_NOT_ACTIVE']);
    const notFromCarol = await decide(clients.bob, id, 'change_manager', ids.carol);
    expect([notFromCarol.status, notFromCarol.body.code]).toEqual([403, 'HANDOVER.DELEGATION_NOT_ACTIVE']);
    const notLent = await decide(clients.bob, id, 'change_manager', ids.alice);
    expect([notLent.status, notLent.body.code]).toEqual([403, 'HANDOVER.ROLE_NOT_HELD']);
    // A delegate deciding for the delegator decides only with the roles lent, not with its own.
    const toCarol = await ok(
      clients.alice.post(`/v1/principals/${ids.alice}/delegations`, lend(ids.carol, ['service_owner'])),
      'lend to carol',
    );
    const ownRole = await decide(clients.carol, id, 'change_manager', ids.alice);
    expect([ownRole.status, ownRole.body.code]).toEqual([403, 'HANDOVER.ROLE_NOT_HELD']);
    expect((await clients.alice.request('DELETE', `/v1/delegations/${toCarol.id}`)).status).toBe(204);
    const nobody = await decide(clients.bob, id, 'service_owner', '00000000-0000-4000-8000-000000000000');
    expect([nobody.status, nobody.body.errors?.[0]?.path]).toEqual([404, 'onBehalfOf']);
    expect((await decide(clients.bob, id, 'service_owner', 'alice')).status).toBe(400);

    // A delegation that starts tomorrow is not in force yet.
    await ok(
      clients.carol.post(
        `/v1/principals/${ids.carol}/delegations`,
        lend(ids.bob, ['change_manager'], { from: inDays(1), until: inDays(2) }),
      ),
      'future',
    );
    const early = await decide(clients.bob, id, 'change_manager', ids.carol);
    expect([early.status, early.body.code]).toEqual([403, 'HANDOVER.DELEGATION_NOT_ACTIVE']);
    expect(entryOf(await inboxOf(clients.bob), id, ids.carol)).toBeUndefined();
    // Nothing refused changed it.
    expect((await ok(clients.bob.get(`/v1/deliverables/${id}`), 'read')).version).toBe(version);
  });

  it('is refused at once when the delegation is revoked (the delegator or an admin revokes; nobody else)', async () => {
    const id = await atAcceptance(clients.pmo, slowService);
    const made = await ok(
      clients.carol.post(`/v1/principals/${ids.carol}/delegations`, lend(ids.eve, ['change_manager'])),
      'lend',
    );
    expect(entryOf(await inboxOf(clients.eve), id, ids.carol)).toBeDefined();
    expect((await clients.eve.request('DELETE', `/v1/delegations/${made.id}`)).status).toBe(403);
    expect((await clients.carol.request('DELETE', `/v1/delegations/${made.id}`)).status).toBe(204);
    expect(
      (await clients.carol.request('DELETE', '/v1/delegations/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect(entryOf(await inboxOf(clients.eve), id, ids.carol)).toBeUndefined();
    const revoked = await decide(clients.eve, id, 'change_manager', ids.carol);
    expect([revoked.status, revoked.body.code]).toEqual([403, 'HANDOVER.DELEGATION_NOT_ACTIVE']);
    expect((await ok(clients.eve.get('/v1/me'), 'me')).delegatedRoles).toEqual([]);
    const listed = (await delegationsOf(clients.carol, ids.carol)).find((d) => d.id === made.id);
    expect(listed).toMatchObject({ revokedAt: expect.any(String), inForce: false });
    // An admin may revoke for the delegator.
    const other = await ok(
      clients.carol.post(`/v1/principals/${ids.carol}/delegations`, lend(ids.eve, ['change_manager'])),
      'lend again',
    );
    expect((await admin.request('DELETE', `/v1/delegations/${other.id}`)).status).toBe(204);
  });

  it('keeps separation of duties for the delegator and for the delegate', async () => {
    // dual submits, then lends its approver role: its delegate may not decide for it.
    const own = await atAcceptance(clients.dual, slowService);
    await ok(
      clients.dual.post(`/v1/principals/${ids.dual}/delegations`, lend(ids.eve, ['service_owner'])),
      'lend',
    );
    expect(entryOf(await inboxOf(clients.eve), own, ids.dual)).toBeUndefined();
    const forSubmitter = await decide(clients.eve, own, 'service_owner', ids.dual);
    expect([forSubmitter.status, forSubmitter.body.code]).toEqual([403, 'HANDOVER.SEPARATION_OF_DUTIES']);
    // dual is lent alice's role by nobody, but a submitter as delegate: alice lends to the pmo who submitted.
    const submitted = await atAcceptance(clients.pmo, slowService);
    await ok(
      clients.alice.post(`/v1/principals/${ids.alice}/delegations`, lend(ids.pmo, ['service_owner'])),
      'lend to the submitter',
    );
    expect(entryOf(await inboxOf(clients.pmo), submitted, ids.alice)).toBeUndefined();
    const bySubmitter = await decide(clients.pmo, submitted, 'service_owner', ids.alice);
    expect([bySubmitter.status, bySubmitter.body.code]).toEqual([403, 'HANDOVER.SEPARATION_OF_DUTIES']);
    // bob may still decide on it for alice: neither of them submitted it.
    expect((await decide(clients.bob, submitted, 'service_owner', ids.alice)).status).toBe(200);
  });
});

describe('reminders and escalations', () => {
  it('go to the active delegates of the awaited roles too', async () => {
    // olive lends service_owner to dora: the tier 4 SLA of 1 s reminds both.
    await ok(
      clients.olive.post(`/v1/principals/${ids.olive}/delegations`, lend(ids.dora, ['service_owner'])),
      'lend',
    );
    const id = await atAcceptance(clients.pmo, fastService);
    const { title } = await ok(clients.pmo.get(`/v1/deliverables/${id}`), 'read');
    const about = (mail: { subject: string }, kind: string) =>
      mail.subject.includes(kind) && mail.subject.includes(title);
    const to = (mails: { subject: string; to: string[] }[], kind: string) =>
      mails.filter((mail) => about(mail, kind)).flatMap((mail) => mail.to);
    // Each recipient's e-mail is a job of its own: first those the approvers and the SMO always get...
    await mailbox.waitFor(
      (all) =>
        to(all, 'Decision overdue').includes('olive@example.test') &&
        to(all, 'Escalation').includes('smo@example.test'),
      45_000,
    );
    // ...then the delegate's, sent with them (a few seconds at most).
    const mails = await mailbox.waitFor(
      (all) =>
        to(all, 'Decision overdue').includes('dora@example.test') &&
        to(all, 'Escalation').includes('dora@example.test'),
      10_000,
    );
    // Principals holding no delegation of the role hear nothing of it.
    expect(to(mails, 'Decision overdue')).not.toContain('carol@example.test');
    expect(to(mails, 'Escalation')).not.toContain('carol@example.test');
  }, 60_000);
});
