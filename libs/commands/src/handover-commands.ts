import { randomUUID } from 'node:crypto';
import { appliesTo, occurrencesOf } from '@baton/calendar';
import {
  type Actor,
  type CriterionSpec,
  createHandover,
  HandoverErrorCode,
  isHandoverError,
  loadedFrom,
  loadHandover,
  type Policy,
} from '@baton/handover';
import {
  type Database,
  type DeliverableFields,
  type DeliverableRow,
  type FreezeWindowRow,
  type LoadedDeliverable,
  type PageCursor,
} from '@baton/persistence';
import { AppError, AppErrorCode } from '@baton/errors';
import { auditHash } from './audit-hash.js';
import { type CommandInput, type CommittedDeliverable, criterionRow, decide, tierPolicy } from './decide.js';
import { type HandoverCache } from './handover-cache.js';

export interface CreateDeliverableInput extends Pick<
  DeliverableRow,
  'projectId' | 'serviceId' | 'title' | 'description' | 'changeType' | 'targetGoLive'
> {
  criteria: CriterionSpec[];
  /** The template the criteria come from; null for the built-in default checklist. */
  checklist: { id: string; name: string; version: number } | null;
}

export interface ExecuteOptions {
  /** The version the caller last saw (If-Match): a mismatch is 412, never retried. */
  ifMatch?: number;
  /** Column changes that go with the command (edit). */
  fields?: DeliverableFields;
}

/** What became of a timer that came due; the worker's processor reports it and decides nothing. */
export type TimerOutcome =
  /** It did what its state takes it to do (a notice, the end of an ELS period). */
  | { outcome: 'fired'; kind: string; dueAt: Date }
  /** The deliverable is on hold: the timer stays scheduled and fires on resume. */
  | { outcome: 'waits' }
  /** The deliverable's state no longer takes it: it is dropped. */
  | { outcome: 'stale' }
  /** It fired before, was cancelled, or its deliverable is gone: nothing to do. */
  | { outcome: 'not_scheduled' };

/** Told of every command's outcome, for metrics. */
export type CommandObserver = (
  action: string,
  outcome: 'ok' | 'refused' | 'conflict' | 'error',
  seconds: number,
) => void;

/** How often a command without If-Match is re-run on a fresher row after losing a write race. */
const MAX_ATTEMPTS = 8;

const SYSTEM: Actor = { principalId: null, roles: [] };

/**
 * The one command path, shared by the api and the worker, literally load, decide, save: read the row and
 * what the command needs in one round trip, decide purely (decide.ts), write the change in one statement.
 * A lost race decides again on the fresher row.
 */
export class HandoverCommands {
  private readonly clock: () => Date;
  private readonly observe: CommandObserver;
  private readonly emailOn: boolean;
  private readonly cache: HandoverCache | null;

  constructor(
    private readonly db: Database,
    options: {
      clock?: () => Date;
      /** Told of every command's outcome, for metrics. */
      observe?: CommandObserver;
      /** E-mail notifications are on (BATON_SMTP_URL): every event needs its job, whoever subscribes. */
      emailOn?: boolean;
      /** Where what is committed is kept for the reads that follow. */
      cache?: HandoverCache;
    } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.observe = options.observe ?? (() => undefined);
    this.emailOn = options.emailOn ?? true;
    this.cache = options.cache ?? null;
  }

