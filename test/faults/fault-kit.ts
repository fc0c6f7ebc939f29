// What the fault tests share: a worker process to kill, a slow webhook receiver, timed requests, the
// scene (policies in seconds, principals, a '*' subscription) and the checks that nothing was lost or doubled.
import { expect } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Redis } from 'ioredis';
import pg from 'pg';
import { verifyChain } from '@baton/commands';
import { type ApiClient } from '../support/http-client.js';
import { ok, type SceneOptions } from '../support/scene.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const QUEUES = ['notifications', 'probes', 'timers', 'webhooks'] as const;

/** A scene where only readiness reminders come due (6 s and 10 s before go-live) while a fault lasts. */
export const REMINDERS_ONLY: SceneOptions = {
  readinessReminders: ['PT10S', 'PT6S'],
  elsDuration: 'P1D',
  elsFollowUpEvery: 'P1D',
  elsExitSla: 'PT1H',
};

export const faultPrefix = (): string => `baton_fault_${randomBytes(4).toString('hex')}`;

/** Settings every fault test's Baton gets: loopback webhooks allowed, no rate limit in the way of the load. */
export function batonEnv(extra: {
  DATABASE_URL: string;
  REDIS_URL: string;
  BATON_QUEUE_PREFIX: string;
  [name: string]: string;
}): Record<string, string> {
  return {
    BATON_OUTBOUND_DENY: '169.254.0.0/16',
    BATON_RATE_LIMIT: '100000',
    BATON_RATE_BURST: '100000',
    BATON_RELAY_INTERVAL_MS: '500',
    BATON_WEBHOOK_BACKOFF_MS: '300',
    BATON_WEBHOOK_MAX_ATTEMPTS: '12',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------
// A worker process (test/support's startBaton waits for "listening on", which the worker never prints).

export interface WorkerProcess {
  child: ChildProcess;
  readonly pid: number;
  /** Everything this process printed. */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorker(env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-fault-worker-'));
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/apps/worker/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BATON_DATA_DIR: dataDir,
      BATON_LOG_LEVEL: 'warn',
      BATON_LOG_FORMAT: 'pretty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => void rm(dataDir, { recursive: true, force: true }).finally(resolve)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in time:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Baton worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it ran:\n${output}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    output: () => output,
    kill: async (signal: NodeJS.Signals = 'SIGINT') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// A webhook receiver that answers slowly, counts what is in flight, and keeps every event id it was sent.

export interface ReceivedEvent {
  eventId: string;
  type: string;
  deliverableId: string;
  data: any;
  at: number;
}

export class SlowReceiver {
  readonly received: ReceivedEvent[] = [];
  inFlight = 0;
  private server: Server | null = null;
  private readonly attempts = new Map<string, number>();
  /** How long to wait before answering, and with what status (given the attempt number for this event id). */
  delayMs: () => number = () => 0;
  status: (attempt: number) => number = () => 200;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        const eventId = String(request.headers['x-baton-event-id'] ?? json?.id ?? '');
        this.received.push({
          eventId,
          type: json?.type ?? '',
          deliverableId: json?.deliverableId ?? '',
          data: json?.data ?? null,
          at: Date.now(),
        });
        const attempt = (this.attempts.get(eventId) ?? 0) + 1;
        this.attempts.set(eventId, attempt);
        this.inFlight++;
        setTimeout(() => {
          this.inFlight--;
          if (!response.destroyed) response.writeHead(this.status(attempt)).end('ok');
        }, this.delayMs()).unref();
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Distinct event ids received. */
  ids(): Set<string> {
    return new Set(this.received.map((event) => event.eventId));
  }

  /** Event ids received more than once, with how many times. */
  duplicates(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const event of this.received) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
    return new Map([...counts].filter(([, count]) => count > 1));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Timed requests for load under faults: every answer recorded with its status, Retry-After and duration.

export interface Sample {
  label: string;
  start: number;
  end: number;
  status: number;
  retryAfter: string | null;
  error: string | null;
  body: any;
}

export async function timed(
  client: ApiClient,
  label: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<Sample> {
  const start = Date.now();
  try {
    const response = await fetch(`${client.baseUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return {
      label,
      start,
      end: Date.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      error: null,
      body: parsed,
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      label,
      start,
      end: Date.now(),
      status: 0,
      retryAfter: null,
      error: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message,
      body: null,
    };
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

// The scene (policies in seconds, principals, a '*' subscription) is test/support's, shared with the e2e tests.
export {
  elsFlow,
  ok,
  readinessFlow,
  type Scene,
  type SceneOptions,
  SECRET,
  setUpScene,
} from '../support/scene.js';

// ---------------------------------------------------------------------------------------------------------
// The database and the queues, read directly.

export async function withDb<T>(url: string, read: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await read(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface DbState {
  unpublished: number;
  /** Scheduled timers more than a second overdue, on deliverables not on hold (orphans aside). */
  overdueTimers: number;
  /** Scheduled timers due within the next five minutes (a quiet run has none left; orphans aside). */
  soonTimers: number;
  /** Deliveries still to make (of events other than orphans'). */
  pendingDeliveries: number;
  deadDeliveries: number;
  /** Event ids (deliver-event outbox rows): the events Baton decided to send, orphans' aside. */
  eventIds: string[];
  /**
   * ELS follow-ups that outlived early life support: not cancelled, due after the deliverable left ELS
   * (a repeating timer that escaped the cancellation and keeps firing), per deliverable.
   */
  orphans: { deliverableId: string; status: string; leftEls: string; sent: number; scheduled: number }[];
}

/** When each deliverable first left early life support (other than for a hold). */
const LEFT_ELS = `left_els AS (
  SELECT deliverable_id, min(at) AS at FROM audit_events
  WHERE from_status = 'early_life_support' AND to_status NOT IN ('early_life_support', 'on_hold')
  GROUP BY deliverable_id)`;
const ORPHAN_TIMER = `(t.kind = 'els_follow_up' AND t.status <> 'cancelled'
  AND t.due_at > (SELECT at FROM left_els l WHERE l.deliverable_id = t.deliverable_id))`;
const ORPHAN_EVENT = `(o.payload->>'type' = 'els.follow_up'
  AND (o.payload->'data'->>'dueAt')::timestamptz > (SELECT at FROM left_els l WHERE l.deliverable_id = o.deliverable_id))`;

export function readDbState(url: string): Promise<DbState> {
  return withDb(url, async (client) => {
    const count = async (sql: string): Promise<number> => (await client.query(sql)).rows[0].n as number;
    const unpublished = await count(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    const overdueTimers = await count(
      `WITH ${LEFT_ELS} SELECT count(*)::int AS n FROM timers t JOIN deliverables d ON d.id = t.deliverable_id
       WHERE t.status = 'scheduled' AND t.due_at < now() - interval '1 second' AND d.status <> 'on_hold'
         AND NOT coalesce(${ORPHAN_TIMER}, false)`,
    );
    const soonTimers = await count(
      `WITH ${LEFT_ELS} SELECT count(*)::int AS n FROM timers t
       WHERE t.status = 'scheduled' AND t.due_at < now() + interval '5 minutes' AND NOT coalesce(${ORPHAN_TIMER}, false)`,
    );
    const deliveries = await client.query(
      `WITH ${LEFT_ELS}, orphan_events AS (
         SELECT o.id FROM outbox o WHERE o.job_name = 'deliver-event' AND coalesce(${ORPHAN_EVENT}, false))
       SELECT status, count(*)::int AS n FROM webhook_deliveries
       WHERE event_id NOT IN (SELECT id FROM orphan_events) GROUP BY status`,
    );
    const events = await client.query(
      `WITH ${LEFT_ELS} SELECT o.id FROM outbox o
       WHERE o.job_name = 'deliver-event' AND NOT coalesce(${ORPHAN_EVENT}, false)`,
    );
    const orphans = await client.query(
      `WITH ${LEFT_ELS} SELECT t.deliverable_id AS "deliverableId", d.status,
         (SELECT at FROM left_els l WHERE l.deliverable_id = t.deliverable_id) AS "leftEls",
         count(*) FILTER (WHERE t.status = 'sent')::int AS sent,
         count(*) FILTER (WHERE t.status = 'scheduled')::int AS scheduled
       FROM timers t JOIN deliverables d ON d.id = t.deliverable_id
       WHERE ${ORPHAN_TIMER} GROUP BY t.deliverable_id, d.status`,
    );
    const byStatus = Object.fromEntries(deliveries.rows.map((row) => [row.status, row.n]));
    return {
      unpublished,
      overdueTimers,
      soonTimers,
      pendingDeliveries: byStatus.pending ?? 0,
      deadDeliveries: byStatus.dead ?? 0,
      eventIds: events.rows.map((row) => row.id as string),
      orphans: orphans.rows.map((row) => ({ ...row, leftEls: new Date(row.leftEls).toISOString() })),
    };
  });
}

export function countUnpublished(url: string): Promise<number> {
  return withDb(url, async (client) => {
    const result = await client.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    return result.rows[0].n as number;
  });
}

/** Jobs per queue and state, straight from BullMQ's keys. */
export async function jobCounts(
  redis: Redis,
  prefix: string,
): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const queue of QUEUES) {
    const key = (state: string) => `${prefix}:${queue}:${state}`;
    const [wait, active, delayed, prioritized, failed] = await Promise.all([
      redis.llen(key('wait')),
      redis.llen(key('active')),
      redis.zcard(key('delayed')),
      redis.zcard(key('prioritized')),
      redis.zcard(key('failed')),
    ]);
    counts[queue] = { wait, active, delayed, prioritized, failed };
  }
  return counts;
}

/** The jobs in BullMQ's active lists, as queue/id. */
export async function activeJobIds(redis: Redis, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (const queue of QUEUES) {
    for (const id of await redis.lrange(`${prefix}:${queue}:active`, 0, -1)) ids.push(`${queue}/${id}`);
  }
  return ids;
}

/** The reasons of the jobs BullMQ gave up on, by queue. */
export async function failedJobs(
  redis: Redis,
  prefix: string,
): Promise<{ queue: string; id: string; reason: string }[]> {
  const failed: { queue: string; id: string; reason: string }[] = [];
  for (const queue of QUEUES) {
    for (const id of await redis.zrange(`${prefix}:${queue}:failed`, 0, -1)) {
      const reason = (await redis.hget(`${prefix}:${queue}:${id}`, 'failedReason')) ?? '?';
      failed.push({ queue, id, reason });
    }
  }
  return failed;
}

// ---------------------------------------------------------------------------------------------------------
// Settling and the final checks.

/**
 * Waits (bounded) until the outbox is empty, no timer is overdue (with `quiet`: none is due in the next
 * minutes either), no delivery is pending and every event Baton decided to send reached the receiver.
 */
export async function waitUntilSettled(
  databaseUrl: string,
  receiver: SlowReceiver,
  timeoutMs: number,
  quiet = false,
): Promise<{ ms: number; state: DbState; missing: string[]; settled: boolean }> {
  const started = Date.now();
  for (;;) {
    const state = await readDbState(databaseUrl);
    const got = receiver.ids();
    const missing = state.eventIds.filter((id) => !got.has(id));
    const settled =
      state.unpublished === 0 &&
      state.overdueTimers === 0 &&
      state.pendingDeliveries === 0 &&
      missing.length === 0 &&
      (!quiet || state.soonTimers === 0);
    if (settled || Date.now() - started > timeoutMs) {
      return { ms: Date.now() - started, state, missing, settled };
    }
    await sleep(250);
  }
}

export interface AuditReport {
  /** Follow-ups sent while the period end was being committed (see auditDeliverables' concurrentMs). */
  concurrentFollowUps: number;
  problems: string[];
  deliverables: number;
  timersDue: number;
  timersSent: number;
  timersCancelled: number;
  elsTransitions: number;
  extensions: number;
  statusEvents: number;
  expectedEvents: number;
}

const NOTICE_EVENT: Record<string, string> = {
  readiness: 'reminder.readiness',
  decision_overdue: 'reminder.decision_overdue',
  decision_escalation: 'reminder.decision_escalation',
  els_follow_up: 'els.follow_up',
};

/**
 * Per deliverable, over the API: version == audit events and the hash chain holds; every timer that came
 * due fired exactly once (a sent notice timer is one event id at the receiver, a sent ELS period end is
 * one `els_period_elapsed` in the history) and no timer that did not fire sent anything; every status
 * change and extension in the history is one distinct event, and so is every other recorded change
 * (deliverable.updated); no ELS follow-up outlives ELS.
 */
export async function auditDeliverables(
  client: ApiClient,
  ids: string[],
  received: ReceivedEvent[],
  options: {
    /**
     * With several workers, a follow-up due in the moments while another worker commits the period end is
     * sent, and commits, first; its decision time is still later than the period end's, which is decided
     * before it commits. A follow-up sent within this many ms of the end is counted, not a problem; one still
     * scheduled, or sent later, is.
     */
    concurrentMs?: number;
  } = {},
): Promise<AuditReport> {
  const report: AuditReport = {
    concurrentFollowUps: 0,
    problems: [],
    deliverables: ids.length,
    timersDue: 0,
    timersSent: 0,
    timersCancelled: 0,
    elsTransitions: 0,
    extensions: 0,
    statusEvents: 0,
    expectedEvents: 0,
  };
  const eventsOf = new Map<string, Map<string, ReceivedEvent>>();
  for (const event of received) {
    const mine = eventsOf.get(event.deliverableId) ?? new Map<string, ReceivedEvent>();
    mine.set(event.eventId, event);
    eventsOf.set(event.deliverableId, mine);
  }
  const now = Date.now();
  for (const id of ids) {
    const problem = (text: string) => report.problems.push(`${id}: ${text}`);
    const [deliverable, history, reminders] = await Promise.all([
      ok(client.get(`/v1/deliverables/${id}`), 'get'),
      ok(client.get(`/v1/deliverables/${id}/history`), 'history').then((body) => body.items as any[]),
      ok(client.get(`/v1/deliverables/${id}/reminders`), 'reminders').then((body) => body.items as any[]),
    ]);
    const events = [...(eventsOf.get(id)?.values() ?? [])];
    const leftEls = history.find(
      (event) =>
        event.fromStatus === 'early_life_support' &&
        event.toStatus !== 'early_life_support' &&
        event.toStatus !== 'on_hold',
    )?.at;
    const orphan = (timer: any) =>
      timer.kind === 'els_follow_up' &&
      timer.status !== 'cancelled' &&
      leftEls !== undefined &&
      Date.parse(timer.dueAt) > Date.parse(leftEls);
    const concurrent = (timer: any) =>
      timer.status === 'sent' &&
      Date.parse(timer.sentAt) - Date.parse(leftEls) <= (options.concurrentMs ?? -1);
    report.concurrentFollowUps += reminders.filter((timer) => orphan(timer) && concurrent(timer)).length;
    const orphans = reminders.filter((timer) => orphan(timer) && !concurrent(timer));
    if (orphans.length > 0) {
      problem(
        `ELS follow-up outlived ELS (left for ${deliverable.status} at ${leftEls}): ` +
          `${orphans.filter((timer) => timer.status === 'sent').length} sent after, ` +
          `${orphans.filter((timer) => timer.status === 'scheduled').length} still scheduled`,
      );
    }
    if (deliverable.version !== history.length) {
      problem(`version ${deliverable.version} but ${history.length} audit events`);
    }
    const broken = verifyChain(history);
    if (broken) problem(`audit chain broken at seq ${broken.seq} (${broken.reason})`);

    for (const timer of reminders) {
      if (orphan(timer)) continue;
      if (Date.parse(timer.dueAt) <= now - 1000) report.timersDue++;
      if (
        timer.status === 'scheduled' &&
        Date.parse(timer.dueAt) <= now - 1000 &&
        deliverable.status !== 'on_hold'
      )
        problem(`timer ${timer.kind} due ${timer.dueAt} is still scheduled`);
      if (timer.status === 'sent') report.timersSent++;
      if (timer.status === 'cancelled') report.timersCancelled++;
      if (timer.kind === 'els_period_end') {
        const fired = history.filter(
          (event) => event.action === 'els_period_elapsed' && event.data?.period === timer.period,
        ).length;
        const expected = timer.status === 'sent' ? 1 : 0;
        if (fired !== expected)
          problem(
            `ELS period ${timer.period} end is ${timer.status} but elapsed ${fired} times in the history`,
          );
        continue;
      }
      const type = NOTICE_EVENT[timer.kind];
      const sent = events.filter(
        (event) =>
          event.type === type && event.data?.kind === timer.kind && event.data?.dueAt === timer.dueAt,
      ).length;
      const expected = timer.status === 'sent' ? 1 : 0;
      if (sent !== expected)
        problem(`${timer.kind} timer due ${timer.dueAt} is ${timer.status} but sent ${sent} distinct events`);
      if (timer.status === 'sent') report.expectedEvents++;
    }

    const elapsed = history.filter((event) => event.action === 'els_period_elapsed');
    report.elsTransitions += elapsed.length;
    const periods = elapsed.map((event) => event.data?.period);
    if (new Set(periods).size !== periods.length)
      problem(`an ELS period elapsed twice: ${periods.join(',')}`);
    const extended = elapsed.filter((event) => event.toStatus === 'early_life_support').length;
    report.extensions += extended;
    report.expectedEvents += extended;
    const extensionEvents = events.filter((event) => event.type === 'els.extended').length;
    if (extensionEvents !== extended)
      problem(`${extended} extensions but ${extensionEvents} els.extended events`);

    const changes = history
      .filter((event) => event.fromStatus !== null && event.fromStatus !== event.toStatus)
      .map((event) => `${event.fromStatus}>${event.toStatus}`)
      .sort();
    report.statusEvents += changes.length;
    report.expectedEvents += changes.length;
    const changeEvents = events
      .filter((event) => event.type === 'deliverable.status_changed')
      .map((event) => `${event.data?.from}>${event.data?.to}`)
      .sort();
    if (changes.join() !== changeEvents.join())
      problem(`status changes [${changes.join(' ')}] but events [${changeEvents.join(' ')}]`);

    // Every other recorded change (the creation aside) is one deliverable.updated, carrying the version it
    // made: the audit event's seq (version == audit events).
    const updates = history
      .filter((event) => event.fromStatus !== null && event.fromStatus === event.toStatus)
      .map((event) => `${event.action}@${event.seq}`)
      .sort();
    report.expectedEvents += updates.length;
    const updateEvents = events
      .filter((event) => event.type === 'deliverable.updated')
      .map((event) => `${event.data?.action}@${event.data?.version}`)
      .sort();
    if (updates.join() !== updateEvents.join())
      problem(
        `recorded changes [${updates.join(' ')}] but deliverable.updated events [${updateEvents.join(' ')}]`,
      );
  }
  return report;
}

/** Compares the events Baton decided to send (outbox, orphans aside) with what reached the receiver. */
export function compareEvents(state: DbState, receiver: SlowReceiver) {
  const expected = new Set(state.eventIds);
  const orphaned = new Set(state.orphans.map((orphan) => orphan.deliverableId));
  const got = new Set(
    receiver.received
      .filter(
        (event) =>
          !(event.type === 'els.follow_up' && orphaned.has(event.deliverableId)) ||
          expected.has(event.eventId),
      )
      .map((event) => event.eventId),
  );
  return {
    expected: expected.size,
    distinctReceived: got.size,
    requests: receiver.received.length,
    orphanEvents: receiver.ids().size - got.size,
    missing: [...expected].filter((id) => !got.has(id)),
    unexpected: [...got].filter((id) => !expected.has(id)),
    duplicates: receiver.duplicates(),
  };
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The WARN and ERROR lines of a Baton process's log, without colours. */
export function warnings(output: string, limit = 10): string[] {
  return (output.replace(ANSI_COLOUR, '').match(/(WARN|ERROR) .*$/gm) ?? []).slice(0, limit);
}

export function report(title: string, lines: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(lines).map((key) => key.length));
  const body = Object.entries(lines)
    .map(
      ([key, value]) =>
        `  ${key.padEnd(width)}  ${typeof value === 'string' ? value : JSON.stringify(value)}`,
    )
    .join('\n');
  console.info(`\n=== ${title}\n${body}\n`);
}

/**
 * What every fault test requires at the end: the audit found nothing, every event Baton decided to send
 * arrived (and nothing else), and nothing is left unpublished, overdue, pending or dead once settled.
 */
export function expectNothingLost({
  audit,
  events,
  final,
  settled,
}: {
  audit: AuditReport;
  events: ReturnType<typeof compareEvents>;
  final: DbState;
  settled: { settled: boolean };
}): void {
  expect(audit.problems).toEqual([]);
  expect(events.missing).toEqual([]);
  expect(events.unexpected).toEqual([]);
  expect(events.distinctReceived).toBe(events.expected);
  expect(events.expected).toBe(audit.expectedEvents);
  expect(final.unpublished).toBe(0);
  expect(final.overdueTimers).toBe(0);
  expect(final.pendingDeliveries).toBe(0);
  expect(final.deadDeliveries).toBe(0);
  expect(settled.settled).toBe(true);
}
