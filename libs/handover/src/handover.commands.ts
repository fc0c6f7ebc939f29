import { assertUnreachable } from './assert-unreachable.js';
import type { HandoverEvent, HandoverEventType } from './handover.events.js';
import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import {
  DECISIONS,
  GATES,
  PRIORITIES,
  TIMER_KINDS,
  isOneOf,
  type Action,
  type Actor,
  type Decision,
  type Gate,
  type Priority,
  type SystemAction,
} from './handover.types.js';
import { isPlainObject, type JsonObject } from './json.types.js';
import type { Policy } from './policy.js';
import type { DueTimer, FreezeCheck, FreezeConflict } from './rules/index.js';

// What callers send. `at` is the time the command happens, given by the caller: the domain never reads a
// clock, so replaying a command gives the same result.

export type HandoverCommand =
  | { type: 'edit'; at: string; changes: JsonObject }
  | { type: 'submit'; at: string; policy: Policy; targetGoLive?: string }
  | { type: 'resubmit'; at: string; policy: Policy; targetGoLive?: string }
  | { type: 'attest'; at: string; key: string; evidence: string; note?: string }
  | { type: 'waive'; at: string; key: string; reason: string }
  /** Probe an automated criterion again (POST .../readiness/:key/probe): its result comes as `result`. */
  | { type: 'probe'; at: string; key: string }
  | { type: 'result'; at: string; key: string; passed: boolean; detail?: string; round?: number }
  | {
      type: 'decide';
      at: string;
      gate: Gate;
      role: string;
      decision: Decision;
      comment?: string;
      /** The delegator this decision is taken for (API.md, Delegation). */
      onBehalfOf?: string;
      /**
       * The delegation from `onBehalfOf` to the actor in force now, as the command path found it (never the
       * caller's to say); absent: none.
       */
      delegation?: { id: string; roles: string[] };
    }
  | {
      type: 'schedule';
      at: string;
      windowStart: string;
      windowEnd: string;
      /** The change freezes the window overlaps, as the command path found them (none: no freeze). */
      freeze?: FreezeCheck;
      /** To schedule into a freeze anyway, with a reason. */
      override?: { reason: string };
    }
  | { type: 'confirm'; at: string }
  | { type: 'rollback'; at: string; reason: string }
  | { type: 'record_incident'; at: string; reference: string; priority: Priority; summary: string }
  | { type: 'resolve_incident'; at: string; reference: string }
  | { type: 'create_action'; at: string; title: string; ownerId?: string; dueAt?: string }
  /** A new owner; `dueAt` also sets or moves the due date. */
  | { type: 'assign_action'; at: string; key: string; ownerId: string; dueAt?: string }
  | { type: 'close_action'; at: string; key: string; note?: string }
  | { type: 'record_lesson'; at: string; text: string }
  | { type: 'timer_due'; at: string; timer: DueTimer }
  /** A change freeze was laid over the scheduled go-live window: these occurrences of it meet the window. */
  | { type: 'freeze_conflict'; at: string; conflicts: FreezeConflict[] }
  /** The change freeze was lifted (DELETE /v1/freeze-windows/:id): the conflicts it noted no longer stand. */
  | { type: 'freeze_lifted'; at: string; freezeWindowId: string }
  | { type: 'hold'; at: string; reason: string }
  | { type: 'resume'; at: string }
  | { type: 'cancel'; at: string; reason: string };

export type HandoverCommandType = HandoverCommand['type'];
export type CommandOf<T extends HandoverCommandType> = Extract<HandoverCommand, { type: T }>;

// Compile-time check that the command names are exactly the actions plus the system's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _commandsMatchActions: Same<HandoverCommandType, Action | SystemAction> = true;
void _commandsMatchActions;

const DECISION_EVENT = {
  approve: 'APPROVE',
  request_changes: 'REQUEST_CHANGES',
  reject: 'REJECT',
  reject_final: 'REJECT_FINAL',
} as const;

