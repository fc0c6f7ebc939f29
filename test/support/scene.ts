// The scene the fault tests and some e2e tests play on: policies measured in seconds, one manual criterion,
// approvers, a '*' webhook subscription, and the flows that take a deliverable to readiness or to ELS.
import { createPrincipal, unique } from './fixtures.js';
import { type ApiClient, type ApiResponse } from './http-client.js';

export const SECRET = 'fault-tests-secret-0123456789';

export interface SceneOptions {
  /** Tier 3: readiness reminders before the target go-live. */
  readinessReminders: string[];
  /** Tier 2: early life support. */
  elsDuration: string;
  elsFollowUpEvery: string;
  elsExitSla: string;
}

export interface Scene {
  admin: ApiClient;
  pmo: ApiClient;
  smo: ApiClient;
  owner: ApiClient;
  projectId: string;
  readinessService: string;
  elsService: string;
}

export async function ok(response: Promise<ApiResponse> | ApiResponse, what: string): Promise<any> {
  const result = await response;
  if (result.status < 200 || result.status > 299) {
    throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

export async function setUpScene(admin: ApiClient, hookUrl: string, options: SceneOptions): Promise<Scene> {
  const gate = (decisionSla: string) => ({ roles: ['service_owner'], quorum: 1, decisionSla });
  await ok(
    admin.request('PUT', '/v1/policies/3', {
      acceptance: gate('PT1H'),
      elsExit: gate('PT1H'),
      elsDuration: 'P1D',
      elsFollowUpEvery: 'P1D',
      elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
      readinessReminders: options.readinessReminders,
    }),
    'policy 3',
  );
  await ok(
    admin.request('PUT', '/v1/policies/2', {
      acceptance: gate('PT1H'),
      elsExit: gate(options.elsExitSla),
      elsDuration: options.elsDuration,
      elsFollowUpEvery: options.elsFollowUpEvery,
      elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
      readinessReminders: [],
    }),
    'policy 2',
  );
  await ok(
    admin.post('/v1/checklists', {
      name: 'fault tests',
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
  await ok(admin.post('/v1/webhooks', { url: `${hookUrl}/hook`, events: ['*'], secret: SECRET }), 'webhook');
  const [pmo, smo, owner] = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
  ]);
  const service = async (tier: number) =>
    (await ok(smo.client.post('/v1/services', { name: unique('service'), tier }), 'service')).id as string;
  const projectId = (
    await ok(
      pmo.client.post('/v1/projects', { key: unique('PRJ'), name: 'Faults', methodology: 'prince2' }),
      'project',
    )
  ).id as string;
  return {
    admin,
    pmo: pmo.client,
    smo: smo.client,
    owner: owner.client,
    projectId,
    readinessService: await service(3),
    elsService: await service(2),
  };
}

/** Draft, then readiness with its reminders counted back from a go-live `goLiveInMs` away. */
export async function readinessFlow(scene: Scene, goLiveInMs: number): Promise<string> {
  const created = await ok(
    scene.pmo.post('/v1/deliverables', {
      projectId: scene.projectId,
      serviceId: scene.readinessService,
      title: unique('reminded'),
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + goLiveInMs).toISOString(),
    }),
    'create',
  );
  await ok(scene.pmo.post(`/v1/deliverables/${created.id}/submit`), 'submit');
  return created.id;
}

/** Draft to early life support (its period end and follow-up timers running), with a P1 open if asked. */
export async function elsFlow(scene: Scene, withIncident: boolean): Promise<string> {
  const created = await ok(
    scene.pmo.post('/v1/deliverables', {
      projectId: scene.projectId,
      serviceId: scene.elsService,
      title: unique('els'),
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    }),
    'create',
  );
  const path = `/v1/deliverables/${created.id}`;
  await ok(scene.pmo.post(`${path}/submit`), 'submit');
  await ok(
    scene.pmo.post(`${path}/readiness/runbook/attest`, { evidence: 'https://wiki/runbook' }),
    'attest',
  );
  await ok(
    scene.owner.post(`${path}/decisions`, { gate: 'acceptance', role: 'service_owner', decision: 'approve' }),
    'approve',
  );
  const windowStart = Date.now() + 3_600_000;
  await ok(
    scene.smo.post(`${path}/go-live/schedule`, {
      windowStart: new Date(windowStart).toISOString(),
      windowEnd: new Date(windowStart + 3_600_000).toISOString(),
    }),
    'schedule',
  );
  await ok(scene.smo.post(`${path}/go-live/confirm`), 'confirm');
  if (withIncident) {
    await ok(
      scene.smo.post(`${path}/incidents`, { reference: 'INC-1', priority: 'P1', summary: 'fault test' }),
      'incident',
    );
  }
  return created.id;
}