  async create(input: CreateDeliverableInput, actor: Actor): Promise<CommittedDeliverable> {
    const now = this.clock();
    const created = createHandover({ criteria: input.criteria });
    const handover = loadedFrom(created.state);
    const view = handover.describe();
    const content = {
      seq: 1,
      at: now.toISOString(),
      principalId: actor.principalId,
      action: 'create',
      fromStatus: null,
      toStatus: created.status,
      data: {
        projectId: input.projectId,
        serviceId: input.serviceId,
        title: input.title,
        description: input.description,
        changeType: input.changeType,
        targetGoLive: input.targetGoLive.toISOString(),
        checklist: input.checklist
          ? { name: input.checklist.name, version: input.checklist.version }
          : 'default',
        criteria: input.criteria.map((criterion) => criterion.key),
      },
    };
    const hash = auditHash(null, content);
    const row: DeliverableRow = {
      id: randomUUID(),
      checklistId: input.checklist?.id ?? null,
      awaitingRoles: view.awaitingRoles,
      projectId: input.projectId,
      serviceId: input.serviceId,
      title: input.title,
      description: input.description,
      changeType: input.changeType,
      targetGoLive: input.targetGoLive,
      status: created.status,
      snapshot: created.snapshot,
      machineVersion: created.machineVersion,
      version: 1,
      submittedBy: null,
      createdBy: actor.principalId,
      auditSeq: 1,
      auditHash: hash,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.deliverables.insert(
      row,
      { ...content, at: now, prevHash: null, hash },
      [],
      view.criteria.map(criterionRow),
    );
    this.cache?.keep(row.id, row.version, handover);
    return { row, handover };
  }

  /** Runs one command; the answer is the deliverable as committed, its handover restored already. */
  async execute(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions = {},
  ): Promise<CommittedDeliverable> {
    return (await this.observed(id, input, actor, options)).committed;
  }

  private async observed(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions,
  ): Promise<{ committed: CommittedDeliverable; loaded: LoadedDeliverable }> {
    const started = performance.now();
    try {
      const result = await this.run(id, input, actor, options);
      this.observe(input.type, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const conflict =
        error instanceof AppError &&
        (error.code === AppErrorCode.WriteConflict || error.code === AppErrorCode.VersionMismatch);
      const refused = error instanceof AppError || isHandoverError(error);
      this.observe(
        input.type,
        conflict ? 'conflict' : refused ? 'refused' : 'error',
        (performance.now() - started) / 1000,
      );
      throw error;
    }
  }

  /**
   * A durable timer came due: the machine says what it does, through the same path as every command. The
   * caller (the timer job) only reports the outcome.
   */
  async fireTimer(deliverableId: string, timerId: string): Promise<TimerOutcome> {
    try {
      const { loaded } = await this.observed(deliverableId, { type: 'timer_due', timerId }, SYSTEM, {});
      return { outcome: 'fired', kind: loaded.timer!.kind, dueAt: loaded.timer!.dueAt };
    } catch (error) {
      const gone =
        error instanceof AppError &&
        (error.code === AppErrorCode.TimerNotScheduled || error.code === AppErrorCode.NotFound);
      if (gone) return { outcome: 'not_scheduled' };
      if (isHandoverError(error, HandoverErrorCode.TimerWaits)) return { outcome: 'waits' };
      if (isHandoverError(error, HandoverErrorCode.StaleTimer)) {
        await this.db.timers.drop(timerId, this.clock());
        return { outcome: 'stale' };
      }
      throw error;
    }
  }

  private async run(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions,
  ): Promise<{ committed: CommittedDeliverable; loaded: LoadedDeliverable }> {
    const timerId = input.type === 'timer_due' ? input.timerId : null;
    for (let attempt = 1; ; attempt++) {
      const now = this.clock();
      const held = this.cache?.of(id);
      const loaded = await this.db.deliverables.load(id, {
        timerId,
        dueBy: input.type === 'resume' ? now : null,
        heldVersion: held?.version ?? null,
        freezesFrom: input.type === 'schedule' ? new Date(input.windowStart) : null,
        delegation:
          input.type === 'decide' && input.onBehalfOf !== undefined && actor.principalId !== null
            ? { delegateId: actor.principalId, delegatorId: input.onBehalfOf, at: now }
            : null,
      });
      if (!loaded) throw AppError.notFound('Deliverable', id);
      if (options.ifMatch !== undefined && options.ifMatch !== loaded.row.version) {
        throw versionMismatch(options.ifMatch, loaded.row.version);
      }
      if (timerId !== null && loaded.timer?.status !== 'scheduled') {
        throw new AppError(
          AppErrorCode.TimerNotScheduled,
          `Timer ${timerId} is ${loaded.timer?.status ?? 'gone'}`,
        );
      }
      const { change, committed } = decide({
        loaded,
        command: input,
        actor,
        fields: options.fields,
        now,
        newId: randomUUID,
        emailOn: this.emailOn,
        held: held?.handover,
      });
      if (await this.db.deliverables.save(change)) {
        this.cache?.keep(committed.row.id, committed.row.version, committed.handover);
        return { committed, loaded };
      }
      // Lost a race. With If-Match the caller's premise is gone; without, the command is judged again on
      // the fresher row (it may now be refused as not allowed in the new state).
      if (options.ifMatch !== undefined) throw versionMismatch(options.ifMatch);
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          AppErrorCode.WriteConflict,
          'The deliverable kept changing while this command ran; try again',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }

  /**
   * A change freeze was declared: every scheduled go-live whose window it now meets gets the conflict noted
   * (the system's freeze_conflict command, audited, event schedule.conflict). The go-live stays scheduled. A
   * deliverable that moved on meanwhile is passed over. Answers the ids of those it noted a conflict on.
   */
  async raiseFreezeConflicts(freeze: FreezeWindowRow): Promise<string[]> {
    const spec = {
      start: freeze.startsAt.toISOString(),
      end: freeze.endsAt.toISOString(),
      rrule: freeze.rrule,
      timeZone: freeze.timeZone,
    };
    const scope = { tiers: freeze.scopeTiers, serviceIds: freeze.scopeServiceIds };
    const tiers = new Map<string, number | null>();
    const tierOf = async (serviceId: string): Promise<number | null> => {
      if (!tiers.has(serviceId))
        tiers.set(serviceId, (await this.db.services.findById(serviceId))?.tier ?? null);
      return tiers.get(serviceId)!;
    };
    const noted: string[] = [];
    let cursor: PageCursor | undefined;
    do {
      const page = await this.db.deliverables.list({ status: ['scheduled'] }, { limit: 200, cursor });
      const candidates: string[] = [];
      for (const head of page.items) {
        const tier = await tierOf(head.serviceId);
        if (tier !== null && appliesTo(scope, { id: head.serviceId, tier })) candidates.push(head.id);
      }
      for (const row of candidates.length ? await this.db.deliverables.findByIds(candidates) : []) {
        const window = loadHandover(row).describe().goLiveWindow;
        if (window === null) continue;
        const conflicts = occurrencesOf(spec, new Date(window.start), new Date(window.end), 20).map(
          (occurrence) => ({ freezeWindowId: freeze.id, name: freeze.name, ...occurrence }),
        );
        if (conflicts.length === 0) continue;
        try {
          await this.execute(row.id, { type: 'freeze_conflict', conflicts }, SYSTEM);
          noted.push(row.id);
        } catch (error) {
          // Confirmed, rolled back or held since the page was read: nothing to note any more.
          if (!isHandoverError(error, HandoverErrorCode.ActionNotAllowed)) throw error;
        }
      }
      cursor = page.next ?? undefined;
    } while (cursor);
    return noted;
  }

  /**
   * A change freeze was lifted: every deliverable that noted a conflict with it takes the conflict back (the
   * system's freeze_lifted command, audited). One that moved on meanwhile (confirmed, held) keeps what it
   * noted: the machine takes the command only while the go-live is scheduled. Answers the ids it changed.
   */
  async liftFreezeConflicts(freezeWindowId: string): Promise<string[]> {
    const lifted: string[] = [];
    for (const id of await this.db.deliverables.notingConflictsOf(freezeWindowId)) {
      try {
        await this.execute(id, { type: 'freeze_lifted', freezeWindowId }, SYSTEM);
        lifted.push(id);
      } catch (error) {
        if (!isHandoverError(error, HandoverErrorCode.ActionNotAllowed)) throw error;
      }
    }
    return lifted;
  }

  /** The policy governing a service's tier: the stored one, else the built-in default. */
  async policyForTier(
    tier: number,
  ): Promise<{ policy: Policy; source: 'custom' | 'default'; updatedAt: Date | null }> {
    const stored = await this.db.policies.get(tier);
    return {
      policy: tierPolicy(tier, stored?.policy ?? null),
      source: stored ? 'custom' : 'default',
      updatedAt: stored?.updatedAt ?? null,
    };
  }
}

function versionMismatch(expected: number, actual?: number): AppError {
  const now = actual === undefined ? 'has changed since' : `is at version ${actual}`;
  return new AppError(
    AppErrorCode.VersionMismatch,
    `If-Match names version ${expected}, but the deliverable ${now}`,
    {
      ...(actual === undefined ? {} : { currentVersion: actual }),
    },
  );
}
