import type { HandoverCommandType } from './handover.commands.js';
import type { Actor } from './handover.types.js';

/** Who may send a command, before any state or policy rule is looked at. */
export type RoleRule =
  /** Any of these roles; `admin` counts as `pmo` and `smo`. */
  | { kind: 'roles'; anyOf: readonly ('pmo' | 'smo')[] }
  /** A principal deciding through an approver role of the gate's policy that it holds; admin has no bypass. */
  | { kind: 'approver' }
  /** Only the system actor: timers report through these. */
  | { kind: 'system' };

const PMO = { kind: 'roles', anyOf: ['pmo'] } as const;
const SMO = { kind: 'roles', anyOf: ['smo'] } as const;
const EITHER = { kind: 'roles', anyOf: ['pmo', 'smo'] } as const;

/**
 * The role rules per action. The system actor (principalId null: the worker with probe results and timers)
 * may send anything but a decision, which needs a principal to count towards a quorum.
 */
export const ACTION_ROLES: Readonly<Record<HandoverCommandType, RoleRule>> = {
  edit: PMO,
  submit: PMO,
  resubmit: PMO,
  attest: PMO,
  waive: SMO,
  // Integrations post results and incidents with smo tokens.
  result: SMO,
  record_incident: SMO,
  resolve_incident: SMO,
  schedule: SMO,
  confirm: SMO,
  rollback: SMO,
  hold: EITHER,
  resume: EITHER,
  cancel: EITHER,
  decide: { kind: 'approver' },
  els_period_elapsed: { kind: 'system' },
};

export function isSystemActor(actor: Actor): boolean {
  return actor.principalId === null;
}

/** Why this actor may not send this command at all, or null when its roles allow it. */
export function roleRefusal(type: HandoverCommandType, actor: Actor): string | null {
  const rule = ACTION_ROLES[type];
  switch (rule.kind) {
    case 'system':
      return isSystemActor(actor) ? null : `${type} is sent by the system only`;
    case 'approver':
      return isSystemActor(actor)
        ? 'a decision needs a principal; the system does not decide at gates'
        : null;
    case 'roles': {
      if (isSystemActor(actor)) return null;
      const held = rule.anyOf.some((role) => actor.roles.includes(role)) || actor.roles.includes('admin');
      return held ? null : `${type} needs the role ${rule.anyOf.join(' or ')}`;
    }
  }
}
