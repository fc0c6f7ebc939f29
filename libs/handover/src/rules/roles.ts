import { HandoverErrorCode } from '../handover.errors.js';
import type { Action, Actor, SystemAction } from '../handover.types.js';

/** Every command, by name (handover.commands.ts checks that its commands are exactly these). */
type CommandType = Action | SystemAction;
import type { Refusal } from './refusal.js';

/** Who may send a command, before any state or policy rule is looked at. */
export type RoleRule =
  /** Any of these roles; `admin` counts as `pmo` and `smo`. */
  | { kind: 'roles'; anyOf: readonly ('pmo' | 'smo')[] }
  /** A principal deciding through an approver role of the gate's policy that it holds; admin has no bypass. */
  | { kind: 'approver' }
  /** Only the system actor: timers report through these. */
  | { kind: 'system' }
  /**
   * The item's owner, or any of these roles: who owns it is known only with the deliverable, so
   * rules/actions.ts (mayCloseAction) judges it with the command's own rules.
   */
  | { kind: 'owner'; orAnyOf: readonly ('pmo' | 'smo')[] };

const PMO = { kind: 'roles', anyOf: ['pmo'] } as const;
const SMO = { kind: 'roles', anyOf: ['smo'] } as const;
const EITHER = { kind: 'roles', anyOf: ['pmo', 'smo'] } as const;

/**
 * The role rules per action. The system actor (principalId null: the worker with probe results and timers)
 * may send anything but a decision, which needs a principal to count towards a quorum.
 */
export const ACTION_ROLES: Readonly<Record<CommandType, RoleRule>> = {
  edit: PMO,
  submit: PMO,
  resubmit: PMO,
  attest: PMO,
  waive: SMO,
  // Either office may ask for fresh evidence; the probe's result is the worker's.
  probe: EITHER,
  // Integrations post results and incidents with smo tokens.
  result: SMO,
  record_incident: SMO,
  resolve_incident: SMO,
  create_action: EITHER,
  assign_action: EITHER,
  close_action: { kind: 'owner', orAnyOf: ['pmo', 'smo'] },
  record_lesson: EITHER,
  schedule: SMO,
  confirm: SMO,
  rollback: SMO,
  hold: EITHER,
  resume: EITHER,
  cancel: EITHER,
  decide: { kind: 'approver' },
  timer_due: { kind: 'system' },
  freeze_conflict: { kind: 'system' },
  freeze_lifted: { kind: 'system' },
};

/**
 * Whether roles `held` include `wanted`: `admin` holds `pmo` and `smo` implicitly (API.md); approver roles
 * are never implied, so separation of duties has no admin bypass. The api's route guards ask this too.
 */
export function holdsRole(held: readonly string[], wanted: string): boolean {
  return held.includes(wanted) || (held.includes('admin') && (wanted === 'pmo' || wanted === 'smo'));
}

export function holdsAnyRole(held: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((role) => holdsRole(held, role));
}

export function isSystemActor(actor: Actor): boolean {
  return actor.principalId === null;
}

/** Why this actor may not send this command at all, or null when its roles allow it. */
export function roleRefusal(type: CommandType, actor: Actor): Refusal | null {
  const problem = roleProblem(type, actor);
  return problem === null
    ? null
    : { code: HandoverErrorCode.RoleRequired, message: `Refused: ${problem}`, details: { action: type } };
}

function roleProblem(type: CommandType, actor: Actor): string | null {
  const rule = ACTION_ROLES[type];
  switch (rule.kind) {
    case 'system':
      return isSystemActor(actor) ? null : `${type} is sent by the system only`;
    case 'approver':
      return isSystemActor(actor)
        ? 'a decision needs a principal; the system does not decide at gates'
        : null;
    case 'roles':
      return isSystemActor(actor) || holdsAnyRole(actor.roles, rule.anyOf)
        ? null
        : `${type} needs the role ${rule.anyOf.join(' or ')}`;
    case 'owner':
      return null;
  }
}
