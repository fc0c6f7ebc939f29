import { occurrencesOf } from '@baton/calendar';
import {
  type Actor,
  assertValidPolicy,
  decidedBy,
  DEFAULT_FREEZE_OVERRIDE_ROLES,
  type FreezeCheck,
  type CriterionView,
  DEFAULT_POLICIES,
  type DueTimer,
  type HandoverCommand,
  type HandoverView,
  type LoadedHandover,
  loadHandover,
  type Policy,
  type ServiceTier,
  TIMER_KINDS,
  type TimerKind,
} from '@baton/handover';
import {
  type CriterionRow,
  type DeliverableChange,
  type DeliverableFields,
  type DeliverableRow,
  type LoadedDeliverable,
} from '@baton/persistence';
import { AppError } from '@baton/errors';
import { auditHash } from './audit-hash.js';
import { eventJob, planEffects, timerJob } from './effect-jobs.js';
import { UPDATED_EVENT } from './event-types.js';

/** A command as a caller gives it: the time, a submission's policy and a timer's row are the path's to add. */
export type CommandInput =
  PlainInput | { type: 'submit' | 'resubmit' } | { type: 'timer_due'; timerId: string };

type WithoutAt<C> = C extends HandoverCommand ? Omit<C, 'at'> : never;

/** A deliverable as committed: its row, and its handover, restored already, for the answer. */
export interface CommittedDeliverable {
  row: DeliverableRow;
  handover: LoadedHandover;
}

export interface Decision {
  /** What save() writes, in one statement. */
  change: DeliverableChange;
  /** What the deliverable is once that is committed. */
  committed: CommittedDeliverable;
}

/**
 * The pure middle of load, decide, save: what a command does to a loaded deliverable at `now`, or the
 * refusal it throws (a HandoverError, or an AppError for what the load found missing). New rows are
 * named by `newId`; nothing here reads a clock, the database or the network.
 */
export function decide(input: {
  loaded: LoadedDeliverable;
  command: CommandInput;
  actor: Actor;
  fields?: DeliverableFields;
  now: Date;
  newId: () => string;
  /** E-mail notifications are on: every event needs its job (else only those a webhook wants). */
  emailOn: boolean;
  /** The deliverable's handover as the caller holds it, restored already, for the row's version. */
  held?: LoadedHandover;
}): Decision {
  const { loaded, actor, now, newId } = input;
  const fields = input.fields ?? {};
  const current = loaded.row;
  const command = completeCommand(input.command, loaded, now.toISOString());
  // The load leaves out the snapshot of the version the caller holds: that one is restored already.
  const before =
    current.snapshot === null && input.held
      ? input.held
      : loadHandover({ snapshot: current.snapshot, machineVersion: current.machineVersion });
  const outcome = before.apply(command, actor);
  const plan = planEffects(current.id, outcome.effects, now, { newId, emailOn: input.emailOn });
  if (outcome.fromStatus === 'on_hold' && outcome.toStatus !== 'on_hold') {
    // Timers wait while a deliverable is on hold; those that came due fire once now, through new jobs.
    for (const timer of loaded.dueTimers) plan.outbox.push(timerJob(current.id, timer, newId()));
  }
  const recorded = outcome.audit !== null;
  if (outcome.audit && outcome.fromStatus === outcome.toStatus) {
    // Every recorded change is an event (the live stream shows it): one that moves no status, as this. No
    // e-mail is sent for it, so only a webhook subscription makes it a job.
    plan.outbox.push({
      ...eventJob(
        current.id,
        UPDATED_EVENT,
        {
          action: outcome.audit.action,
          status: outcome.toStatus,
          version: current.version + 1,
          ...decidedBy(command, actor),
        },
        now,
        newId(),
      ),
      onlyIfSubscribed: UPDATED_EVENT,
    });
  }
  // What the row keeps of the view: an unrecorded change (a notice) leaves it as it is, unread.
  const view = recorded ? outcome.after.describe() : null;
  const audit = outcome.audit && {
    seq: current.auditSeq + 1,
    at: now.toISOString(),
    principalId: actor.principalId,
    action: outcome.audit.action,
    fromStatus: outcome.fromStatus,
    toStatus: outcome.toStatus,
    data: outcome.audit.data,
  };
  const hash = audit ? auditHash(current.auditHash, audit) : current.auditHash;
  const change: DeliverableChange = {
    id: current.id,
    expectedVersion: current.version,
    fires: command.type === 'timer_due' ? command.timer.id : null,
    status: outcome.toStatus,
    snapshot: recorded ? outcome.snapshot : null,
    machineVersion: outcome.machineVersion,
    submittedBy: view?.submittedBy ?? current.submittedBy,
    awaitingRoles: view?.awaitingRoles ?? current.awaitingRoles,
    fields,
    updatedAt: now,
    audit: audit && { ...audit, at: now, prevHash: current.auditHash, hash },
    auditSeq: audit ? audit.seq : current.auditSeq,
    auditHash: hash,
    outbox: plan.outbox,
    criteria: view && outcome.criteriaChanged ? changedCriteria(before.describe(), view) : [],
    cancelTimerKinds: plan.cancelTimerKinds,
    scheduleTimers: plan.scheduleTimers,
  };
  const row: DeliverableRow = recorded
    ? {
        ...current,
        ...definedFields(fields),
        status: outcome.toStatus,
        snapshot: outcome.snapshot,
        machineVersion: outcome.machineVersion,
        submittedBy: change.submittedBy,
        awaitingRoles: change.awaitingRoles,
        version: current.version + 1,
        auditSeq: change.auditSeq,
        auditHash: hash,
        updatedAt: now,
      }
    : current;
  return { change, committed: { row, handover: outcome.after } };
}

