import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyChain } from '@baton/commands';
import { STATUSES, type HandoverCommand, type Policy } from '@baton/handover';
import {
  ACTORS,
  FIXTURE_POLICY,
  PATH_CRITERIA,
  PATH_VALID_FOR,
  handoverPaths,
  type HandoverPath,
  type HandoverPathStep,
} from '@baton/handover/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { hasRedis, startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createDeliverable,
  createPrincipal,
  createProject,
  createService,
  unique,
} from '../support/fixtures.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

/**
 * Model-based, end to end: every shortest path of the handover machine (handoverPaths(), the same paths the
 * unit test replays through applyCommand) replayed over HTTP against the built app on real PostgreSQL and
 * the queues, each path on a deliverable of its own, asserting the status after every step and the audit
 * chain at the end.
 *
 * Timers. `timer_due` (the end of an ELS period) has no HTTP call: the durable ELS timer fires by itself after
 * `elsDuration`.
 * Paths that take a timer step run on a service of the FAST tier (elsDuration PT4S; the steps after a timer
 * must stay within one period even with test files running side by side); the step polls GET /v1/deliverables/:id until the version moves on, then checks status and `els`. Every other
 * path runs on the SLOW tier (elsDuration PT1H): the model says no timer fires on those paths, so none may
 * fire there (with PT4S, a path ending in early_life_support would otherwise gain a timer event before its
 * history is read). On the fast tier, whatever a path does between two timer steps (record or resolve an
 * incident, decide) is one HTTP call, sent as soon as the previous step is seen: well inside the 4 s.
 *
 * The other timer, `attestation_expiry`, fires PATH_VALID_FOR (5 s) after the runbook was attested. Paths that
 * take it run on the EXPIRY tier, whose checklist gives the runbook that validFor; between the attestation and
 * the expiry those paths send two to four calls. Every other tier's checklist gives it a day: the model's
 * rules are the same (the runbook expires), but no expiry comes due while a test runs.
 */

const FAST_TIER = 1;
const SLOW_TIER = 2;
const EXPIRY_TIER = 3;
const CONCURRENCY = 16;
const TIMER_POLL_MS = 200;
const TIMER_TIMEOUT_MS = 15_000;
const ELS_MS = 4_000;

const basePolicy: Omit<Policy, 'elsDuration' | 'elsFollowUpEvery'> = {
  acceptance: FIXTURE_POLICY.acceptance,
  elsExit: FIXTURE_POLICY.elsExit,
  elsExitMaxOpenIncidents: FIXTURE_POLICY.elsExitMaxOpenIncidents,
  readinessReminders: [],
};
const POLICIES: Record<number, Policy> = {
  [FAST_TIER]: {
    ...basePolicy,
    elsDuration: `PT${ELS_MS / 1000}S`,
    elsFollowUpEvery: FIXTURE_POLICY.elsFollowUpEvery,
  },
  [SLOW_TIER]: { ...basePolicy, elsDuration: 'PT1H', elsFollowUpEvery: 'PT1H' },
  [EXPIRY_TIER]: { ...basePolicy, elsDuration: 'PT1H', elsFollowUpEvery: 'PT1H' },
};

type FixtureActor = keyof typeof ACTORS;

interface Principals {
  clients: Record<Exclude<FixtureActor, 'system'>, ApiClient>;
  /** Fixture principalId (null for the system) -> the real principal's id. */
  ids: Map<string | null, string | null>;
}

interface HttpCall {
  method: 'POST' | 'PATCH';
  path: string;
  body?: unknown;
}

/**
 * The HTTP call of one command, or null for the timer event (no call: the worker fires it). `idOf` turns a
 * fixture principal id (an action's owner) into the real one.
 */
