import { type ApiClient, type ApiResponse } from './http-client.js';
import { unique } from './fixtures.js';

/** The manual criterion of FIXTURE_CRITERIA: a pmo attests it. */
export const MANUAL = 'runbook';
/** The automated criterion: no probe URL, so only a posted result, an attestation or a waiver settles it. */
export const AUTOMATED = 'ci';
/** An advisory criterion: it never holds a deliverable back. */
export const ADVISORY = 'training';

/** A checklist template's criteria for deliverables that the tests move by hand, with no worker involved. */
export const FIXTURE_CRITERIA = [
  {
    key: MANUAL,
    title: 'Runbooks published',
    practice: 'knowledge management',
    mandatory: true,
    kind: 'manual',
  },
  {
    key: AUTOMATED,
    title: 'CI green',
    practice: 'service validation and testing',
    mandatory: true,
    kind: 'automated',
  },
  {
    key: ADVISORY,
    title: 'Users trained',
    practice: 'organizational change management',
    mandatory: false,
    kind: 'manual',
  },
];

export const ALL_CHANGE_TYPES = ['new_service', 'major_change', 'minor_change', 'retirement'];

export type FixtureState =
  | 'draft'
  | 'on_hold'
  | 'readiness'
  | 'acceptance'
  | 'rework'
  | 'approved'
  | 'scheduled'
  | 'early_life_support'
  /** early_life_support with the incident INC-1 (P3) open. */
  | 'incident_open'
  /** early_life_support with the follow-on action A-1 open and owned by nobody. */
  | 'action_open'
  /**
   * els_review: the ELS period must end while the fixture waits, so the service's policy needs an
   * elsDuration of a second or so (and nothing open that would extend it).
   */
  | 'els_review';

export interface FixtureActors {
  pmo: ApiClient;
  smo: ApiClient;
  /** Holds service_owner; with quorum 1 at acceptance (the default tier 4 policy) it approves alone. */
  owner: ApiClient;
}

export interface FixtureRefs {
  projectId: string;
  serviceId: string;
}

function expectStatus(response: ApiResponse, status: number, what: string): any {
  if (response.status !== status)
    throw new Error(`fixture ${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A go-live window starting in a day, an hour long. */
export function goLiveWindow(): { windowStart: string; windowEnd: string } {
  const start = Date.now() + 86_400_000;
  return { windowStart: new Date(start).toISOString(), windowEnd: new Date(start + 3_600_000).toISOString() };
}

/**
 * A fresh deliverable in `state`, moved there over the API by `actors`. Its service must take a template
 * with FIXTURE_CRITERIA and a policy whose acceptance gate `actors.owner` passes alone.
 */
export async function deliverableIn(
  actors: FixtureActors,
  refs: FixtureRefs,
  state: FixtureState,
): Promise<string> {
  const created = expectStatus(
    await actors.pmo.post('/v1/deliverables', {
      ...refs,
      title: unique('fixture'),
      changeType: 'new_service',
      targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
    201,
    'create',
  );
  const id: string = created.id;
  const step = async (client: ApiClient, rest: string, body: unknown, status: string): Promise<void> => {
    const answer = expectStatus(await client.post(`/v1/deliverables/${id}${rest}`, body), 200, rest);
    if (answer.status !== status) throw new Error(`fixture ${rest}: ${answer.status}, not ${status}`);
  };
  if (state === 'draft') return id;
  if (state === 'on_hold') {
    await step(actors.smo, '/hold', { reason: 'fixture' }, 'on_hold');
    return id;
  }
  if (state === 'readiness') {
    await step(actors.pmo, '/submit', {}, 'readiness');
    return id;
  }
  await step(actors.pmo, `/readiness/${MANUAL}/attest`, { evidence: 'wiki/runbooks' }, 'draft');
  await step(actors.pmo, '/submit', {}, 'readiness');
  await step(
    actors.smo,
    `/readiness/${AUTOMATED}/result`,
    { passed: true, detail: 'CI green' },
    'acceptance',
  );
  if (state === 'acceptance') return id;
  const rework = state === 'rework';
  await step(
    actors.owner,
    '/decisions',
    { gate: 'acceptance', role: 'service_owner', decision: rework ? 'request_changes' : 'approve' },
    rework ? 'rework' : 'approved',
  );
  if (state === 'rework' || state === 'approved') return id;
  await step(actors.smo, '/go-live/schedule', goLiveWindow(), 'scheduled');
  if (state === 'scheduled') return id;
  await step(actors.smo, '/go-live/confirm', {}, 'early_life_support');
  if (state === 'early_life_support') return id;
  if (state === 'action_open') {
    expectStatus(
      await actors.smo.post(`/v1/deliverables/${id}/actions`, { title: 'fixture' }),
      201,
      'action',
    );
    return id;
  }
  if (state === 'els_review') {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const seen = expectStatus(await actors.smo.get(`/v1/deliverables/${id}`), 200, 'els_review');
      if (seen.status === 'els_review') return id;
      if (seen.status !== 'early_life_support' || Date.now() > deadline)
        throw new Error(`fixture els_review: still ${seen.status}; is the ELS period of its service short?`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await step(
    actors.smo,
    '/incidents',
    { reference: 'INC-1', priority: 'P3', summary: 'fixture' },
    'early_life_support',
  );
  return id;
}
