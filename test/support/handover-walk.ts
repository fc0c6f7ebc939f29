import { expect } from '@jest/globals';
import { verifyChain } from '@baton/commands';
import { createPrincipal, createProject, createService } from './fixtures.js';
import { type ApiClient } from './http-client.js';

const waitFor = async (client: ApiClient, id: string, until: (body: any) => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/v1/deliverables/${id}`);
    if (until(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`timed out; last seen ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
};

/**
 * The whole handover over HTTP, with a policy measured in seconds: draft to operational, early life
 * support extended once because a P1 was open when the period ended (two timers fire). Every step once,
 * in order, hash-chained. `admin` is a Baton's admin on a database of its own (the walk sets tier 2's policy).
 */
export async function walkHandover(admin: ApiClient): Promise<void> {
  const policy = {
    acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla: 'PT1H' },
    elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
    elsDuration: 'PT2S',
    elsFollowUpEvery: 'PT1H',
    elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
    readinessReminders: [],
  };
  expect((await admin.request('PUT', '/v1/policies/2', policy)).status).toBe(200);
  const checklist = await admin.post('/v1/checklists', {
    name: 'walk',
    changeTypes: ['new_service'],
    tiers: [2],
    criteria: [
      {
        key: 'runbooks',
        title: 'Runbooks published',
        practice: 'knowledge management',
        mandatory: true,
        kind: 'manual',
      },
      {
        key: 'monitoring',
        title: 'Alerts routed',
        practice: 'monitoring and event management',
        mandatory: true,
        kind: 'automated',
      },
      {
        key: 'training',
        title: 'Users trained',
        practice: 'organizational change management',
        mandatory: false,
        kind: 'manual',
      },
    ],
  });
  expect(checklist.status).toBe(201);

  const pmo = (await createPrincipal(admin, 'Pat PMO', ['pmo'])).client;
  const smo = (await createPrincipal(admin, 'Sam SMO', ['smo'])).client;
  const owner = (await createPrincipal(admin, 'Olive Owner', ['service_owner'])).client;
  const change = (await createPrincipal(admin, 'Chris Change', ['change_manager'])).client;
  const serviceId = await createService(smo, 2);
  const projectId = await createProject(pmo);

  const created = await pmo.post('/v1/deliverables', {
    projectId,
    serviceId,
    title: 'Customer portal v2',
    changeType: 'new_service',
    targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect(created.body.readiness.criteria.map((c: { key: string }) => c.key)).toEqual([
    'runbooks',
    'monitoring',
    'training',
  ]);
  const path = `/v1/deliverables/${id}`;
  const ok = async (response: Promise<{ status: number; body: any }>, status: string) => {
    const result = await response;
    expect({
      status: result.status,
      body: result.status === 200 ? result.body.status : result.body,
    }).toEqual({
      status: 200,
      body: status,
    });
    return result.body;
  };

  await ok(pmo.post(`${path}/submit`), 'readiness');
  await ok(
    pmo.post(`${path}/readiness/runbooks/attest`, { evidence: 'https://wiki.example/runbooks' }),
    'readiness',
  );
  await ok(
    smo.post(`${path}/readiness/monitoring/result`, { passed: true, detail: 'alerts fire in staging' }),
    'acceptance',
  );
  expect(
    (await owner.get('/v1/deliverables?awaitingRole=service_owner')).body.items.map((d: any) => d.id),
  ).toContain(id);
  await ok(
    owner.post(`${path}/decisions`, { gate: 'acceptance', role: 'service_owner', decision: 'approve' }),
    'acceptance',
  );
  await ok(
    change.post(`${path}/decisions`, { gate: 'acceptance', role: 'change_manager', decision: 'approve' }),
    'approved',
  );
  expect(
    (await owner.get('/v1/deliverables?awaitingRole=service_owner')).body.items.map((d: any) => d.id),
  ).not.toContain(id);
  const windowStart = new Date(Date.now() + 3_600_000);
  await ok(
    smo.post(`${path}/go-live/schedule`, {
      windowStart: windowStart.toISOString(),
      windowEnd: new Date(windowStart.getTime() + 7_200_000).toISOString(),
    }),
    'scheduled',
  );
  await ok(smo.post(`${path}/go-live/confirm`), 'early_life_support');
  await ok(
    smo.post(`${path}/incidents`, {
      reference: 'INC-1001',
      priority: 'P1',
      summary: 'Login fails for SSO users',
    }),
    'early_life_support',
  );

  // The period ends with a P1 open: ELS is extended by another period.
  const extended = await waitFor(pmo, id, (body) => body.els.extensions === 1);
  expect(extended.status).toBe('early_life_support');
  await ok(smo.post(`${path}/incidents/INC-1001/resolve`), 'early_life_support');

  // The next period end finds no open P1: els_review.
  await waitFor(pmo, id, (body) => body.status === 'els_review');
  await ok(
    owner.post(`${path}/decisions`, { gate: 'els_exit', role: 'service_owner', decision: 'approve' }),
    'operational',
  );

  const final = await pmo.get(path);
  // The handover is over; the live service still takes follow-on actions and lessons learned.
  expect(final.body.allowedActions).toEqual(['create_action', 'record_lesson']);

  const history = (await pmo.get(`${path}/history`)).body.items;
  expect(history.map((event: any) => [event.action, event.toStatus])).toEqual([
    ['create', 'draft'],
    ['submit', 'readiness'],
    ['attest', 'readiness'],
    ['result', 'acceptance'],
    ['decide', 'acceptance'],
    ['decide', 'approved'],
    ['schedule', 'scheduled'],
    ['confirm', 'early_life_support'],
    ['record_incident', 'early_life_support'],
    ['els_period_elapsed', 'early_life_support'],
    ['resolve_incident', 'early_life_support'],
    ['els_period_elapsed', 'els_review'],
    ['decide', 'operational'],
  ]);
  expect(history.map((event: any) => event.seq)).toEqual(
    history.map((_: unknown, index: number) => index + 1),
  );
  expect(verifyChain(history)).toBeNull();

  const timers = (await pmo.get(`${path}/reminders`)).body.items;
  const periods = timers.filter((timer: any) => timer.kind === 'els_period_end');
  expect(periods.map((timer: any) => timer.status)).toEqual(['sent', 'sent']);
}