function httpCallOf(
  id: string,
  command: HandoverCommand,
  idOf: (fixtureId: string) => string | null | undefined,
): HttpCall | null {
  const base = `/v1/deliverables/${id}`;
  switch (command.type) {
    case 'edit':
      return { method: 'PATCH', path: base, body: command.changes };
    case 'submit':
    case 'resubmit':
      return { method: 'POST', path: `${base}/${command.type}` };
    case 'attest':
      return {
        method: 'POST',
        path: `${base}/readiness/${command.key}/attest`,
        body: { evidence: command.evidence, ...(command.note === undefined ? {} : { note: command.note }) },
      };
    case 'waive':
      return {
        method: 'POST',
        path: `${base}/readiness/${command.key}/waive`,
        body: { reason: command.reason },
      };
    case 'result':
      return {
        method: 'POST',
        path: `${base}/readiness/${command.key}/result`,
        body: { passed: command.passed, ...(command.detail === undefined ? {} : { detail: command.detail }) },
      };
    case 'probe':
      return { method: 'POST', path: `${base}/readiness/${command.key}/probe` };
    case 'decide':
      return {
        method: 'POST',
        path: `${base}/decisions`,
        body: {
          gate: command.gate,
          role: command.role,
          decision: command.decision,
          ...(command.comment === undefined ? {} : { comment: command.comment }),
          // The delegation itself is the server's to find (made in beforeAll); the caller names the delegator.
          ...(command.onBehalfOf === undefined ? {} : { onBehalfOf: idOf(command.onBehalfOf) }),
        },
      };
    case 'schedule': {
      // The model's window is fixed in 2030; over HTTP the window starts a week from now, as long as the model's.
      const length = Date.parse(command.windowEnd) - Date.parse(command.windowStart);
      const start = Date.now() + 7 * 86_400_000;
      return {
        method: 'POST',
        path: `${base}/go-live/schedule`,
        body: {
          windowStart: new Date(start).toISOString(),
          windowEnd: new Date(start + length).toISOString(),
        },
      };
    }
    case 'confirm':
      return { method: 'POST', path: `${base}/go-live/confirm` };
    case 'rollback':
      return { method: 'POST', path: `${base}/rollback`, body: { reason: command.reason } };
    case 'record_incident':
      return {
        method: 'POST',
        path: `${base}/incidents`,
        body: { reference: command.reference, priority: command.priority, summary: command.summary },
      };
    case 'resolve_incident':
      return { method: 'POST', path: `${base}/incidents/${command.reference}/resolve` };
    case 'create_action':
      // The model gives no owner or due date: its owners are fixture ids, and its time is not the server's.
      return { method: 'POST', path: `${base}/actions`, body: { title: command.title } };
    case 'assign_action':
      return {
        method: 'POST',
        path: `${base}/actions/${command.key}/assign`,
        body: { ownerId: idOf(command.ownerId) },
      };
    case 'close_action':
      return {
        method: 'POST',
        path: `${base}/actions/${command.key}/close`,
        body: command.note === undefined ? {} : { note: command.note },
      };
    case 'record_lesson':
      return { method: 'POST', path: `${base}/lessons`, body: { text: command.text } };
    case 'hold':
      return { method: 'POST', path: `${base}/hold`, body: { reason: command.reason } };
    case 'resume':
      return { method: 'POST', path: `${base}/resume` };
    case 'cancel':
      return { method: 'POST', path: `${base}/cancel`, body: { reason: command.reason } };
    case 'timer_due':
      return null;
    case 'freeze_lifted':
      throw new Error('freeze_lifted is not replayed here (DELETE /v1/freeze-windows/:id raises it)');
    case 'freeze_conflict':
      // Raised by laying a freeze over the window (POST /v1/freeze-windows), not by a call on the deliverable;
      // test/e2e/freeze-windows.spec.ts drives it. The model's representative commands do not send it.
      throw new Error('freeze_conflict is not replayed here');
  }
}

const actorName = (step: HandoverPathStep): FixtureActor => {
  const entry = Object.entries(ACTORS).find(([, actor]) => actor.principalId === step.actor.principalId);
  if (!entry) throw new Error(`No fixture actor has principalId ${step.actor.principalId}`);
  return entry[0] as FixtureActor;
};

/** One step as the failure messages name it: `decide(acceptance approve by approverA)`. */
function describeStep(step: HandoverPathStep): string {
  const { command } = step;
  const by = actorName(step);
  if (command.type === 'attest' || command.type === 'waive')
    return `${command.type}(${command.key} by ${by})`;
  if (command.type === 'result')
    return `result(${command.key} ${command.passed ? 'passed' : 'failed'} by ${by})`;
  if (command.type === 'decide')
    return `decide(${command.gate} ${command.decision} as ${command.role} by ${by})`;
  if (command.type === 'record_incident') {
    return `record_incident(${command.reference} ${command.priority} by ${by})`;
  }
  return `${command.type}(by ${by})`;
}

