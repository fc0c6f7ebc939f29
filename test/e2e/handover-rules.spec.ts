// The handover's domain rules over HTTP, one test per rule: each fails if the rule is taken out of the
// product. Runs on a scratch database and a queue prefix of its own, so the policy and checklists it sets
// (tier 3, short ELS) touch no other test file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyChain } from '@baton/commands';
import { DEFAULT_CHECKLIST, DEFAULT_POLICIES, parseIsoDuration } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createPrincipal,
  createProject,
  createService,
  unique,
} from '../support/fixtures.js';
import {
  criterionOf,
  getDeliverable,
  startProbeServer,
  waitFor,
  waitForCriterion,
  waitForStatus,
  type ProbeServer,
} from '../support/handover-flow.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const TIER = 3;
const PROBE_PATH = '/health-check';
const MANUAL = 'runbook';
const AUTOMATED = 'health';
const ADVISORY = 'training';

const POLICY = {
  acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla: 'PT30M' },
  elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT30M' },
  elsDuration: 'PT3S',
  elsFollowUpEvery: 'PT1H',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: [] as string[],
};

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let probe: ProbeServer;
let admin: ApiClient;
let pmo: ApiClient;
let smo: ApiClient;
let ids: Record<string, string>;
/** Approvers: two service owners, a change manager, operations, and one principal that is pmo and service owner. */
let owner: ApiClient;
let owner2: ApiClient;
let changeMgr: ApiClient;
let ops: ApiClient;
let dual: ApiClient;
let projectId: string;
let serviceId: string;
let mainTemplate: any;