/** The machine event a command becomes; who sends it goes in where a guard needs it. */
export function toHandoverEvent(command: HandoverCommand, actor: Actor): HandoverEvent {
  const { at } = command;
  switch (command.type) {
    case 'edit': {
      const { targetGoLive } = command.changes;
      return {
        type: 'EDIT',
        at,
        fields: Object.keys(command.changes),
        targetGoLive: typeof targetGoLive === 'string' ? targetGoLive : null,
      };
    }
    case 'submit':
    case 'resubmit':
      return {
        type: command.type === 'submit' ? 'SUBMIT' : 'RESUBMIT',
        at,
        principalId: actor.principalId,
        policy: command.policy,
        targetGoLive: command.targetGoLive ?? null,
      };
    case 'attest':
      return {
        type: 'ATTEST',
        at,
        principalId: actor.principalId,
        key: command.key,
        evidence: command.evidence,
        note: command.note ?? null,
      };
    case 'waive':
      return { type: 'WAIVE', at, principalId: actor.principalId, key: command.key, reason: command.reason };
    case 'probe':
      return { type: 'PROBE', at, key: command.key };
    case 'result':
      return {
        type: 'RESULT',
        at,
        principalId: actor.principalId,
        key: command.key,
        passed: command.passed,
        detail: command.detail ?? null,
      };
    case 'decide':
      return {
        type: DECISION_EVENT[command.decision],
        at,
        gate: command.gate,
        // applyCommand refuses decisions without a principal before this matters.
        principalId: actor.principalId ?? '',
        principalRoles: actor.roles,
        onBehalfOf: command.onBehalfOf ?? null,
        delegatedRoles: command.delegation?.roles ?? null,
        role: command.role,
        comment: command.comment ?? null,
      };
    case 'schedule':
      return {
        type: 'SCHEDULE_GO_LIVE',
        at,
        windowStart: command.windowStart,
        windowEnd: command.windowEnd,
        freeze: command.freeze ?? null,
        override: command.override ?? null,
        principalRoles: actor.roles,
      };
    case 'freeze_conflict':
      return { type: 'FREEZE_CONFLICT', at, conflicts: command.conflicts };
    case 'freeze_lifted':
      return { type: 'FREEZE_LIFTED', at, freezeWindowId: command.freezeWindowId };
    case 'confirm':
      return { type: 'CONFIRM_GO_LIVE', at };
    case 'rollback':
      return { type: 'ROLLBACK', at, reason: command.reason };
    case 'record_incident':
      return {
        type: 'RECORD_INCIDENT',
        at,
        reference: command.reference,
        priority: command.priority,
        summary: command.summary,
      };
    case 'resolve_incident':
      return { type: 'RESOLVE_INCIDENT', at, reference: command.reference };
    case 'create_action':
      return {
        type: 'CREATE_ACTION',
        at,
        principalId: actor.principalId,
        title: command.title,
        ownerId: command.ownerId ?? null,
        dueAt: command.dueAt ?? null,
      };
    case 'assign_action':
      return {
        type: 'ASSIGN_ACTION',
        at,
        key: command.key,
        ownerId: command.ownerId,
        dueAt: command.dueAt ?? null,
      };
    case 'close_action':
      return {
        type: 'CLOSE_ACTION',
        at,
        key: command.key,
        principalId: actor.principalId,
        principalRoles: actor.roles,
        note: command.note ?? null,
      };
    case 'record_lesson':
      return { type: 'RECORD_LESSON', at, principalId: actor.principalId, text: command.text };
    case 'timer_due':
      return { type: 'TIMER_DUE', at, timer: command.timer };
    case 'hold':
      return { type: 'HOLD', at, reason: command.reason };
    case 'resume':
      return { type: 'RESUME', at };
    case 'cancel':
      return { type: 'CANCEL', at, reason: command.reason };
    default:
      return assertUnreachable(command);
  }
}

// ISO 8601 date and time with a zone; the API validates too, the domain defends its own invariants.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Throws INVALID_COMMAND when a command lacks what it needs; policies are checked by the submit rules. */
export function assertWellFormed(command: HandoverCommand): void {
  const problems = commandProblems(command);
  if (problems.length > 0) {
    throw new HandoverError(
      HandoverErrorCode.InvalidCommand,
      `Invalid ${String(command.type)} command: ${problems.join('; ')}`,
      {
        problems,
      },
    );
  }
}

function isFreezeCheck(value: unknown): value is FreezeCheck {
  return (
    isPlainObject(value) &&
    Array.isArray(value.conflicts) &&
    value.conflicts.every(
      (conflict) =>
        isPlainObject(conflict) &&
        ['freezeWindowId', 'name', 'start', 'end'].every((member) => typeof conflict[member] === 'string'),
    ) &&
    Array.isArray(value.overrideRoles) &&
    value.overrideRoles.every((role) => typeof role === 'string')
  );
}

