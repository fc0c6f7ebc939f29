import pg from 'pg';
import { type DataSource } from 'typeorm';
import { createDataSource, type DataSourceOptions } from './data-source.js';
import { Sql } from './sql.js';
import { AuditStore } from './stores/audit.store.js';
import { CalendarStore } from './stores/calendar.store.js';
import { PrincipalStore, ProjectStore, ServiceStore } from './stores/catalogue.store.js';
import { DeliverableStore } from './stores/deliverable.store.js';
import { EventStore } from './stores/event.store.js';
import { EvidenceKeyStore } from './stores/evidence-key.store.js';
import { DelegationStore } from './stores/delegation.store.js';
import { FreezeWindowStore } from './stores/freeze-window.store.js';
import { ChecklistStore } from './stores/checklist.store.js';
import { IdempotencyStore } from './stores/idempotency.store.js';
import { LessonStore } from './stores/lesson.store.js';
import { OutboxStore } from './stores/outbox.store.js';
import { PolicyStore } from './stores/policy.store.js';
import { TimerStore } from './stores/timer.store.js';
import { WebhookStore } from './stores/webhook.store.js';

/** Any number taken at random: replicas starting together run migrations one at a time. */
const MIGRATION_LOCK = 4_217_003_511;

/** The connection pool and the stores over it. The rest of Baton sees these, never TypeORM. */
export class Database {
  readonly principals: PrincipalStore;
  readonly services: ServiceStore;
  readonly projects: ProjectStore;
  readonly deliverables: DeliverableStore;
  readonly audit: AuditStore;
  readonly outbox: OutboxStore;
  readonly events: EventStore;
  readonly policies: PolicyStore;
  readonly checklists: ChecklistStore;
  readonly timers: TimerStore;
  readonly webhooks: WebhookStore;
  readonly idempotency: IdempotencyStore;
  readonly freezeWindows: FreezeWindowStore;
  readonly delegations: DelegationStore;
  readonly lessons: LessonStore;
  readonly evidenceKeys: EvidenceKeyStore;
  readonly calendar: CalendarStore;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly url: string,
  ) {
    const sql = new Sql(dataSource);
    this.principals = new PrincipalStore(dataSource, sql);
    this.services = new ServiceStore(dataSource, sql);
    this.projects = new ProjectStore(dataSource, sql);
    this.deliverables = new DeliverableStore(sql);
    this.audit = new AuditStore(sql);
    this.outbox = new OutboxStore(sql);
    this.events = new EventStore(sql);
    this.policies = new PolicyStore(sql);
    this.checklists = new ChecklistStore(sql);
    this.timers = new TimerStore(sql);
    this.webhooks = new WebhookStore(sql);
    this.idempotency = new IdempotencyStore(sql);
    this.freezeWindows = new FreezeWindowStore(sql);
    this.delegations = new DelegationStore(sql);
    this.lessons = new LessonStore(sql);
    this.evidenceKeys = new EvidenceKeyStore(sql);
    this.calendar = new CalendarStore(sql);
  }

  static async connect(options: DataSourceOptions): Promise<Database> {
    const dataSource = createDataSource(options);
    await dataSource.initialize();
    return new Database(dataSource, options.url);
  }

  /** Runs pending migrations under an advisory lock; returns the names of those it ran. */
  async migrate(): Promise<string[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const ran = await this.dataSource.runMigrations({ transaction: 'all' });
      return ran.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * This installation's id, made by its first migration and never changed (a restored backup keeps it). The
   * row is made again should it be missing, so a database that lost it still has one id from then on.
   */
  async installationId(): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH made AS (INSERT INTO installation (id) VALUES (gen_random_uuid()) ON CONFLICT DO NOTHING RETURNING id)
       SELECT id FROM made UNION ALL SELECT id FROM installation`,
    );
    return rows[0].id;
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel`, on a connection of its own that is opened
   * again after it drops; and with no payload each time it starts listening (anything sent while it was not
   * is missed). `onError` says the connection failed: nothing is heard until the next `onNotify()`.
   * Returns a function that stops listening.
   */
  listen(
    channel: string,
    onNotify: (payload?: string) => void,
    onError: (error: Error) => void,
  ): () => Promise<void> {
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | null = null;
    const open = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: this.url, application_name: 'baton-listen' });
      next.on('notification', (message) => onNotify(message.payload ?? ''));
      next.on('error', (error) => {
        onError(error);
        reopen();
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${channel}`);
        if (stopped) {
          await next.end();
          return;
        }
        client = next;
        onNotify(); // catch up on anything missed while not listening
      } catch (error) {
        onError(error as Error);
        await next.end().catch(() => undefined);
        reopen();
      }
    };
    const reopen = (): void => {
      if (stopped || retry) return;
      const current = client;
      client = null;
      void current?.end().catch(() => undefined);
      retry = setTimeout(() => {
        retry = null;
        void open();
      }, 1000);
    };
    void open();
    return async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