beforeAll(async () => {
  [scratch, probe] = await Promise.all([scratchDatabase(), startProbeServer()]);
  baton = await startBaton({
    env: {
      DATABASE_URL: scratch.url,
      // Workers of other test files share the run's prefix: a queue of our own keeps our jobs ours.
      BATON_QUEUE_PREFIX: unique('baton_rules'),
      BATON_RELAY_INTERVAL_MS: '100',
    },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const actors = await createActors(admin);
  ({ pmo, smo } = actors);
  const made = await Promise.all([
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('change'), ['change_manager']),
    createPrincipal(admin, unique('ops'), ['operations']),
    createPrincipal(admin, unique('dual'), ['pmo', 'service_owner']),
  ]);
  [owner, owner2, changeMgr, ops, dual] = made.map((principal) => principal.client);
  ids = {
    ...actors.ids,
    owner: made[0].id,
    owner2: made[1].id,
    changeMgr: made[2].id,
    ops: made[3].id,
    dual: made[4].id,
  };
  const policy = await smo.request('PUT', `/v1/policies/${TIER}`, POLICY);
  if (policy.status !== 200) throw new Error(`policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  const template = await smo.post('/v1/checklists', {
    name: unique('rules-main'),
    changeTypes: ['new_service', 'major_change'],
    tiers: [TIER],
    criteria: [
      {
        key: MANUAL,
        title: 'Runbooks published',
        practice: 'knowledge management',
        mandatory: true,
        kind: 'manual',
      },
      {
        key: AUTOMATED,
        title: 'Health endpoint answers',
        practice: 'monitoring and event management',
        mandatory: true,
        kind: 'automated',
        probeUrl: probe.url(PROBE_PATH),
      },
      {
        key: ADVISORY,
        title: 'Users trained',
        practice: 'organizational change management',
        mandatory: false,
        kind: 'manual',
      },
    ],
  });
  if (template.status !== 201)
    throw new Error(`checklist: ${template.status} ${JSON.stringify(template.body)}`);
  mainTemplate = template.body;
  [projectId, serviceId] = await Promise.all([createProject(pmo), createService(smo, TIER)]);
});

afterAll(async () => {
  await baton?.stop();
  await Promise.all([scratch?.drop(), probe?.close()]);
});

const expectProblem = (response: ApiResponse, status: number, code?: string): void => {
  // One object, so a failure shows the whole answer.
  expect({
    status: response.status,
    type: response.headers.get('content-type'),
    body: response.body,
  }).toMatchObject({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
    body: { status, title: expect.any(String), detail: expect.any(String), ...(code ? { code } : {}) },
  });
};

const expectOk = (response: ApiResponse, status?: string): any => {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status: 200,
    body: status ? { status } : {},
  });
  return response.body;
};

const path = (id: string, rest = ''): string => `/v1/deliverables/${id}${rest}`;

const decide = (
  client: ApiClient,
  id: string,
  role: string,
  decision: string,
  gate = 'acceptance',
): Promise<ApiResponse> =>
  client.post(path(id, '/decisions'), { gate, role, decision, comment: `${decision} as ${role}` });

const newDraft = (by: ApiClient = pmo, extra: Record<string, unknown> = {}): Promise<any> =>
  createDeliverable(by, { projectId, serviceId }, extra);

/** Waits until the probe of the automated criterion has answered (passed or failed). */
const probed = (id: string): Promise<any> => waitForCriterion(smo, id, AUTOMATED, ['passed', 'failed']);

/** A draft, the manual criterion attested, submitted: the probe (answering 200) takes it to acceptance. */
async function inAcceptance(by: ApiClient = pmo): Promise<string> {
  const draft = await newDraft(by);
  expectOk(
    await by.post(path(draft.id, `/readiness/${MANUAL}/attest`), { evidence: 'wiki/runbooks' }),
    'draft',
  );
  expectOk(await by.post(path(draft.id, '/submit')), 'readiness');
  await waitForStatus(smo, draft.id, 'acceptance');
  return draft.id;
}

async function approved(): Promise<string> {
  const id = await inAcceptance();
  expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
  expectOk(await decide(changeMgr, id, 'change_manager', 'approve'), 'approved');
  return id;
}

const windowFrom = (startInMs: number, lengthMs: number) => {
  const start = Date.now() + startInMs;
  return { windowStart: new Date(start).toISOString(), windowEnd: new Date(start + lengthMs).toISOString() };
};

async function inEarlyLifeSupport(): Promise<string> {
  const id = await approved();
  expectOk(await smo.post(path(id, '/go-live/schedule'), windowFrom(3_600_000, 3_600_000)), 'scheduled');
  expectOk(await smo.post(path(id, '/go-live/confirm')), 'early_life_support');
  return id;
}

const history = async (id: string): Promise<any[]> => (await smo.get(path(id, '/history'))).body.items;

describe('readiness', () => {
  it('passes on attestation, waiver, probes and posted results, and moves to acceptance by itself', async () => {
    // A probe that answers 200 passes the automated criterion; the manual one still holds it in readiness.
    const a = await newDraft();
    expect(a.checklistId).toBe(mainTemplate.id);
    expect(a.readiness.criteria.map((c: { key: string }) => c.key)).toEqual([MANUAL, AUTOMATED, ADVISORY]);
    const hitsBefore = probe.hits(PROBE_PATH).length;
    expectOk(await pmo.post(path(a.id, '/submit')), 'readiness');
    let body = await probed(a.id);
    expect(criterionOf(body, AUTOMATED)).toMatchObject({
      status: 'passed',
      detail: expect.stringContaining('200'),
    });
    expect(probe.hits(PROBE_PATH).slice(hitsBefore)).toEqual([
      expect.objectContaining({ method: 'GET', status: 200 }),
    ]);
    expect(body.status).toBe('readiness');

    // Refusals: wrong role, unknown key, bad body.
    expectProblem(await smo.post(path(a.id, `/readiness/${MANUAL}/attest`), { evidence: 'e' }), 403);
    expectProblem(await pmo.post(path(a.id, '/readiness/no-such-key/attest'), { evidence: 'e' }), 404);
    const noEvidence = await pmo.post(path(a.id, `/readiness/${MANUAL}/attest`), { note: 'n' });
    expectProblem(noEvidence, 400);
    expect(noEvidence.body.errors).toEqual([expect.objectContaining({ path: 'evidence' })]);
    const unknownField = await pmo.post(path(a.id, `/readiness/${MANUAL}/attest`), {
      evidence: 'e',
      colour: 1,
    });
    expectProblem(unknownField, 400);
    expect(unknownField.body.errors).toEqual([{ path: 'colour', message: 'unknown field' }]);
    expect(criterionOf((await getDeliverable(smo, a.id)).body, MANUAL).status).toBe('pending');

    // Attesting the last mandatory criterion moves it on; the advisory one stays pending and does not hold it.
    const attested = expectOk(
      await pmo.post(path(a.id, `/readiness/${MANUAL}/attest`), {
        evidence: 'wiki/runbooks',
        note: 'reviewed',
      }),
      'acceptance',
    );
    expect(criterionOf(attested, MANUAL)).toMatchObject({ status: 'passed', evidence: 'wiki/runbooks' });
    expect(criterionOf(attested, ADVISORY).status).toBe('pending');

    // A probe answering 500 is retried; the 200 that follows passes it, and the deliverable moves by itself.
    const b = await newDraft();
    expectOk(await pmo.post(path(b.id, `/readiness/${MANUAL}/attest`), { evidence: 'wiki' }), 'draft');
    probe.script(PROBE_PATH, [500]);
    const bHitsBefore = probe.hits(PROBE_PATH).length;
    expectOk(await pmo.post(path(b.id, '/submit')), 'readiness');
    body = await waitForStatus(smo, b.id, 'acceptance');
    expect(criterionOf(body, AUTOMATED)).toMatchObject({
      status: 'passed',
      detail: expect.stringContaining('200'),
    });
    expect(
      probe
        .hits(PROBE_PATH)
        .slice(bHitsBefore)
        .map((hit) => hit.status),
    ).toEqual([500, 200]);

    // A probe answering 404 fails at once; a result from an smo sets it; a failed criterion can be attested.
    const c = await newDraft();
    probe.script(PROBE_PATH, [404]);
    const cHitsBefore = probe.hits(PROBE_PATH).length;
    expectOk(await pmo.post(path(c.id, '/submit')), 'readiness');
    body = await probed(c.id);
    expect(criterionOf(body, AUTOMATED)).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('404'),
    });
    expect(
      probe
        .hits(PROBE_PATH)
        .slice(cHitsBefore)
        .map((hit) => hit.status),
    ).toEqual([404]);

    expectProblem(await pmo.post(path(c.id, `/readiness/${AUTOMATED}/result`), { passed: true }), 403);
    expectProblem(
      await smo.post(path(c.id, `/readiness/${MANUAL}/result`), { passed: true }),
      400,
      'HANDOVER.NOT_AUTOMATED',
    );
    expectProblem(await smo.post(path(c.id, '/readiness/no-such-key/result'), { passed: true }), 404);
    const badResult = await smo.post(path(c.id, `/readiness/${AUTOMATED}/result`), { passed: 'yes' });
    expectProblem(badResult, 400);
    expect(badResult.body.errors).toEqual([expect.objectContaining({ path: 'passed' })]);

    body = expectOk(
      await smo.post(path(c.id, `/readiness/${AUTOMATED}/result`), {
        passed: true,
        detail: 'CI run 42 green',
      }),
      'readiness',
    );
    expect(criterionOf(body, AUTOMATED)).toMatchObject({ status: 'passed', detail: 'CI run 42 green' });
    body = expectOk(
      await smo.post(path(c.id, `/readiness/${AUTOMATED}/result`), {
        passed: false,
        detail: 'CI run 43 red',
      }),
      'readiness',
    );
    expect(criterionOf(body, AUTOMATED)).toMatchObject({ status: 'failed', detail: 'CI run 43 red' });
    body = expectOk(
      await pmo.post(path(c.id, `/readiness/${AUTOMATED}/attest`), { evidence: 'manual check of /health' }),
      'readiness',
    );
    expect(criterionOf(body, AUTOMATED)).toMatchObject({
      status: 'passed',
      evidence: 'manual check of /health',
    });

    // Waiving: smo only, with a reason; waiving the last mandatory criterion moves it on.
    expectProblem(await pmo.post(path(c.id, `/readiness/${MANUAL}/waive`), { reason: 'r' }), 403);
    const noReason = await smo.post(path(c.id, `/readiness/${MANUAL}/waive`), {});
    expectProblem(noReason, 400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    expectProblem(await smo.post(path(c.id, '/readiness/no-such-key/waive'), { reason: 'r' }), 404);
    body = expectOk(
      await smo.post(path(c.id, `/readiness/${MANUAL}/waive`), { reason: 'runbooks follow in week 1' }),
      'acceptance',
    );
    expect(criterionOf(body, MANUAL)).toMatchObject({
      status: 'waived',
      waiverReason: 'runbooks follow in week 1',
    });
  });
});

describe('probe deny list', () => {
  it('refuses a link-local probe address by default: the criterion fails, saying it was refused', async () => {
    const template = await smo.post('/v1/checklists', {
      name: unique('rules-deny'),
      changeTypes: ['minor_change'],
      tiers: [TIER],
      criteria: [
        {
          key: 'metadata',
          title: 'Cloud metadata answers',
          practice: 'monitoring and event management',
          mandatory: true,
          kind: 'automated',
          probeUrl: 'http://169.254.169.254/latest/meta-data/',
        },
      ],
    });
    expect(template.status).toBe(201);
    const draft = await newDraft(pmo, { changeType: 'minor_change' });
    expect(draft.checklistId).toBe(template.body.id);
    expectOk(await pmo.post(path(draft.id, '/submit')), 'readiness');
    const body = await waitForCriterion(smo, draft.id, 'metadata', ['passed', 'failed']);
    expect(criterionOf(body, 'metadata')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/refused/i),
    });
    expect(body.status).toBe('readiness');
  });

  it('refuses what BATON_OUTBOUND_DENY names: a host name resolving to loopback is never called', async () => {
    const denyScratch = await scratchDatabase();
    const denied = await startBaton({
      env: {
        DATABASE_URL: denyScratch.url,
        BATON_QUEUE_PREFIX: unique('baton_deny'),
        BATON_RELAY_INTERVAL_MS: '100',
        BATON_OUTBOUND_DENY: '127.0.0.0/8,::1/128',
      },
    });
    try {
      const actors = await createActors(new ApiClient(denied.url, denied.adminToken));
      const template = await actors.smo.post('/v1/checklists', {
        name: 'deny',
        changeTypes: ['new_service'],
        tiers: [4],
        criteria: [
          {
            key: 'local',
            title: 'Local endpoint answers',
            practice: 'monitoring and event management',
            mandatory: true,
            kind: 'automated',
            probeUrl: `http://localhost:${probe.port}/denied`,
          },
        ],
      });
      expect(template.status).toBe(201);
      const [project, service] = await Promise.all([createProject(actors.pmo), createService(actors.smo, 4)]);
      const draft = await createDeliverable(actors.pmo, { projectId: project, serviceId: service });
      expectOk(await actors.pmo.post(path(draft.id, '/submit')), 'readiness');
      const body = await waitForCriterion(actors.smo, draft.id, 'local', ['passed', 'failed']);
      expect(criterionOf(body, 'local')).toMatchObject({
        status: 'failed',
        detail: expect.stringMatching(/refused/i),
      });
      expect(probe.hits('/denied')).toEqual([]);
    } finally {
      await denied.stop();
      await denyScratch.drop();
    }
  });
});