function commandProblems(command: HandoverCommand): string[] {
  const problems: string[] = [];
  const text = (name: string, value: unknown, optional = false) => {
    if (optional && value === undefined) return;
    if (typeof value !== 'string' || (!optional && value.length === 0)) problems.push(`${name} must be text`);
  };
  const time = (name: string, value: unknown, optional = false) => {
    if (optional && value === undefined) return;
    if (!isIsoTime(value)) problems.push(`${name} must be an ISO 8601 date and time`);
  };
  time('at', command.at);
  switch (command.type) {
    case 'edit':
      if (!isPlainObject(command.changes)) problems.push('changes must be an object');
      break;
    case 'submit':
    case 'resubmit':
      time('targetGoLive', command.targetGoLive, true);
      break;
    case 'attest':
      text('key', command.key);
      text('evidence', command.evidence);
      text('note', command.note, true);
      break;
    case 'waive':
      text('key', command.key);
      text('reason', command.reason);
      break;
    case 'probe':
      text('key', command.key);
      break;
    case 'result':
      text('key', command.key);
      if (typeof command.passed !== 'boolean') problems.push('passed must be true or false');
      text('detail', command.detail, true);
      if (command.round !== undefined && !Number.isInteger(command.round))
        problems.push('round must be a whole number');
      break;
    case 'decide':
      if (!isOneOf(GATES, command.gate)) problems.push(`gate must be one of ${GATES.join(', ')}`);
      if (!isOneOf(DECISIONS, command.decision))
        problems.push(`decision must be one of ${DECISIONS.join(', ')}`);
      text('role', command.role);
      text('comment', command.comment, true);
      text('onBehalfOf', command.onBehalfOf, true);
      if (
        command.delegation !== undefined &&
        !(
          isPlainObject(command.delegation) &&
          typeof command.delegation.id === 'string' &&
          Array.isArray(command.delegation.roles) &&
          command.delegation.roles.every((role) => typeof role === 'string')
        )
      )
        problems.push('delegation must name its id and roles');
      break;
    case 'schedule':
      time('windowStart', command.windowStart);
      time('windowEnd', command.windowEnd);
      if (command.override !== undefined)
        text('override.reason', isPlainObject(command.override) ? command.override.reason : undefined);
      if (command.freeze !== undefined && !isFreezeCheck(command.freeze))
        problems.push('freeze must list conflicts and override roles');
      break;
    case 'freeze_conflict':
      if (
        !isFreezeCheck({ conflicts: command.conflicts, overrideRoles: [] }) ||
        command.conflicts.length === 0
      )
        problems.push('conflicts must list the freeze occurrences met');
      break;
    case 'freeze_lifted':
      text('freezeWindowId', command.freezeWindowId);
      break;
    case 'record_incident':
      text('reference', command.reference);
      if (!isOneOf(PRIORITIES, command.priority))
        problems.push(`priority must be one of ${PRIORITIES.join(', ')}`);
      text('summary', command.summary);
      break;
    case 'resolve_incident':
      text('reference', command.reference);
      break;
    case 'create_action':
      text('title', command.title);
      text('ownerId', command.ownerId, true);
      time('dueAt', command.dueAt, true);
      break;
    case 'assign_action':
      text('key', command.key);
      text('ownerId', command.ownerId);
      time('dueAt', command.dueAt, true);
      break;
    case 'close_action':
      text('key', command.key);
      text('note', command.note, true);
      break;
    case 'record_lesson':
      text('text', command.text);
      break;
    case 'timer_due': {
      const timer: unknown = command.timer;
      if (!isPlainObject(timer)) {
        problems.push('timer must be an object');
        break;
      }
      text('timer.id', timer.id);
      if (!isOneOf(TIMER_KINDS, timer.kind))
        problems.push(`timer.kind must be one of ${TIMER_KINDS.join(', ')}`);
      time('timer.dueAt', timer.dueAt);
      if (timer.period !== null && !Number.isInteger(timer.period))
        problems.push('timer.period must be a whole number or null');
      if (timer.subject !== null && typeof timer.subject !== 'string')
        problems.push('timer.subject must be text or null');
      break;
    }
    case 'rollback':
    case 'hold':
    case 'cancel':
      text('reason', command.reason);
      break;
    case 'confirm':
    case 'resume':
      break;
    default:
      problems.push(`unknown command type ${JSON.stringify((command as { type: unknown }).type)}`);
  }
  return problems;
}

/** The audit data of a command: its own fields but the type and time, which the audit row holds already. */
export function commandData(command: HandoverCommand): JsonObject {
  const { type: _type, at: _at, ...fields } = command;
  return JSON.parse(JSON.stringify(fields)) as JsonObject;
}

/** The command each machine event comes from (the four decision events all come from `decide`). */
export const COMMAND_OF_EVENT: Readonly<Record<HandoverEventType, HandoverCommandType>> = {
  EDIT: 'edit',
  SUBMIT: 'submit',
  RESUBMIT: 'resubmit',
  ATTEST: 'attest',
  WAIVE: 'waive',
  PROBE: 'probe',
  RESULT: 'result',
  APPROVE: 'decide',
  REQUEST_CHANGES: 'decide',
  REJECT: 'decide',
  REJECT_FINAL: 'decide',
  SCHEDULE_GO_LIVE: 'schedule',
  CONFIRM_GO_LIVE: 'confirm',
  FREEZE_CONFLICT: 'freeze_conflict',
  FREEZE_LIFTED: 'freeze_lifted',
  ROLLBACK: 'rollback',
  RECORD_INCIDENT: 'record_incident',
  RESOLVE_INCIDENT: 'resolve_incident',
  CREATE_ACTION: 'create_action',
  ASSIGN_ACTION: 'assign_action',
  CLOSE_ACTION: 'close_action',
  RECORD_LESSON: 'record_lesson',
  TIMER_DUE: 'timer_due',
  HOLD: 'hold',
  RESUME: 'resume',
  CANCEL: 'cancel',
};
