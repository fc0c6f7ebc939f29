import { roleRefusal } from './rules/index.js';
import { refusalOfWellFormed } from './command-rules.js';
import { DEFAULT_POLICIES } from './default-policies.js';
import { followOnActions, openIncidents } from './handover.context.js';
import type { HandoverCommand } from './handover.commands.js';
import type { RestoredHandover } from './handover.snapshot.js';
import { ACTIONS, DECISIONS, GATES, type Action, type Actor } from './handover.types.js';
import { assertUnreachable } from './assert-unreachable.js';

// Candidate commands carry a fixed time: no rule reads the clock, only the order of given times.
const AT = '2000-01-01T00:00:00.000Z';
const LATER = '2000-01-01T01:00:00.000Z';

/**
 * The actions this actor could take now: its roles allow them and the machine would take them. Decided by
 * asking the same rules applyCommand applies, for a few candidate commands per action (every criterion,
 * every role the actor holds...): an action is allowed when one of them would be accepted.
 *
 * The candidates skip the well-formedness check a caller's command gets: they are built here, well-formed
 * by construction (a test checks them in every reachable state). The role check comes first because it
 * depends on the action alone, so candidates are built only for actions the actor's roles allow.
 */
export function allowedActionsOf(restored: RestoredHandover, actor: Actor): Action[] {
  return ACTIONS.filter(
    (action) =>
      roleRefusal(action, actor) === null &&
      candidateCommands(action, restored, actor).some(
        (command) => refusalOfWellFormed(restored, command, actor) === null,
      ),
  );
}

/** The commands tried for an action; exported for the test that checks them against the full rules. */
export function candidateCommands(
  action: Action,
  restored: RestoredHandover,
  actor: Actor,
): HandoverCommand[] {
  const { context } = restored;
  switch (action) {
    case 'edit':
      // Any field in draft and rework; under review, the target go-live alone.
      return [
        { type: 'edit', at: AT, changes: {} },
        { type: 'edit', at: AT, changes: { targetGoLive: AT } },
      ];
    case 'submit':
    case 'resubmit':
      // Any valid policy: which one does not change whether a submission is possible.
      return [{ type: action, at: AT, policy: DEFAULT_POLICIES[4] }];
    case 'attest':
      return context.criteria.map(({ key }) => ({ type: 'attest', at: AT, key, evidence: 'evidence' }));
    case 'waive':
      return context.criteria.map(({ key }) => ({ type: 'waive', at: AT, key, reason: 'reason' }));
    case 'probe':
      return context.criteria
        .filter(({ probeUrl }) => probeUrl !== undefined)
        .map(({ key }) => ({ type: 'probe', at: AT, key }));
    case 'result':
      return context.criteria
        .filter(({ kind }) => kind === 'automated')
        .map(({ key }) => ({ type: 'result', at: AT, key, passed: true }));
    case 'decide':
      return GATES.flatMap((gate) =>
        DECISIONS.flatMap((decision) =>
          actor.roles.map((role): HandoverCommand => ({ type: 'decide', at: AT, gate, decision, role })),
        ),
      );
    case 'schedule':
      return [{ type: 'schedule', at: AT, windowStart: AT, windowEnd: LATER }];
    case 'confirm':
      return [{ type: 'confirm', at: AT }];
    case 'rollback':
      return [{ type: 'rollback', at: AT, reason: 'reason' }];
    case 'record_incident':
      return [
        {
          type: 'record_incident',
          at: AT,
          reference: freshReference(restored),
          priority: 'P4',
          summary: 'summary',
        },
      ];
    case 'resolve_incident':
      return openIncidents(context).map(({ reference }) => ({ type: 'resolve_incident', at: AT, reference }));
    case 'create_action':
      return [{ type: 'create_action', at: AT, title: 'title' }];
    case 'assign_action':
      // Any principal: that the owner exists is the command path's to check, not a rule of the handover.
      return openActionKeys(restored).map((key) => ({
        type: 'assign_action',
        at: AT,
        key,
        ownerId: actor.principalId ?? 'owner',
      }));
    case 'close_action':
      return openActionKeys(restored).map((key) => ({ type: 'close_action', at: AT, key }));
    case 'record_lesson':
      return [{ type: 'record_lesson', at: AT, text: 'lesson' }];
    case 'hold':
      return [{ type: 'hold', at: AT, reason: 'reason' }];
    case 'resume':
      return [{ type: 'resume', at: AT }];
    case 'cancel':
      return [{ type: 'cancel', at: AT, reason: 'reason' }];
    default:
      return assertUnreachable(action);
  }
}

function openActionKeys({ context }: RestoredHandover): string[] {
  return followOnActions(context)
    .filter(({ status }) => status === 'open')
    .map(({ key }) => key);
}

function freshReference(restored: RestoredHandover): string {
  const taken = new Set(restored.context.incidents.map(({ reference }) => reference));
  let n = taken.size;
  while (taken.has(`candidate-${n}`)) n += 1;
  return `candidate-${n}`;
}