describe('decisions', () => {
  it('never lets the submitter decide, whatever roles it holds, and gives admin no bypass', async () => {
    // dual holds pmo and service_owner; it creates and submits.
    const own = await inAcceptance(dual);
    expectProblem(await decide(dual, own, 'service_owner', 'approve'), 403, 'HANDOVER.SEPARATION_OF_DUTIES');
    expectProblem(
      await decide(dual, own, 'service_owner', 'request_changes'),
      403,
      'HANDOVER.SEPARATION_OF_DUTIES',
    );
    // The admin token has no approver role: refused whatever role it names.
    expectProblem(await decide(admin, own, 'service_owner', 'approve'), 403);
    expectProblem(await decide(admin, own, 'admin', 'approve'), 403);
    let body = (await getDeliverable(smo, own)).body;
    expect(body).toMatchObject({ status: 'acceptance', approvals: [] });
    expect(body.allowedActions).not.toContain('decide');

    // A resubmitter is a submitter too.
    const resubmitted = await inAcceptance(pmo);
    expectOk(await decide(changeMgr, resubmitted, 'change_manager', 'request_changes'), 'rework');
    expectOk(await dual.post(path(resubmitted, '/resubmit')), 'readiness');
    await waitForStatus(smo, resubmitted, 'acceptance');
    expectProblem(
      await decide(dual, resubmitted, 'service_owner', 'approve'),
      403,
      'HANDOVER.SEPARATION_OF_DUTIES',
    );

    // The same principal decides on a deliverable it did not submit; so does an admin holding an approver role.
    const other = await inAcceptance(pmo);
    expectOk(await decide(dual, other, 'service_owner', 'approve'), 'acceptance');
    const adminOwner = await createPrincipal(admin, unique('admin-owner'), ['admin', 'change_manager']);
    body = expectOk(await decide(adminOwner.client, other, 'change_manager', 'approve'), 'approved');
    expect(body.approvals.map((a: { principalId: string }) => a.principalId)).toEqual([
      ids.dual,
      adminOwner.id,
    ]);
  });

  it('takes a decision only with a role the gate policy names and the principal holds', async () => {
    const id = await inAcceptance();
    expectProblem(await decide(ops, id, 'operations', 'approve'), 403, 'HANDOVER.ROLE_NOT_IN_POLICY');
    expectProblem(await decide(owner, id, 'change_manager', 'approve'), 403, 'HANDOVER.ROLE_NOT_HELD');
    expectProblem(await decide(owner, id, 'operations', 'approve'), 403);
    // A gate that is not open now is 409; malformed decisions are 400.
    expectProblem(await decide(owner, id, 'service_owner', 'approve', 'els_exit'), 409);
    for (const [bad, field] of [
      [{ gate: 'acceptance', role: 'Service Owner', decision: 'approve' }, 'role'],
      [{ gate: 'acceptance', role: 'service_owner', decision: 'maybe' }, 'decision'],
      [{ gate: 'final', role: 'service_owner', decision: 'approve' }, 'gate'],
      [{ gate: 'acceptance', role: 'service_owner', decision: 'approve', weight: 2 }, 'weight'],
    ] as const) {
      const response = await owner.post(path(id, '/decisions'), bad);
      expectProblem(response, 400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
    }
    expect((await getDeliverable(smo, id)).body).toMatchObject({ status: 'acceptance', approvals: [] });
  });

  it('takes one decision per principal per round, and reaches quorum with distinct approvers only', async () => {
    const id = await inAcceptance();
    let body = expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
    expect(body.gate).toMatchObject({ gate: 'acceptance', quorum: 2, approvedBy: [ids.owner] });
    expectProblem(await decide(owner, id, 'service_owner', 'approve'), 409, 'HANDOVER.ALREADY_DECIDED');
    expectProblem(
      await decide(owner, id, 'service_owner', 'request_changes'),
      409,
      'HANDOVER.ALREADY_DECIDED',
    );
    body = (await getDeliverable(smo, id)).body;
    expect(body.status).toBe('acceptance');
    expect(body.approvals).toHaveLength(1);
    // Quorum counts principals, not roles: a second service owner completes it.
    body = expectOk(await decide(owner2, id, 'service_owner', 'approve'), 'approved');
    expect(body.approvals.map((a: { principalId: string }) => a.principalId)).toEqual([
      ids.owner,
      ids.owner2,
    ]);
    expect(body.approvals[0]).toMatchObject({
      gate: 'acceptance',
      role: 'service_owner',
      decision: 'approve',
      comment: 'approve as service_owner',
      at: expect.any(String),
    });
  });

  it('opens a new round at resubmission: earlier approvals no longer count, automated criteria are probed again', async () => {
    const id = await inAcceptance();
    let body = (await getDeliverable(smo, id)).body;
    expect(body.round).toBe(1);
    expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
    body = expectOk(await decide(changeMgr, id, 'change_manager', 'request_changes'), 'rework');
    expect(body.round).toBe(1);

    const hitsBefore = probe.hits(PROBE_PATH).length;
    body = expectOk(await pmo.post(path(id, '/resubmit')), 'readiness');
    expect(body.round).toBe(2);
    expect(criterionOf(body, AUTOMATED).status).toBe('pending');
    expect(criterionOf(body, MANUAL).status).toBe('passed');
    body = await waitForStatus(smo, id, 'acceptance');
    expect(probe.hits(PROBE_PATH).length).toBe(hitsBefore + 1);
    expect(body.gate).toMatchObject({ round: 2, approvedBy: [] });

    // The owner's approval of round 1 plus one new approval would make 2: it must not.
    body = expectOk(await decide(changeMgr, id, 'change_manager', 'approve'), 'acceptance');
    expect(body.gate.approvedBy).toEqual([ids.changeMgr]);
    // The owner decided in round 1 and may decide again in round 2.
    body = expectOk(await decide(owner, id, 'service_owner', 'approve'), 'approved');
    expect(
      body.approvals.map((a: { principalId: string; decision: string; round: number }) => [
        a.principalId,
        a.decision,
        a.round,
      ]),
    ).toEqual([
      [ids.owner, 'approve', 1],
      [ids.changeMgr, 'request_changes', 1],
      [ids.changeMgr, 'approve', 2],
      [ids.owner, 'approve', 2],
    ]);
  });

  it('sends back on reject, and ends for good on reject_final', async () => {
    const id = await inAcceptance();
    expectOk(await decide(changeMgr, id, 'change_manager', 'reject'), 'rework');
    expectOk(await pmo.post(path(id, '/resubmit')), 'readiness');
    await waitForStatus(smo, id, 'acceptance');
    const body = expectOk(await decide(changeMgr, id, 'change_manager', 'reject_final'), 'rejected');
    expect(body.allowedActions).toEqual([]);
    for (const client of [pmo, smo, owner, admin])
      expect((await getDeliverable(client, id)).body.allowedActions).toEqual([]);
    expectProblem(await pmo.post(path(id, '/resubmit')), 409);
    expectProblem(await decide(owner, id, 'service_owner', 'approve'), 409);
    expectProblem(await smo.post(path(id, '/hold'), { reason: 'r' }), 409);
    expectProblem(await pmo.post(path(id, '/cancel'), { reason: 'r' }), 409);
    expect((await getDeliverable(smo, id)).body.status).toBe('rejected');
  });
});

describe('go-live', () => {
  it('schedules a valid window, confirms into ELS, and after a rollback starts a new round', async () => {
    const id = await approved();
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const same = await smo.post(path(id, '/go-live/schedule'), { windowStart: start, windowEnd: start });
    expectProblem(same, 400);
    expect(same.body.errors).toEqual([expect.objectContaining({ path: 'windowEnd' })]);
    const backwards = windowFrom(3_600_000, -60_000);
    expectProblem(await smo.post(path(id, '/go-live/schedule'), backwards), 400);
    expectProblem(await pmo.post(path(id, '/go-live/schedule'), windowFrom(3_600_000, 3_600_000)), 403);
    expect((await getDeliverable(smo, id)).body.status).toBe('approved');

    const valid = windowFrom(3_600_000, 3_600_000);
    let body = expectOk(await smo.post(path(id, '/go-live/schedule'), valid), 'scheduled');
    expect(body.goLiveWindow).toEqual({ start: valid.windowStart, end: valid.windowEnd });
    expectProblem(await pmo.post(path(id, '/go-live/confirm')), 403);
    body = expectOk(await smo.post(path(id, '/go-live/confirm')), 'early_life_support');
    expect(body.els).toMatchObject({ period: 1, extensions: 0 });

    expectProblem(await smo.post(path(id, '/rollback'), {}), 400);
    expectProblem(await pmo.post(path(id, '/rollback'), { reason: 'r' }), 403);
    expectOk(await smo.post(path(id, '/rollback'), { reason: 'login broken after go-live' }), 'rework');

    body = expectOk(await pmo.post(path(id, '/resubmit')), 'readiness');
    expect(body.round).toBe(2);
    // Round 1 reached quorum; round 2 starts with no approvals, so it waits at acceptance.
    body = await probed(id);
    expect(criterionOf(body, AUTOMATED).status).toBe('passed');
    expect(body.status).toBe('acceptance');
    expect(body.gate).toMatchObject({ round: 2, approvedBy: [] });
    expect(body.approvals.filter((a: { round: number }) => a.round === 1)).toHaveLength(2);
    expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
  });
});

describe('early life support', () => {
  it('records and resolves incidents, extends ELS while a P1 is open, and exits through els_exit', async () => {
    const id = await inEarlyLifeSupport();
    const incident = (reference: string, priority: string) =>
      smo.post(path(id, '/incidents'), { reference, priority, summary: `${priority} ${reference}` });
    let body = expectOk(await incident('INC-1', 'P1'), 'early_life_support');
    expect(body.incidents).toEqual([
      expect.objectContaining({ reference: 'INC-1', priority: 'P1', resolvedAt: null }),
    ]);
    expectProblem(await incident('INC-1', 'P3'), 409, 'HANDOVER.DUPLICATE_INCIDENT');
    expectProblem(
      await pmo.post(path(id, '/incidents'), { reference: 'INC-9', priority: 'P3', summary: 's' }),
      403,
    );
    expectProblem(
      await smo.post(path(id, '/incidents'), { reference: 'INC-9', priority: 'P9', summary: 's' }),
      400,
    );
    expectOk(await incident('INC-2', 'P3'), 'early_life_support');
    expectProblem(await smo.post(path(id, '/incidents/INC-404/resolve')), 404, 'HANDOVER.UNKNOWN_INCIDENT');
    expectOk(await smo.post(path(id, '/incidents/INC-2/resolve')), 'early_life_support');
    expectProblem(await smo.post(path(id, '/incidents/INC-2/resolve')), 409);

    // The period ends with a P1 open: ELS is extended, not left.
    body = (
      await waitFor(
        () => getDeliverable(smo, id),
        (r) => r.body.els?.extensions >= 1 || r.body.status !== 'early_life_support',
        'the first ELS period to end',
      )
    ).body;
    expect(body).toMatchObject({ status: 'early_life_support', els: { period: 2, extensions: 1 } });
    let events = await history(id);
    const confirm = events.find((event) => event.action === 'confirm');
    const extended = events.filter((event) => event.action === 'els_period_elapsed');
    expect(extended).toEqual([
      expect.objectContaining({
        principalId: null,
        fromStatus: 'early_life_support',
        toStatus: 'early_life_support',
        data: expect.objectContaining({ outcome: 'extended', openIncidents: { P1: 1, P2: 0 } }),
      }),
    ]);
    expect(Date.parse(extended[0].at) - Date.parse(confirm.at)).toBeGreaterThanOrEqual(3000);

    // Resolved, the next period end opens the els_exit review.
    expectOk(await smo.post(path(id, '/incidents/INC-1/resolve')), 'early_life_support');
    body = await waitForStatus(smo, id, 'els_review');
    expect(body.gate).toMatchObject({ gate: 'els_exit', roles: ['service_owner'], quorum: 1 });
    expect(body.awaitingRoles).toEqual(['service_owner']);
    expectProblem(await decide(owner, id, 'service_owner', 'approve', 'acceptance'), 409);
    expectProblem(await decide(changeMgr, id, 'change_manager', 'approve', 'els_exit'), 403);

    // request_changes at els_exit: back to ELS, extended again.
    body = expectOk(
      await decide(owner, id, 'service_owner', 'request_changes', 'els_exit'),
      'early_life_support',
    );
    expect(body.els).toMatchObject({ extensions: 2 });
    body = await waitForStatus(smo, id, 'els_review');
    expect(body.gate).toMatchObject({ gate: 'els_exit', approvedBy: [] });

    // A new els_exit round: the same owner approves, and the deliverable is operational for good.
    body = expectOk(await decide(owner, id, 'service_owner', 'approve', 'els_exit'), 'operational');
    expect(body.allowedActions).toEqual([]);
    expectProblem(await incident('INC-3', 'P4'), 409);
    events = await history(id);
    expect(
      events.filter((event) => event.action === 'els_period_elapsed').map((e) => e.data.outcome),
    ).toEqual(['extended', 'els_review', 'els_review']);
  });
});

describe("approvers' inbox and allowed actions", () => {
  it('lists under awaitingRole only what waits for that role, and drops it once decided', async () => {
    const waiting = await inAcceptance();
    const done = await approved();
    const early = await newDraft();
    expectOk(await pmo.post(path(early.id, '/submit')), 'readiness');
    await probed(early.id);
    expect((await getDeliverable(smo, early.id)).body.status).toBe('readiness');

    const inbox = async (role: string): Promise<string[]> => {
      const response = await changeMgr.get(`/v1/deliverables?awaitingRole=${role}&limit=500`);
      expect(response.status).toBe(200);
      return response.body.items.map((item: { id: string }) => item.id);
    };
    let listed = await inbox('change_manager');
    expect(listed).toContain(waiting);
    expect(listed).not.toContain(done);
    expect(listed).not.toContain(early.id);
    expect(await inbox('operations')).not.toContain(waiting);

    expectOk(await decide(owner, waiting, 'service_owner', 'approve'), 'acceptance');
    expect(await inbox('change_manager')).toContain(waiting);
    expectOk(await decide(changeMgr, waiting, 'change_manager', 'approve'), 'approved');
    listed = await inbox('change_manager');
    expect(listed).not.toContain(waiting);
  });

  it('names the actions the caller may take in the current state', async () => {
    const draft = await newDraft();
    const actions = async (client: ApiClient, id: string): Promise<string[]> =>
      (await getDeliverable(client, id)).body.allowedActions;
    expect(await actions(pmo, draft.id)).toEqual(expect.arrayContaining(['edit', 'submit', 'attest']));
    expect(await actions(owner, draft.id)).toEqual([]);

    const id = await inAcceptance();
    expect(await actions(owner, id)).toContain('decide');
    expect(await actions(changeMgr, id)).toContain('decide');
    expect(await actions(ops, id)).not.toContain('decide');
    expect(await actions(admin, id)).not.toContain('decide');
    const asPmo = await actions(pmo, id);
    expect(asPmo).not.toContain('decide');
    expect(asPmo).not.toContain('submit');
    const asSmo = await actions(smo, id);
    expect(asSmo).toEqual(expect.arrayContaining(['waive', 'result', 'hold', 'cancel']));
    expect(asSmo).not.toContain('decide');
    expect(asSmo).not.toContain('schedule');

    const afterDeciding = expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
    expect(afterDeciding.allowedActions).not.toContain('decide');
    expect(await actions(owner, id)).not.toContain('decide');
    expect(await actions(changeMgr, id)).toContain('decide');

    expectOk(await decide(changeMgr, id, 'change_manager', 'approve'), 'approved');
    expect(await actions(smo, id)).toContain('schedule');
    expect(await actions(pmo, id)).not.toContain('schedule');
    expect(await actions(owner, id)).not.toContain('decide');
  });
});

describe('policies and checklists', () => {
  it('serves the tier policies and refuses bad ones', async () => {
    for (const tier of [1, 2, 4] as const) {
      const response = await pmo.get(`/v1/policies/${tier}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ tier, source: 'default', ...DEFAULT_POLICIES[tier] });
    }
    const [one, four] = [(await pmo.get('/v1/policies/1')).body, (await pmo.get('/v1/policies/4')).body];
    expect(one.acceptance.roles).toHaveLength(3);
    expect(parseIsoDuration(one.elsDuration)).toBeGreaterThan(parseIsoDuration(four.elsDuration));
    expect((await pmo.get(`/v1/policies/${TIER}`)).body).toMatchObject({
      tier: TIER,
      source: 'custom',
      ...POLICY,
    });

    const bad = await smo.request('PUT', `/v1/policies/${TIER}`, {
      ...POLICY,
      colour: 'blue',
      elsDuration: 'three seconds',
      acceptance: { ...POLICY.acceptance, quorum: 0 },
    });
    expectProblem(bad, 400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'acceptance.quorum',
      'colour',
      'elsDuration',
    ]);
    expectProblem(await smo.request('PUT', '/v1/policies/5', POLICY), 400);
    expectProblem(await smo.request('PUT', '/v1/policies/0', POLICY), 400);
    expectProblem(await pmo.get('/v1/policies/5'), 400);
    expectProblem(await pmo.request('PUT', `/v1/policies/${TIER}`, POLICY), 403);
    expect((await pmo.get(`/v1/policies/${TIER}`)).body).toMatchObject(POLICY);
  });

  it('versions checklists by name, and gives a deliverable the newest matching template, else the default', async () => {
    const name = unique('rules-versioned');
    const criterion = (key: string) => ({
      key,
      title: `Criterion ${key}`,
      practice: 'service validation and testing',
      mandatory: true,
      kind: 'manual',
    });
    const template = (templateName: string, key: string) => ({
      name: templateName,
      changeTypes: ['retirement'],
      tiers: [TIER],
      criteria: [criterion(key)],
    });
    expectProblem(await pmo.post('/v1/checklists', template(name, 'x')), 403);
    const duplicate = await smo.post('/v1/checklists', {
      ...template(name, 'x'),
      criteria: [criterion('same'), criterion('same')],
    });
    expectProblem(duplicate, 400);
    expect(duplicate.body.errors).toEqual([expect.objectContaining({ path: 'criteria.1.key' })]);

    const v1 = await smo.post('/v1/checklists', template(name, 'v1-only'));
    const v2 = await smo.post('/v1/checklists', template(name, 'v2-only'));
    expect([v1.status, v2.status]).toEqual([201, 201]);
    expect(v1.body).toMatchObject({ name, version: 1 });
    expect(v2.body).toMatchObject({ name, version: 2 });
    const listed = await pmo.get(`/v1/checklists?name=${name}`);
    expect(listed.body.items.map((item: { version: number }) => item.version).sort()).toEqual([1, 2]);

    const keys = (deliverable: any): string[] =>
      deliverable.readiness.criteria.map((c: { key: string }) => c.key);
    let deliverable = await newDraft(pmo, { changeType: 'retirement' });
    expect(keys(deliverable)).toEqual(['v2-only']);
    expect(deliverable.checklistId).toBe(v2.body.id);

    // Newest by time: a template of another name, posted later, wins over version 2.
    const newer = await smo.post('/v1/checklists', template(unique('rules-newer'), 'newer-only'));
    expect(newer.body.version).toBe(1);
    deliverable = await newDraft(pmo, { changeType: 'retirement' });
    expect(keys(deliverable)).toEqual(['newer-only']);
    expect(deliverable.checklistId).toBe(newer.body.id);

    // No template for tier 2: the built-in default.
    const tier2 = await createService(smo, 2);
    deliverable = await createDeliverable(pmo, { projectId, serviceId: tier2 }, { changeType: 'retirement' });
    expect(deliverable.readiness.criteria).toHaveLength(19);
    expect(keys(deliverable)).toEqual(DEFAULT_CHECKLIST.criteria.map((c) => c.key));
    expect(deliverable.checklistId).toBeNull();
  });
});

describe('audit history', () => {
  it('records the whole walk once per step, in order, on an intact hash chain', async () => {
    const draft = await newDraft();
    const id = draft.id;
    expectOk(await pmo.post(path(id, `/readiness/${MANUAL}/attest`), { evidence: 'wiki/runbooks' }), 'draft');
    expectOk(await pmo.post(path(id, '/submit')), 'readiness');
    await waitForStatus(smo, id, 'acceptance');
    expectOk(await decide(owner, id, 'service_owner', 'approve'), 'acceptance');
    expectOk(await decide(changeMgr, id, 'change_manager', 'approve'), 'approved');
    expectOk(await smo.post(path(id, '/go-live/schedule'), windowFrom(3_600_000, 3_600_000)), 'scheduled');
    expectOk(await smo.post(path(id, '/go-live/confirm')), 'early_life_support');
    await waitForStatus(smo, id, 'els_review');
    expectOk(await decide(owner, id, 'service_owner', 'approve', 'els_exit'), 'operational');

    const events = await history(id);
    expect(
      events.map((event) => [event.action, event.fromStatus, event.toStatus, event.principalId]),
    ).toEqual([
      ['create', null, 'draft', ids.pmo],
      ['attest', 'draft', 'draft', ids.pmo],
      ['submit', 'draft', 'readiness', ids.pmo],
      ['result', 'readiness', 'acceptance', null],
      ['decide', 'acceptance', 'acceptance', ids.owner],
      ['decide', 'acceptance', 'approved', ids.changeMgr],
      ['schedule', 'approved', 'scheduled', ids.smo],
      ['confirm', 'scheduled', 'early_life_support', ids.smo],
      ['els_period_elapsed', 'early_life_support', 'els_review', null],
      ['decide', 'els_review', 'operational', ids.owner],
    ]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      events
        .slice(1)
        .every((event, index) => event.toStatus !== undefined && event.fromStatus === events[index].toStatus),
    ).toBe(true);
    expect(events[0].prevHash).toBeNull();
    expect(verifyChain(events)).toBeNull();
    expect((await getDeliverable(smo, id)).body).toMatchObject({ status: 'operational', version: 10 });
  });
});