/** The policy governing a service tier: the stored one, else the built-in default. */
export function tierPolicy(tier: number, stored: unknown): Policy {
  if (stored === null || stored === undefined) return DEFAULT_POLICIES[tier as ServiceTier];
  assertValidPolicy(stored);
  return stored;
}

/**
 * The domain command: the caller's, with its time; a submission with its tier's policy (it governs the round
 * it opens) and the target go-live; a timer with its row.
 */
function completeCommand(input: CommandInput, loaded: LoadedDeliverable, at: string): HandoverCommand {
  if (input.type === 'submit' || input.type === 'resubmit') {
    if (loaded.tier === null) throw AppError.notFound('Service', loaded.row.serviceId);
    return {
      type: input.type,
      at,
      policy: tierPolicy(loaded.tier, loaded.tierPolicy),
      targetGoLive: loaded.row.targetGoLive.toISOString(),
    };
  }
  if (input.type === 'timer_due') {
    if (loaded.timer === null) throw AppError.notFound('Timer', input.timerId);
    return { type: 'timer_due', at, timer: dueTimer(loaded.timer) };
  }
  if (input.type === 'schedule') {
    // The freezes are the path's to find, never the caller's to say.
    const { freeze: _given, ...command } = input;
    const freeze = freezeCheck(loaded, input.windowStart, input.windowEnd);
    return { ...command, at, ...(freeze ? { freeze } : {}) };
  }
  if (input.type === 'decide') {
    // The delegation is the path's to find, never the caller's to say: the one in force that lends the role.
    const { delegation: _given, ...command } = input;
    if (input.onBehalfOf !== undefined && !loaded.delegatorKnown)
      throw AppError.notFound('Principal', input.onBehalfOf, 'onBehalfOf');
    const delegation = delegationFor(loaded, input.role);
    return { ...command, at, ...(input.onBehalfOf !== undefined && delegation ? { delegation } : {}) };
  }
  return { ...(input as PlainInput), at };
}

/**
 * Of the delegations in force from the delegator to the decider, the first that lends `role`; else, if there
 * is one at all, all their roles together (the domain then refuses the role as not held); null when none.
 */
function delegationFor(loaded: LoadedDeliverable, role: string): { id: string; roles: string[] } | null {
  const lending = loaded.delegations.find((delegation) => delegation.roles.includes(role));
  if (lending) return { id: lending.id, roles: [...lending.roles] };
  const first = loaded.delegations[0];
  return first ? { id: first.id, roles: loaded.delegations.flatMap((delegation) => delegation.roles) } : null;
}

/**
 * The change freezes a go-live window overlaps (each occurrence it meets), with the roles the tier's policy
 * lets override them; null when it meets none.
 */
function freezeCheck(loaded: LoadedDeliverable, windowStart: string, windowEnd: string): FreezeCheck | null {
  const from = new Date(windowStart);
  const to = new Date(windowEnd);
  if (!(to > from)) return null; // the domain refuses the window itself
  const conflicts = loaded.freezeWindows.flatMap((window) =>
    occurrencesOf(
      {
        start: window.startsAt.toISOString(),
        end: window.endsAt.toISOString(),
        rrule: window.rrule,
        timeZone: window.timeZone,
      },
      from,
      to,
      20,
    ).map((occurrence) => ({ freezeWindowId: window.id, name: window.name, ...occurrence })),
  );
  if (conflicts.length === 0) return null;
  const policy = loaded.tier === null ? null : tierPolicy(loaded.tier, loaded.tierPolicy);
  return {
    conflicts,
    overrideRoles: [...(policy?.freezeOverrideRoles ?? DEFAULT_FREEZE_OVERRIDE_ROLES)],
  };
}

/** The commands a caller gives whole, but for their time. */
type PlainInput = WithoutAt<Exclude<HandoverCommand, { type: 'submit' | 'resubmit' | 'timer_due' }>>;

function dueTimer(timer: NonNullable<LoadedDeliverable['timer']>): DueTimer {
  if (!(TIMER_KINDS as readonly string[]).includes(timer.kind)) {
    throw new Error(`Timer ${timer.id} has an unknown kind ${timer.kind}`);
  }
  return {
    id: timer.id,
    kind: timer.kind as TimerKind,
    dueAt: timer.dueAt.toISOString(),
    period: timer.period,
    before: timer.before,
    repeatEvery: timer.repeatEvery,
    subject: timer.subject,
  };
}

export function criterionRow(view: CriterionView): CriterionRow {
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

function definedFields(fields: DeliverableFields): Partial<DeliverableRow> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
