import { randomUUID } from 'node:crypto';
import {
  type Actor,
  assertValidPolicy,
  type CriterionSpec,
  type CriterionView,
  createHandover,
  DEFAULT_POLICIES,
  describeHandover,
  type HandoverCommand,
  type HandoverView,
  isHandoverError,
  loadHandover,
  type Policy,
  type ServiceTier,
} from '@baton/handover';
import {
  type CriterionRow,
  type Database,
  type DeliverableFields,
  type DeliverableRow,
} from '@baton/persistence';
import { AppError, AppErrorCode } from '@baton/errors';
import { auditHash } from './audit-hash.js';
import { planEffects, timerJob } from './effect-jobs.js';

/** A command as a caller gives it: the time is the command path's to set. */
export type CommandInput = HandoverCommand extends infer C
  ? C extends HandoverCommand
    ? Omit<C, 'at'>
    : never
  : never;

export interface CreateDeliverableInput {
  projectId: string;
  serviceId: string;
  title: string;
  description: string | null;
  changeType: string;
  targetGoLive: Date;
  criteria: CriterionSpec[];
  /** The template the criteria come from; null for the built-in default checklist. */
  checklist: { id: string; name: string; version: number } | null;
}

export interface ExecuteOptions {
  /** The version the caller last saw (If-Match): a mismatch is 412, never retried. */
  ifMatch?: number;
  /** Column changes that go with the command (edit). */
  fields?: DeliverableFields;
  /** The timer this command fires: it runs only while that timer is scheduled, and marks it sent. */
  firesTimer?: string;
}

/** Told of every command's outcome, for metrics. */
export type CommandObserver = (
  action: string,
  outcome: 'ok' | 'refused' | 'conflict' | 'error',
  seconds: number,
) => void;

/** How often a command without If-Match is re-run on a fresher row after losing a write race. */
const MAX_ATTEMPTS = 8;

/**
 * The one command path, shared by the api and the worker: load the deliverable, run the pure transition,
 * then write the row (version-checked), the audit event, the outbox rows, the criteria rows and the
 * timers in one statement.
 */
export class HandoverCommands {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
    private readonly observe: CommandObserver = () => undefined,
  ) {}

  async create(input: CreateDeliverableInput, actor: Actor): Promise<DeliverableRow> {
    const now = this.clock();
    const created = createHandover({ criteria: input.criteria });
    const id = randomUUID();
    const view = describeHandover(created);
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
      id,
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
    return row;
  }

  async execute(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions = {},
  ): Promise<DeliverableRow> {
    const started = performance.now();
    try {
      const row = await this.run(id, input, actor, options);
      this.observe(input.type, 'ok', (performance.now() - started) / 1000);
      return row;
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

  private async run(
    id: string,
    input: CommandInput,
    actor: Actor,
    options: ExecuteOptions,
  ): Promise<DeliverableRow> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.db.deliverables.findById(id);
      if (!current) throw AppError.notFound('Deliverable', id);
      if (options.ifMatch !== undefined && options.ifMatch !== current.version) {
        throw versionMismatch(options.ifMatch, current.version);
      }
      if (options.firesTimer) await this.assertScheduled(options.firesTimer);
      const now = this.clock();
      const at = now.toISOString();
      const command = { ...(await this.complete(input, current)), at };
      // One restore judges the command and describes the row before it; the outcome describes the row after.
      const before = loadHandover({ snapshot: current.snapshot, machineVersion: current.machineVersion });
      const outcome = before.apply(command, actor);
      const after = outcome.view;
      const seq = current.auditSeq + 1;
      const content = {
        seq,
        at,
        principalId: actor.principalId,
        action: outcome.audit.action,
        fromStatus: outcome.fromStatus,
        toStatus: outcome.toStatus,
        data: outcome.audit.data,
      };
      const hash = auditHash(current.auditHash, content);
      const fields = options.fields ?? {};
      const plan = planEffects(id, outcome.effects, now);
      plan.timers.fires = options.firesTimer ?? null;
      if (outcome.fromStatus === 'on_hold' && outcome.toStatus !== 'on_hold') {
        // Timers wait while a deliverable is on hold; those that came due fire once now, through new jobs.
        for (const timer of await this.db.timers.dueScheduled(id, now)) {
          plan.outbox.push(timerJob(id, timer, randomUUID()));
        }
      }
      const committed = await this.db.deliverables.commit({
        id,
        expectedVersion: current.version,
        status: outcome.toStatus,
        snapshot: outcome.snapshot,
        machineVersion: outcome.machineVersion,
        submittedBy: after.submittedBy,
        awaitingRoles: after.awaitingRoles,
        fields,
        updatedAt: now,
        audit: { ...content, at: now, prevHash: current.auditHash, hash },
        outbox: plan.outbox,
        criteria: changedCriteria(before.describe(), after),
        timers: plan.timers,
      });
      if (committed) {
        return {
          ...current,
          ...definedFields(fields),
          status: outcome.toStatus,
          snapshot: outcome.snapshot,
          machineVersion: outcome.machineVersion,
          submittedBy: after.submittedBy,
          awaitingRoles: after.awaitingRoles,
          version: current.version + 1,
          auditSeq: seq,
          auditHash: hash,
          updatedAt: now,
        };
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

  /** The policy governing a service's tier: the stored one, else the built-in default. */
  async policyForTier(
    tier: number,
  ): Promise<{ policy: Policy; source: 'custom' | 'default'; updatedAt: Date | null }> {
    const stored = await this.db.policies.get(tier);
    if (!stored) return { policy: DEFAULT_POLICIES[tier as ServiceTier], source: 'default', updatedAt: null };
    assertValidPolicy(stored.policy);
    return { policy: stored.policy, source: 'custom', updatedAt: stored.updatedAt };
  }

  private async assertScheduled(timerId: string): Promise<void> {
    const timer = await this.db.timers.findById(timerId);
    if (timer?.status !== 'scheduled') {
      throw new AppError(AppErrorCode.TimerNotScheduled, `Timer ${timerId} is ${timer?.status ?? 'gone'}`);
    }
  }

  /** A submission carries the policy of the service's tier (it governs the round it opens) and the target go-live. */
  private async complete(input: CommandInput, current: DeliverableRow): Promise<CommandInput> {
    if (input.type !== 'submit' && input.type !== 'resubmit') return input;
    const service = await this.db.services.findById(current.serviceId);
    if (!service) throw AppError.notFound('Service', current.serviceId);
    const { policy } = await this.policyForTier(service.tier);
    return { ...input, policy, targetGoLive: current.targetGoLive.toISOString() };
  }
}

function criterionRow(view: CriterionView): CriterionRow {
  return {
    key: view.key,
    title: view.title,
    practice: view.practice,
    mandatory: view.mandatory,
    kind: view.kind,
    status: view.status,
    evidence: view.evidence ?? null,
    updatedBy: view.updatedBy,
    updatedAt: view.updatedAt ? new Date(view.updatedAt) : null,
  };
}

/** The criteria rows a change rewrites: only those whose view changed. */
function changedCriteria(before: HandoverView, after: HandoverView): CriterionRow[] {
  const previous = new Map(before.criteria.map((criterion) => [criterion.key, JSON.stringify(criterion)]));
  return after.criteria
    .filter((criterion) => previous.get(criterion.key) !== JSON.stringify(criterion))
    .map(criterionRow);
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

function definedFields(fields: DeliverableFields): Partial<DeliverableRow> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