const describePath = (path: HandoverPath, index: number): string =>
  `#${index} [${path.steps.map((step) => step.command.type).join(', ')}] -> ${path.status}`;

const timerKind = (step: HandoverPathStep): string | null =>
  step.command.type === 'timer_due' ? step.command.timer.kind : null;

const usesTimer = (path: HandoverPath, kind = 'els_period_end'): boolean =>
  path.steps.some((step) => timerKind(step) === kind);

/** What the history calls a step: its command, or a timer by what it did. */
const auditActionOf = (step: HandoverPathStep): string => {
  const kind = timerKind(step);
  if (kind === null) return step.command.type;
  return kind === 'attestation_expiry' ? 'attestation_expired' : 'els_period_elapsed';
};

const problem = (response: ApiResponse): string =>
  `HTTP ${response.status}: ${typeof response.body === 'string' ? response.body : JSON.stringify(response.body, null, 2)}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items`, at most `size` at a time. */
async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

describe('model-based end to end: every shortest path of the handover machine over HTTP', () => {
  const paths = handoverPaths();
  const queuePrefix = `${process.env.BATON_TEST_QUEUE_PREFIX ?? 'baton_test'}_paths`;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let principals: Principals;
  let projectId: string;
  const serviceIds: Record<number, string> = {};
  /** Per timer step: how late after elsDuration it fired, and how long until this test saw it (ms). */
  const timerDelays: number[] = [];
  const timerSeenAfter: number[] = [];
  /** Per attestation_expiry step: how late after the pass's expiresAt the criterion expired (ms). */
  const expiryDelays: number[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase();
    // A queue prefix of its own too: the other test files' workers share the run's Redis and prefix but
    // not this database, and a worker that takes a timer job it cannot find drops it.
    baton = await startBaton({ env: { DATABASE_URL: scratch.url, BATON_QUEUE_PREFIX: queuePrefix } });
    const admin = new ApiClient(baton.url, baton.adminToken);
    const made = await Promise.all(
      (Object.keys(ACTORS) as FixtureActor[])
        .filter((name) => name !== 'system')
        .map(
          async (name) =>
            [name, await createPrincipal(admin, unique(name), [...ACTORS[name].roles])] as const,
        ),
    );
    const clients = Object.fromEntries(
      made.map(([name, made]) => [name, made.client]),
    ) as Principals['clients'];
    const ids = new Map<string | null, string | null>([[null, null]]);
    for (const [name, { id }] of made) ids.set(ACTORS[name].principalId, id);
    principals = { clients, ids };
    // approverA lends service_owner to the delegate for the run: the model's delegated decisions use it.
    const lent = await clients.approverA.post(
      `/v1/principals/${ids.get(ACTORS.approverA.principalId)}/delegations`,
      {
        delegateId: ids.get(ACTORS.delegate.principalId),
        roles: ['service_owner'],
        from: new Date().toISOString(),
        until: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'model paths: approverA out of office',
      },
    );
    if (lent.status !== 201) throw new Error(`delegation: ${problem(lent)}`);

    for (const tier of [FAST_TIER, SLOW_TIER, EXPIRY_TIER]) {
      const put = await clients.smo.request('PUT', `/v1/policies/${tier}`, POLICIES[tier]);
      if (put.status !== 200) throw new Error(`policy ${tier}: ${problem(put)}`);
      expect(put.body).toMatchObject({ tier, ...POLICIES[tier], source: 'custom' });
    }
    // No probeUrl: the paths post the automated results themselves (result steps), and a probe would
    // add commands the model does not take.
    const checklists = await Promise.all([
      clients.smo.post('/v1/checklists', {
        name: unique('model-paths'),
        changeTypes: ['new_service'],
        tiers: [FAST_TIER, SLOW_TIER],
        criteria: PATH_CRITERIA.map((criterion) =>
          criterion.validFor === undefined ? criterion : { ...criterion, validFor: 'P1D' },
        ),
      }),
      clients.smo.post('/v1/checklists', {
        name: unique('model-paths-expiring'),
        changeTypes: ['new_service'],
        tiers: [EXPIRY_TIER],
        criteria: PATH_CRITERIA,
      }),
    ]);
    for (const checklist of checklists) {
      if (checklist.status !== 201) throw new Error(`checklist: ${problem(checklist)}`);
    }
    projectId = await createProject(clients.pmo);
    serviceIds[FAST_TIER] = await createService(clients.smo, FAST_TIER);
    serviceIds[SLOW_TIER] = await createService(clients.smo, SLOW_TIER);
    serviceIds[EXPIRY_TIER] = await createService(clients.smo, EXPIRY_TIER);
  }, 60_000);

  afterAll(async () => {
    await baton?.stop();
    if (scratch) {
      // Timer lateness over every timer this file fired: how long after its due time each was sent.
      const sql = new pg.Client({ connectionString: scratch.url });
      await sql.connect();
      const { rows } = await sql.query<{ n: string; p50: number; p99: number; max: number }>(
        `SELECT count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - due_at)) * 1000 AS p50,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - due_at)) * 1000 AS p99,
           max(extract(epoch FROM sent_at - due_at)) * 1000 AS max
         FROM timers WHERE status = 'sent'`,
      );
      await sql.end();
      const row = rows[0];
      console.info(
        `timer lateness over ${row.n} timers: median ${Math.round(row.p50)} ms, p99 ${Math.round(row.p99)} ms, worst ${Math.round(row.max)} ms`,
      );
    }
    await scratch?.drop();
    if (hasRedis()) {
      const redis = new Redis(process.env.BATON_TEST_REDIS_URL!, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
      });
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    }
  });

  /** Waits for the worker to fire the timer: the version moves on by one, with no call from us. */
  async function awaitTimer(id: string, before: any, label: string): Promise<any> {
    const deadline = Date.now() + TIMER_TIMEOUT_MS;
    for (;;) {
      const response = await principals.clients.smo.get(`/v1/deliverables/${id}`);
      if (response.status !== 200) throw new Error(`${label}: GET ${id} answered ${problem(response)}`);
      if (response.body.version > before.version) return response.body;
      if (Date.now() > deadline) {
        throw new Error(
          `${label}: the timer did not fire within ${TIMER_TIMEOUT_MS} ms; last seen status ` +
            `${response.body.status}, version ${response.body.version}, els ${JSON.stringify(response.body.els)}`,
        );
      }
      await sleep(TIMER_POLL_MS);
    }
  }

  /** Replays one path on a new deliverable; throws, naming the path and the step, at the first difference. */
  async function replay(path: HandoverPath, index: number): Promise<void> {
    const name = describePath(path, index);
    const tier = usesTimer(path)
      ? FAST_TIER
      : usesTimer(path, 'attestation_expiry')
        ? EXPIRY_TIER
        : SLOW_TIER;
    const { clients, ids } = principals;
    const created = await createDeliverable(clients.pmo, { projectId, serviceId: serviceIds[tier] });
    const id: string = created.id;
    const fetched = await clients.pmo.get(`/v1/deliverables/${id}`);
    expect({ path: name, status: fetched.status }).toEqual({ path: name, status: 200 });
    expect({
      path: name,
      criteria: fetched.body.readiness.criteria.map(({ key, mandatory, kind }: any) => ({
        key,
        mandatory,
        kind,
      })),
    }).toEqual({
      path: name,
      criteria: PATH_CRITERIA.map(({ key, mandatory, kind }) => ({ key, mandatory, kind })),
    });

    let current = fetched.body;
    for (const [index, step] of path.steps.entries()) {
      const label = `path ${name}, step ${index + 1} ${describeStep(step)}`;
      const call = httpCallOf(id, step.command, (fixtureId) => ids.get(fixtureId));
      let next: any;
      if (call === null) {
        next = await awaitTimer(id, current, label);
        const firedAt = Date.parse(next.updatedAt);
        if (timerKind(step) === 'attestation_expiry') {
          // The runbook's pass lapsed: pending again, when it was due, whatever status the path is in.
          const before = current.readiness.criteria.find((c: { key: string }) => c.key === 'runbook');
          const after = next.readiness.criteria.find((c: { key: string }) => c.key === 'runbook');
          expiryDelays.push(Date.parse(after.expiredAt) - Date.parse(before.expiresAt));
          expect({ step: label, status: next.status, runbook: after.status }).toEqual({
            step: label,
            status: step.expectedStatus,
            runbook: 'pending',
          });
        } else {
          // The period's timer started with the command before (confirm, an extension, a decision).
          timerDelays.push(firedAt - Date.parse(current.updatedAt) - ELS_MS);
          timerSeenAfter.push(Date.now() - firedAt);
          const els =
            step.expectedStatus === 'early_life_support'
              ? { ...current.els, period: current.els.period + 1, extensions: current.els.extensions + 1 }
              : { ...current.els, exitRound: current.els.exitRound + 1 };
          expect({ step: label, status: next.status, els: next.els }).toEqual({
            step: label,
            status: step.expectedStatus,
            els,
          });
        }
      } else {
        const client = clients[actorName(step) as Exclude<FixtureActor, 'system'>];
        let response = await client.request(call.method, call.path, call.body);
        // A follow-on action created answers 201 with the action: the deliverable is read after it.
        if (step.command.type === 'create_action' && response.status === 201) {
          response = await client.get(`/v1/deliverables/${id}`);
        }
        if (response.status !== 200) {
          throw new Error(
            `${label}: ${call.method} ${call.path} ${JSON.stringify(call.body ?? null)} in status ` +
              `${current.status} answered ${problem(response)}`,
          );
        }
        next = response.body;
        expect({ step: label, status: next.status }).toEqual({ step: label, status: step.expectedStatus });
      }
      expect({ step: label, version: next.version }).toEqual({ step: label, version: current.version + 1 });
      current = next;
    }

    const history = await clients.smo.get(`/v1/deliverables/${id}/history`);
    expect({ path: name, status: history.status }).toEqual({ path: name, status: 200 });
    const events = history.body.items;
    expect({ path: name, chain: verifyChain(events) }).toEqual({ path: name, chain: null });
    expect({
      path: name,
      events: events.map((event: any) => [event.action, event.principalId, event.toStatus]),
    }).toEqual({
      path: name,
      events: [
        ['create', ids.get(ACTORS.pmo.principalId), 'draft'],
        ...path.steps.map((step) => [
          // The history names a timer by what it did.
          auditActionOf(step),
          ids.get(step.actor.principalId),
          step.expectedStatus,
        ]),
      ],
    });
  }

  it('reaches every status over HTTP, in the expected status after every step, with an intact audit chain', async () => {
    expect(new Set(paths.map((path) => path.status))).toEqual(new Set(STATUSES));
    const started = Date.now();
    const steps = paths.reduce((sum, path) => sum + path.steps.length, 0);
    const timerSteps = paths.reduce(
      (sum, path) => sum + path.steps.filter((step) => step.command.type === 'timer_due').length,
      0,
    );
    // Longest first (timer paths wait for the clock), so the pool does not end on one slow path.
    const weight = (path: HandoverPath): number =>
      path.steps.filter((step) => step.command.type === 'timer_due').length * 100 + path.steps.length;
    const expiring = paths.filter((path) => usesTimer(path, 'attestation_expiry')).length;
    const ordered = paths
      .map((path, index) => ({ path, index }))
      .sort((a, b) => weight(b.path) - weight(a.path));
    const failures: string[] = [];
    await inPool(ordered, CONCURRENCY, async ({ path, index }) => {
      try {
        await replay(path, index);
      } catch (error) {
        failures.push((error as Error).message);
      }
    });
    const stats = (values: number[]): string =>
      values.length === 0
        ? 'none'
        : `mean ${Math.round(values.reduce((sum, value) => sum + value, 0) / values.length)} ms, ` +
          `max ${Math.max(...values)} ms`;
    console.info(
      `model paths over HTTP: ${paths.length} paths, ${steps} steps (${timerSteps} timer firings), ` +
        `${CONCURRENCY} at a time, in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${failures.length} failed\nELS timers fired after elsDuration + ${stats(timerDelays)}; ` +
        `seen by the test ${stats(timerSeenAfter)} after firing\n${expiring} paths let the runbook expire ` +
        `(validFor ${PATH_VALID_FOR}): expired ${stats(expiryDelays)} after expiresAt`,
    );
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${paths.length} paths went another way than the model` +
          `${failures.length > 20 ? ' (the first 20)' : ''}:\n\n${failures.slice(0, 20).join('\n\n')}`,
      );
    }
  }, 170_000);
});
