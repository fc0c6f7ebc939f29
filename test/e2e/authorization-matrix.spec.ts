// Every route the app serves, called by every kind of caller: no token, an unknown token, a revoked token
// (once DELETE /v1/principals/:id is served), admin, pmo, smo, an approver and a principal with no useful
// role. Each cell has its own fixture where the call changes state, so the cells do not depend on each
// other. A route served in /docs-json without a row here fails the coverage test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ADMIN_PRINCIPAL_ID } from '@baton/access';
import { DEFAULT_POLICIES } from '@baton/handover';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  ALL_CHANGE_TYPES,
  AUTOMATED,
  deliverableIn as deliverableInState,
  FIXTURE_CRITERIA,
  type FixtureState,
  goLiveWindow,
  MANUAL,
} from '../support/deliverable-states.js';

const CALLERS = ['none', 'bad', 'revoked', 'admin', 'pmo', 'smo', 'approver', 'auditor'] as const;
type Caller = (typeof CALLERS)[number];
const UNAUTHENTICATED: readonly Caller[] = ['none', 'bad', 'revoked'];

const PMO: Caller[] = ['admin', 'pmo'];
const SMO: Caller[] = ['admin', 'smo'];
const PMO_OR_SMO: Caller[] = ['admin', 'pmo', 'smo'];
const ADMIN: Caller[] = ['admin'];
const APPROVER: Caller[] = ['approver'];
const EVERYONE: Caller[] = ['admin', 'pmo', 'smo', 'approver', 'auditor'];

/** The service tier the deliverables use; its default policy has service_owner decide alone at both gates. */
const TIER = 4;
/** A tier whose checklist is one advisory automated criterion with a probe URL (a dead address: it fails). */
const PROBE_TIER = 2;
const PROBED = 'health';
/** The tier of deliverables that must reach els_review (lessons): tier 4's policy with a half-second ELS. */
const REVIEW_TIER = 3;
const REVOCATION = 'DELETE /v1/principals/{id}';
/** Roles of each caller that has a principal: a fresh principal like it is made where a call would spend it. */
const ROLES_OF: Partial<Record<Caller, string[]>> = {
  admin: ['admin'],
  pmo: ['pmo'],
  smo: ['smo'],
  approver: ['service_owner'],
  auditor: ['auditor'],
};

interface Call {
  path: string;
  body?: unknown;
  /** Send as this client instead of the caller's own (a fresh principal with the caller's roles). */
  as?: ApiClient;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As /docs-json names it. */
  path: string;
  /** Tells two rows of one route apart (on the caller's own principal, or another's). */
  variant?: string;
  /** Who gets the success status; everybody else with a valid token gets 403. */
  allowed: readonly Caller[] | 'public';
  success: 200 | 201 | 204;
  /** The `code` of the 403: the guard's, or the domain's (deliverable commands). */
  refusal?: string;
  /** A fresh fixture for one cell; the call itself. */
  call: (caller: Caller) => Promise<Call> | Call;
  /** The deliverable the call acts on, when it is one: a refusal must leave it as it was. */
  deliverable?: boolean;
  /** The answer is a stream that does not end (GET /v1/events): its status and headers are read, then it is closed. */
  stream?: boolean;
}

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
/** Whoever builds the fixtures: principals that are not callers of the matrix. */
let fx: { pmo: ApiClient; smo: ApiClient; owner: ApiClient };
const callers = {} as Record<Caller, ApiClient>;
const callerIds = {} as Record<Caller, string>;
let served = new Set<string>();
let shared: {
  deliverableId: string;
  /** A principal that is none of the callers. */
  otherId: string;
  serviceId: string;
  /** A service of REVIEW_TIER. */
  reviewServiceId: string;
  projectId: string;
  checklistId: string;
  webhookId: string;
  /** A service of PROBE_TIER, whose checklist has a criterion the worker probes. */
  probeServiceId: string;
};
/** route -> caller -> the status seen (with * when it was not the expected one). */
const seen = new Map<string, Map<Caller, string>>();

const ok = (response: ApiResponse, status: number, what: string): any => {
  if (response.status !== status)
    throw new Error(`fixture ${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

const path = (id: string, rest = ''): string => `/v1/deliverables/${id}${rest}`;

const spare = (roles: string[]): Promise<{ id: string; client: ApiClient }> =>
  createPrincipal(admin, unique('spare'), roles);

const deliverableIn = (state: FixtureState): Promise<string> =>
  deliverableInState(
    fx,
    {
      projectId: shared.projectId,
      serviceId: state === 'els_review' ? shared.reviewServiceId : shared.serviceId,
    },
    state,
  );

/** A deliverable command: a fresh deliverable in `state` per cell; refusals come from the domain. */
function command(
  rest: string,
  state: FixtureState,
  allowed: readonly Caller[],
  body?: unknown,
  refusal = 'HANDOVER.ROLE_REQUIRED',
): Omit<Route, 'method' | 'path'> {
  return {
    allowed,
    success: 200,
    refusal,
    deliverable: true,
    call: async () => ({ path: path(await deliverableIn(state), rest), body }),
  };
}

const read = (at: () => string, allowed: readonly Caller[] | 'public' = EVERYONE) => ({
  allowed,
  success: 200 as const,
  call: () => ({ path: at() }),
});

const CHECKLIST = () => ({
  name: unique('matrix-checklist'),
  changeTypes: ['retirement'],
  // Tier 1 only: the deliverables here (tier 4) keep the template of beforeAll.
  tiers: [1],
  criteria: [{ key: 'k', title: 'T', practice: 'knowledge_management', mandatory: true, kind: 'manual' }],
});

const WEBHOOK = () => ({
  url: 'http://127.0.0.1:9/matrix',
  // An event the matrix never causes, so nothing is delivered to the dead address.
  events: ['els.extended'],
  secret: 'matrix-secret-0123456789',
});

/** A one-off freeze of tier 1 in 2040: it stands in front of no go-live the matrix schedules. */
const FREEZE = () => ({
  name: unique('matrix-freeze'),
  start: '2040-01-01T00:00:00Z',
  end: '2040-01-02T00:00:00Z',
  scope: { tiers: [1] },
});

/** A week of service_owner lent to the principal that is none of the callers. */
const DELEGATION = () => ({
  delegateId: shared.otherId,
  roles: ['service_owner'],
  from: new Date().toISOString(),
  until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
});

/**
 * A fresh principal with the caller's roles and an approver role to lend (delegating spends nothing, but a
 * delegation needs a role it may lend); callers without a principal get a spare's path.
 */
async function delegator(caller: Caller): Promise<{ id: string; client: ApiClient; as?: ApiClient }> {
  const roles = ROLES_OF[caller];
  const self = await spare([...(roles ?? []), 'service_owner']);
  return { ...self, as: roles ? self.client : undefined };
}

async function delegationBy(client: ApiClient, principalId: string): Promise<string> {
  return ok(await client.post(`/v1/principals/${principalId}/delegations`, DELEGATION()), 201, 'delegation')
    .id;
}

/** Every route, keyed as /docs-json names it. */
const ROUTES: Route[] = (
  [
    ['GET /health', read(() => '/health', 'public')],
    ['GET /health/ready', read(() => '/health/ready', 'public')],
    ['GET /health/live', read(() => '/health/live', 'public')],
    ['GET /metrics', read(() => '/metrics', ADMIN)],
    ['GET /v1/workflow', read(() => '/v1/workflow')],
    ['GET /v1/glossary', read(() => '/v1/glossary')],
    ['GET /v1/practices', read(() => '/v1/practices')],
    ['GET /v1/lessons', read(() => '/v1/lessons')],
    [
      'POST /v1/principals',
      {
        allowed: ADMIN,
        success: 201,
        call: () => ({ path: '/v1/principals', body: { name: unique('p'), roles: ['auditor'] } }),
      },
    ],
    ['GET /v1/principals', read(() => '/v1/principals', ADMIN)],
    ['GET /v1/principals/me', read(() => '/v1/principals/me')],
    ['GET /v1/me', read(() => '/v1/me')],
    ['GET /v1/auth/config', read(() => '/v1/auth/config', 'public')],
    ['GET /v1/inbox', read(() => '/v1/inbox')],
    ['GET /v1/events', { ...read(() => '/v1/events'), stream: true }],
    [
      'POST /v1/admin/queues/session',
      { allowed: ADMIN, success: 204, call: () => ({ path: '/v1/admin/queues/session' }) },
    ],
    [
      'GET /v1/principals/{id}',
      { ...read(() => `/v1/principals/${shared.otherId}`, ADMIN), variant: 'another' },
    ],
    [
      'GET /v1/principals/{id}',
      {
        allowed: EVERYONE,
        success: 200,
        variant: 'self',
        call: (caller) => ({ path: `/v1/principals/${callerIds[caller]}` }),
      },
    ],
    [
      'POST /v1/principals/{id}/token',
      {
        allowed: ADMIN,
        success: 200,
        variant: 'another',
        call: async () => ({ path: `/v1/principals/${(await spare(['pmo'])).id}/token`, body: {} }),
      },
    ],
    [
      'POST /v1/principals/{id}/token',
      {
        allowed: EVERYONE,
        success: 200,
        variant: 'self',
        // Rotating spends the token: a fresh principal with the caller's roles rotates its own.
        call: async (caller) => {
          const roles = ROLES_OF[caller];
          if (!roles) return { path: `/v1/principals/${(await spare(['pmo'])).id}/token`, body: {} };
          const self = await spare(roles);
          return { path: `/v1/principals/${self.id}/token`, body: {}, as: self.client };
        },
      },
    ],
    [
      'POST /v1/principals/{id}/feed-token',
      {
        allowed: ADMIN,
        success: 201,
        variant: 'another',
        call: async () => ({ path: `/v1/principals/${(await spare(['pmo'])).id}/feed-token`, body: {} }),
      },
    ],
    [
      'POST /v1/principals/{id}/feed-token',
      {
        allowed: EVERYONE,
        success: 201,
        variant: 'self',
        // A feed token spends nothing of the caller's API token.
        call: (caller) => ({ path: `/v1/principals/${callerIds[caller]}/feed-token`, body: {} }),
      },
    ],
    ['GET /v1/calendar.ics', read(() => '/v1/calendar.ics')],
    [
      REVOCATION,
      {
        allowed: ADMIN,
        success: 204,
        call: async () => ({ path: `/v1/principals/${(await spare(['pmo'])).id}` }),
      },
    ],
    [
      'POST /v1/services',
      {
        allowed: SMO,
        success: 201,
        call: () => ({ path: '/v1/services', body: { name: unique('s'), tier: 1 } }),
      },
    ],
    ['GET /v1/services', read(() => '/v1/services')],
    ['GET /v1/services/{id}', read(() => `/v1/services/${shared.serviceId}`)],
    [
      'POST /v1/projects',
      {
        allowed: PMO,
        success: 201,
        call: () => ({
          path: '/v1/projects',
          body: { key: unique('PRJ'), name: 'Matrix', methodology: 'agile' },
        }),
      },
    ],
    ['GET /v1/projects', read(() => '/v1/projects')],
    ['GET /v1/projects/{id}', read(() => `/v1/projects/${shared.projectId}`)],
    [
      'POST /v1/deliverables',
      {
        allowed: PMO,
        success: 201,
        call: () => ({
          path: '/v1/deliverables',
          body: {
            projectId: shared.projectId,
            serviceId: shared.serviceId,
            title: unique('matrix'),
            changeType: 'minor_change',
            targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        }),
      },
    ],
    ['GET /v1/deliverables', read(() => '/v1/deliverables')],
    ['GET /v1/deliverables/{id}', read(() => path(shared.deliverableId))],
    ['PATCH /v1/deliverables/{id}', command('', 'draft', PMO, { title: 'edited by the matrix' })],
    ['GET /v1/deliverables/{id}/history', read(() => path(shared.deliverableId, '/history'))],
    ['GET /v1/deliverables/{id}/history/verify', read(() => path(shared.deliverableId, '/history/verify'))],
    ['GET /v1/deliverables/{id}/reminders', read(() => path(shared.deliverableId, '/reminders'))],
    ['GET /v1/deliverables/{id}/evidence-pack', read(() => path(shared.deliverableId, '/evidence-pack'))],
    ['GET /v1/evidence-keys', read(() => '/v1/evidence-keys', 'public')],
    ['POST /v1/deliverables/{id}/submit', command('/submit', 'draft', PMO)],
    ['POST /v1/deliverables/{id}/resubmit', command('/resubmit', 'rework', PMO)],
    ['POST /v1/deliverables/{id}/hold', command('/hold', 'draft', PMO_OR_SMO, { reason: 'matrix' })],
    ['POST /v1/deliverables/{id}/resume', command('/resume', 'on_hold', PMO_OR_SMO)],
    ['POST /v1/deliverables/{id}/cancel', command('/cancel', 'draft', PMO_OR_SMO, { reason: 'matrix' })],
    [
      'POST /v1/deliverables/{id}/readiness/{key}/attest',
      command(`/readiness/${MANUAL}/attest`, 'readiness', PMO, { evidence: 'wiki' }),
    ],
    [
      'POST /v1/deliverables/{id}/readiness/{key}/probe',
      {
        allowed: PMO_OR_SMO,
        success: 200,
        refusal: 'HANDOVER.ROLE_REQUIRED',
        // Not `deliverable: true`: the probe the submission started answers meanwhile, moving the version.
        call: async () => {
          const id = await deliverableInState(
            fx,
            { projectId: shared.projectId, serviceId: shared.probeServiceId },
            'draft',
          );
          ok(await fx.pmo.post(path(id, '/submit'), {}), 200, 'submit the probed deliverable');
          return { path: path(id, `/readiness/${PROBED}/probe`), body: {} };
        },
      },
    ],
    [
      'POST /v1/deliverables/{id}/readiness/{key}/waive',
      command(`/readiness/${AUTOMATED}/waive`, 'readiness', SMO, { reason: 'matrix' }),
    ],
    [
      'POST /v1/deliverables/{id}/readiness/{key}/result',
      command(`/readiness/${AUTOMATED}/result`, 'readiness', SMO, { passed: true, detail: 'CI green' }),
    ],
    [
      'POST /v1/deliverables/{id}/decisions',
      // The callers without service_owner do not hold the role they name: refused by the domain.
      command(
        '/decisions',
        'acceptance',
        APPROVER,
        { gate: 'acceptance', role: 'service_owner', decision: 'approve' },
        'HANDOVER.ROLE_NOT_HELD',
      ),
    ],
    [
      'POST /v1/deliverables/{id}/go-live/schedule',
      command('/go-live/schedule', 'approved', SMO, goLiveWindow()),
    ],
    ['POST /v1/deliverables/{id}/go-live/confirm', command('/go-live/confirm', 'scheduled', SMO)],
    ['POST /v1/deliverables/{id}/rollback', command('/rollback', 'scheduled', SMO, { reason: 'matrix' })],
    [
      'POST /v1/deliverables/{id}/incidents',
      command('/incidents', 'early_life_support', SMO, { reference: 'INC-7', priority: 'P4', summary: 's' }),
    ],
    [
      'POST /v1/deliverables/{id}/incidents/{reference}/resolve',
      command('/incidents/INC-1/resolve', 'incident_open', SMO),
    ],
    [
      'POST /v1/deliverables/{id}/actions',
      { ...command('/actions', 'early_life_support', PMO_OR_SMO, { title: 'Known defect' }), success: 201 },
    ],
    [
      'POST /v1/deliverables/{id}/actions/{key}/assign',
      {
        ...command('/actions/A-1/assign', 'action_open', PMO_OR_SMO),
        call: async () => ({
          path: path(await deliverableIn('action_open'), '/actions/A-1/assign'),
          body: { ownerId: shared.otherId },
        }),
      },
    ],
    [
      'POST /v1/deliverables/{id}/actions/{key}/close',
      command('/actions/A-1/close', 'action_open', PMO_OR_SMO, { note: 'done' }),
    ],
    [
      'POST /v1/deliverables/{id}/actions/{key}/close',
      {
        // Its owner closes it too, whatever roles it holds.
        ...command('/actions/A-1/close', 'action_open', [...PMO_OR_SMO, 'auditor']),
        variant: 'owned by the auditor',
        call: async () => {
          const id = await deliverableIn('action_open');
          const ownerId = callerIds.auditor;
          ok(await fx.smo.post(path(id, '/actions/A-1/assign'), { ownerId }), 200, 'assign to the auditor');
          return { path: path(id, '/actions/A-1/close'), body: {} };
        },
      },
    ],
    [
      'POST /v1/deliverables/{id}/lessons',
      command('/lessons', 'els_review', PMO_OR_SMO, { text: 'Book the load test earlier' }),
    ],
    ['GET /v1/policies', read(() => '/v1/policies')],
    ['GET /v1/policies/{tier}', read(() => `/v1/policies/${TIER}`)],
    [
      'PUT /v1/policies/{tier}',
      // Tier 2 with its default policy: the deliverables here are tier 4.
      { allowed: SMO, success: 200, call: () => ({ path: '/v1/policies/2', body: DEFAULT_POLICIES[2] }) },
    ],
    ['GET /v1/checklists', read(() => '/v1/checklists')],
    [
      'POST /v1/checklists',
      { allowed: SMO, success: 201, call: () => ({ path: '/v1/checklists', body: CHECKLIST() }) },
    ],
    ['GET /v1/checklists/{id}', read(() => `/v1/checklists/${shared.checklistId}`)],
    [
      'POST /v1/webhooks',
      { allowed: PMO_OR_SMO, success: 201, call: () => ({ path: '/v1/webhooks', body: WEBHOOK() }) },
    ],
    ['GET /v1/webhooks', read(() => '/v1/webhooks', PMO_OR_SMO)],
    ['GET /v1/webhooks/{id}', read(() => `/v1/webhooks/${shared.webhookId}`, PMO_OR_SMO)],
    [
      'DELETE /v1/webhooks/{id}',
      {
        allowed: PMO_OR_SMO,
        success: 204,
        call: async () => ({
          path: `/v1/webhooks/${ok(await fx.smo.post('/v1/webhooks', WEBHOOK()), 201, 'webhook').id}`,
        }),
      },
    ],
    [
      'POST /v1/freeze-windows',
      { allowed: SMO, success: 201, call: () => ({ path: '/v1/freeze-windows', body: FREEZE() }) },
    ],
    ['GET /v1/freeze-windows', read(() => '/v1/freeze-windows')],
    [
      'DELETE /v1/freeze-windows/{id}',
      {
        allowed: SMO,
        success: 204,
        call: async () => ({
          path: `/v1/freeze-windows/${ok(await fx.smo.post('/v1/freeze-windows', FREEZE()), 201, 'freeze').id}`,
        }),
      },
    ],
    [
      'POST /v1/principals/{id}/delegations',
      {
        allowed: ADMIN,
        success: 201,
        variant: 'another',
        call: async () => ({
          path: `/v1/principals/${(await spare(['service_owner'])).id}/delegations`,
          body: DELEGATION(),
        }),
      },
    ],
    [
      'POST /v1/principals/{id}/delegations',
      {
        allowed: EVERYONE,
        success: 201,
        variant: 'self',
        call: async (caller) => {
          const self = await delegator(caller);
          return { path: `/v1/principals/${self.id}/delegations`, body: DELEGATION(), as: self.as };
        },
      },
    ],
    [
      'GET /v1/principals/{id}/delegations',
      { ...read(() => `/v1/principals/${shared.otherId}/delegations`, ADMIN), variant: 'another' },
    ],
    [
      'GET /v1/principals/{id}/delegations',
      {
        allowed: EVERYONE,
        success: 200,
        variant: 'self',
        call: (caller) => ({ path: `/v1/principals/${callerIds[caller]}/delegations` }),
      },
    ],
    [
      'DELETE /v1/delegations/{id}',
      {
        allowed: ADMIN,
        success: 204,
        variant: 'another',
        call: async () => {
          const lender = await spare(['service_owner']);
          return { path: `/v1/delegations/${await delegationBy(lender.client, lender.id)}` };
        },
      },
    ],
    [
      'DELETE /v1/delegations/{id}',
      {
        allowed: EVERYONE,
        success: 204,
        variant: 'delegator',
        call: async (caller) => {
          const self = await delegator(caller);
          return { path: `/v1/delegations/${await delegationBy(self.client, self.id)}`, as: self.as };
        },
      },
    ],
    [
      'GET /v1/webhooks/{id}/deliveries',
      read(() => `/v1/webhooks/${shared.webhookId}/deliveries`, PMO_OR_SMO),
    ],
  ] as [string, Omit<Route, 'method' | 'path'>][]
).map(([key, route]) => {
  const [method, routePath] = key.split(' ');
  return { ...route, method: method as Route['method'], path: routePath };
});

const keyOf = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
const labelOf = (route: Route): string => `${keyOf(route)}${route.variant ? ` (${route.variant})` : ''}`;

/** Routes being added (token revocation and rotation): their rows wait until they are served; no other row may. */
const UPCOMING = new Set([REVOCATION, 'GET /v1/principals/{id}', 'POST /v1/principals/{id}/token']);

const revocationServed = (): boolean => served.has(REVOCATION);

/** A GET whose answer is a stream: the status and headers, and the body of a problem; the stream is closed. */
async function streamHead(client: ApiClient, path: string): Promise<ApiResponse> {
  const controller = new AbortController();
  const response = await fetch(`${client.baseUrl}${path}`, {
    headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
    signal: controller.signal,
  });
  const body: unknown = response.status >= 400 ? await response.json() : undefined;
  controller.abort();
  return { status: response.status, headers: response.headers, body };
}

function expected(route: Route, caller: Caller): { status: number; code?: string } {
  if (route.allowed === 'public') return { status: route.success };
  if (UNAUTHENTICATED.includes(caller)) return { status: 401, code: 'AUTH.UNAUTHENTICATED' };
  if (route.allowed.includes(caller)) return { status: route.success };
  return { status: 403, code: route.refusal ?? 'AUTH.FORBIDDEN' };
}

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({
    env: { DATABASE_URL: scratch.url, BATON_QUEUE_PREFIX: unique('baton_matrix') },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const docs = await admin.get('/docs-json');
  served = new Set(
    Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([at, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${at}`),
    ),
  );
  const [pmo, smo, approver, auditor, fxPmo, fxSmo, fxOwner, doomed] = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('auditor'), ['auditor']),
    createPrincipal(admin, unique('fx-pmo'), ['pmo']),
    createPrincipal(admin, unique('fx-smo'), ['smo']),
    createPrincipal(admin, unique('fx-owner'), ['service_owner']),
    // The revoked caller held admin: revocation must win over the strongest role.
    createPrincipal(admin, unique('revoked'), ['admin']),
  ]);
  Object.assign(callerIds, {
    none: fxOwner.id,
    bad: fxOwner.id,
    revoked: doomed.id,
    admin: ADMIN_PRINCIPAL_ID,
    pmo: pmo.id,
    smo: smo.id,
    approver: approver.id,
    auditor: auditor.id,
  });
  Object.assign(callers, {
    none: admin.as(null),
    bad: admin.as(`bat_${randomBytes(24).toString('hex')}`),
    revoked: doomed.client,
    admin,
    pmo: pmo.client,
    smo: smo.client,
    approver: approver.client,
    auditor: auditor.client,
  });
  fx = { pmo: fxPmo.client, smo: fxSmo.client, owner: fxOwner.client };
  if (revocationServed()) {
    const revoked = await admin.request('DELETE', `/v1/principals/${doomed.id}`);
    if (revoked.status >= 300) throw new Error(`revoke: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  }

  ok(
    await fx.smo.post('/v1/checklists', {
      name: unique('matrix'),
      changeTypes: ALL_CHANGE_TYPES,
      tiers: [TIER, REVIEW_TIER],
      criteria: FIXTURE_CRITERIA,
    }),
    201,
    'template',
  );
  ok(
    await fx.smo.post('/v1/checklists', {
      name: unique('matrix-probed'),
      changeTypes: ALL_CHANGE_TYPES,
      tiers: [PROBE_TIER],
      criteria: [
        {
          key: PROBED,
          title: 'Health check answers',
          practice: 'monitoring and event management',
          mandatory: false,
          kind: 'automated',
          probeUrl: 'http://127.0.0.1:9/matrix-probe',
        },
      ],
    }),
    201,
    'probed template',
  );
  ok(
    await fx.smo.request('PUT', `/v1/policies/${REVIEW_TIER}`, {
      ...DEFAULT_POLICIES[4],
      elsDuration: 'PT0.5S',
    }),
    200,
    'review tier policy',
  );
  const [service, reviewService, project, checklist, webhook, probeService] = await Promise.all([
    fx.smo.post('/v1/services', { name: unique('service'), tier: TIER }),
    fx.smo.post('/v1/services', { name: unique('review-service'), tier: REVIEW_TIER }),
    fx.pmo.post('/v1/projects', { key: unique('PRJ'), name: 'Matrix', methodology: 'prince2' }),
    fx.smo.post('/v1/checklists', CHECKLIST()),
    fx.smo.post('/v1/webhooks', WEBHOOK()),
    fx.smo.post('/v1/services', { name: unique('probed-service'), tier: PROBE_TIER }),
  ]);
  shared = {
    serviceId: ok(service, 201, 'service').id,
    reviewServiceId: ok(reviewService, 201, 'review service').id,
    projectId: ok(project, 201, 'project').id,
    checklistId: ok(checklist, 201, 'checklist').id,
    webhookId: ok(webhook, 201, 'webhook').id,
    deliverableId: '',
    otherId: fxOwner.id,
    probeServiceId: ok(probeService, 201, 'probed service').id,
  };
  shared.deliverableId = await deliverableIn('draft');
});

afterAll(async () => {
  const active = CALLERS.filter((caller) => caller !== 'revoked' || revocationServed());
  const width = Math.max(...ROUTES.map((route) => labelOf(route).length));
  const lines = [
    `${'route'.padEnd(width)} ${active.map((caller) => caller.padStart(9)).join('')}`,
    ...ROUTES.filter((route) => seen.has(labelOf(route))).map(
      (route) =>
        `${labelOf(route).padEnd(width)} ${active
          .map((caller) => (seen.get(labelOf(route))?.get(caller) ?? '-').padStart(9))
          .join('')}`,
    ),
  ];
  const cells = [...seen.values()].reduce((sum, row) => sum + row.size, 0);
  console.info(`Authorization matrix (* = not the expected status): ${cells} cells\n${lines.join('\n')}`);
  await baton?.stop();
  await scratch?.drop();
});

describe('the route table', () => {
  it('has a row for every operation in /docs-json, and no row for a route that is not served', () => {
    const rows = new Set(ROUTES.map(keyOf));
    expect([...served].filter((operation) => !rows.has(operation)).sort()).toEqual([]);
    expect([...rows].filter((row) => !served.has(row) && !UPCOMING.has(row)).sort()).toEqual([]);
  });
});

describe('every route x every caller', () => {
  it.each(ROUTES.map((route) => [labelOf(route), route] as const))('%s', async (label, route) => {
    if (!served.has(keyOf(route))) {
      console.info(`${label} is not served yet: its row waits`);
      return;
    }
    const active = CALLERS.filter((caller) => caller !== 'revoked' || revocationServed());
    const results = await Promise.all(
      active.map(async (caller) => {
        const call = await route.call(caller);
        const before = route.deliverable
          ? (await admin.get(call.path.replace(/^(\/v1\/deliverables\/[^/]+).*$/, '$1'))).body
          : undefined;
        const client = call.as ?? callers[caller];
        const response = route.stream
          ? await streamHead(client, call.path)
          : await client.request(route.method, call.path, call.body);
        const after =
          route.deliverable && response.status >= 400
            ? (await admin.get(call.path.replace(/^(\/v1\/deliverables\/[^/]+).*$/, '$1'))).body
            : undefined;
        return { caller, response, before, after };
      }),
    );
    const row = new Map<Caller, string>();
    seen.set(label, row);
    for (const { caller, response, before, after } of results) {
      const want = expected(route, caller);
      row.set(caller, `${response.status}${response.status === want.status ? '' : '*'}`);
      const cell = `${label} as ${caller}`;
      const problem = response.status >= 400;
      // One object per cell, so a failure names the cell and shows the whole answer.
      expect({
        cell,
        status: response.status,
        ...(problem
          ? {
              contentType: response.headers.get('content-type'),
              code: response.body?.code,
              body: response.body,
            }
          : {}),
      }).toMatchObject({
        cell,
        status: want.status,
        ...(want.status >= 400
          ? {
              contentType: expect.stringMatching(/^application\/problem\+json/),
              ...(want.code ? { code: want.code } : {}),
              body: {
                status: want.status,
                type: expect.any(String),
                title: expect.any(String),
                detail: expect.any(String),
              },
            }
          : {}),
      });
      if (after !== undefined) {
        // A refused command leaves the deliverable as it was.
        expect({ cell, version: after.version, status: after.status }).toEqual({
          cell,
          version: before.version,
          status: before.status,
        });
      }
    }
  });
});
