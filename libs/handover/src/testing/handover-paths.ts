import { getShortestPaths } from '@xstate/graph';
import { findCriterion, type HandoverContext } from '../handover.context.js';
import { toHandoverEvent, type HandoverCommand } from '../handover.commands.js';
import type { HandoverEvent } from '../handover.events.js';
import { handoverMachine } from '../handover.machine.js';
import { createHandover, statusOf, type HandoverSnapshot } from '../handover.snapshot.js';
import {
  isFinalStatus,
  type Actor,
  type Decision,
  type Gate,
  type Status,
  type StoredHandover,
} from '../handover.types.js';
import { applyCommand } from '../loaded-handover.js';
import { ACTORS, dueTimer, FIXTURE_POLICY, PATH_CRITERIA } from './handover-fixtures.js';

/** One command of a path, with who sends it and the status the deliverable must then be in. */
export interface HandoverPathStep {
  command: HandoverCommand;
  actor: Actor;
  expectedStatus: Status;
}

export interface HandoverPath {
  /** The status the path ends in. */
  status: Status;
  steps: HandoverPathStep[];
}

// Every command carries the same time: no rule compares a command's time with another's, and a fixed
// time keeps the events (and so the graph) finite. Replays against the API use the server's clock.
const AT = '2030-01-01T00:00:00.000Z';

const GO_LIVE = { windowStart: '2030-02-01T08:00:00.000Z', windowEnd: '2030-02-01T10:00:00.000Z' };

/**
 * The commands tried in every state: each guard has a command that passes it and, where it matters, one
 * that does not. Decisions come from two distinct approvers so quorum 2 can be reached (and from the
 * same approver twice, which must not reach it); the timer event carries the current period.
 */
export function representativeCommands(
  context: HandoverContext,
): { command: HandoverCommand; actor: Actor }[] {
  const at = AT;
  const { pmo, smo, approverA, approverB, delegate, system } = ACTORS;
  const decide = (gate: Gate, role: string, decision: Decision, actor: Actor) => ({
    command: { type: 'decide' as const, at, gate, role, decision },
    actor,
  });
  return [
    { command: { type: 'edit', at, changes: { title: 'A better title' } }, actor: pmo },
    { command: { type: 'submit', at, policy: FIXTURE_POLICY }, actor: pmo },
    { command: { type: 'resubmit', at, policy: FIXTURE_POLICY }, actor: pmo },
    { command: { type: 'attest', at, key: 'runbook', evidence: 'https://wiki/runbook' }, actor: pmo },
    { command: { type: 'waive', at, key: 'runbook', reason: 'Covered by the platform runbook' }, actor: smo },
    { command: { type: 'waive', at, key: 'tests', reason: 'Tested by the vendor' }, actor: smo },
    { command: { type: 'result', at, key: 'tests', passed: true, detail: 'CI green' }, actor: smo },
    { command: { type: 'result', at, key: 'tests', passed: false, detail: 'CI red' }, actor: smo },
    // Refused in every state (no criterion of the fixture has a probe URL): the rules and the machine agree.
    { command: { type: 'probe', at, key: 'tests' }, actor: smo },
    decide('acceptance', 'service_owner', 'approve', approverA),
    // approverA out of office: its delegate approves for it (counted as approverA's: quorum, once per round).
    {
      command: {
        type: 'decide' as const,
        at,
        gate: 'acceptance' as const,
        role: 'service_owner',
        decision: 'approve' as const,
        onBehalfOf: approverA.principalId,
        delegation: { id: 'delegation-1', roles: ['service_owner'] },
      },
      actor: delegate,
    },
    decide('acceptance', 'change_manager', 'approve', approverB),
    decide('acceptance', 'service_owner', 'request_changes', approverA),
    decide('acceptance', 'change_manager', 'reject', approverB),
    decide('acceptance', 'service_owner', 'reject_final', approverA),
    decide('els_exit', 'service_owner', 'approve', approverA),
    decide('els_exit', 'operations', 'approve', approverB),
    decide('els_exit', 'service_owner', 'request_changes', approverA),
    decide('els_exit', 'operations', 'reject', approverB),
    { command: { type: 'schedule', at, ...GO_LIVE }, actor: smo },
    { command: { type: 'confirm', at }, actor: smo },
    { command: { type: 'rollback', at, reason: 'Go-live failed' }, actor: smo },
    {
      command: { type: 'record_incident', at, reference: 'INC-1', priority: 'P1', summary: 'Outage' },
      actor: smo,
    },
    { command: { type: 'resolve_incident', at, reference: 'INC-1' }, actor: smo },
    {
      command: { type: 'timer_due', at, timer: dueTimer('els_period_end', { period: context.elsPeriod }) },
      actor: system,
    },
    // The expiry of the runbook's current pass (when it has one: else a stale timer, which nothing takes).
    {
      command: {
        type: 'timer_due',
        at,
        timer: dueTimer('attestation_expiry', {
          subject: 'runbook',
          dueAt: findCriterion(context, 'runbook')?.expiresAt ?? at,
        }),
      },
      actor: system,
    },
    // One follow-on action, A-1: created unowned during ELS (the ELS exit criterion fails), assigned to
    // approverA, who may then close it (and may not before). Once only, and only once live, so that the
    // graph grows by a few states rather than doubling all those before go-live.
    ...((context.actions ?? []).length === 0 && context.elsPeriod > 0
      ? [
          {
            command: { type: 'create_action' as const, at, title: 'Hand over known defect KD-1' },
            actor: smo,
          },
        ]
      : []),
    {
      command: { type: 'assign_action', at, key: 'A-1', ownerId: approverA.principalId },
      actor: smo,
    },
    { command: { type: 'close_action', at, key: 'A-1', note: 'Fixed in 1.0.1' }, actor: approverA },
    { command: { type: 'record_lesson', at, text: 'Book the load test earlier' }, actor: pmo },
    { command: { type: 'hold', at, reason: 'Waiting for a supplier' }, actor: pmo },
    { command: { type: 'resume', at }, actor: pmo },
    { command: { type: 'cancel', at, reason: 'Project stopped' }, actor: smo },
  ];
}

/**
 * The graph key of a snapshot: its status plus every fact a guard may read later: criteria statuses,
 * submitters, incidents, the current round's decisions where that round can still take decisions, and,
 * while on hold, where RESUME returns to. Facts no later guard can read are left out, so equivalent
 * states meet: counters that only ever match the event (round, ELS period), decisions of a round that can
 * take no more (a new round opens before the gate does again), and anything at all in a final state.
 */
export function serializeHandoverState(snapshot: HandoverSnapshot): string {
  const status = statusOf(snapshot);
  // Operational has ended the handover but still takes follow-on actions, whose guards read them.
  if (isFinalStatus(status) && status !== 'operational') return JSON.stringify({ status });
  const { context } = snapshot;
  const history = snapshot.historyValue as Readonly<Record<string, readonly { id: string }[] | undefined>>;
  const heldFrom =
    status === 'on_hold' ? (history['handover.active.held']?.[0]?.id.split('.').pop() ?? null) : null;
  const where = heldFrom ?? status;
  const decisions = (gate: 'acceptance' | 'els_exit', round: number) =>
    context.decisions
      .filter((decision) => decision.gate === gate && decision.round === round)
      .map(
        (decision) =>
          `${decision.principalId}${decision.onBehalfOf ? `>${decision.onBehalfOf}` : ''}:${decision.decision}`,
      )
      .sort();
  return JSON.stringify({
    status,
    heldFrom,
    criteria: context.criteria.map((criterion) => criterion.status),
    submitters: [...context.submitters].sort(),
    acceptance:
      where === 'readiness' || where === 'acceptance' ? decisions('acceptance', context.round) : null,
    elsExit: where === 'els_review' ? decisions('els_exit', context.elsRound) : null,
    incidents: context.incidents.map(
      (incident) => `${incident.reference}:${incident.priority}:${incident.resolvedAt === null}`,
    ),
    // No guard reads it, but without it an extension would loop back to the same key and no path
    // would take it.
    extended: where === 'early_life_support' || where === 'els_review' ? context.elsExtensions > 0 : null,
    // The one action the representative commands make: whether there is one, its owner, open or closed.
    // Only in early life support, where the end of a period reads it (an open action without an owner
    // extends ELS). Elsewhere its commands loop back to the same key, so the graph grows by the ELS states
    // alone; taking actions in the other statuses is covered by follow-on-actions.spec.ts and the one-rulebook
    // check, which tries every representative command in every reachable state.
    action:
      status === 'early_life_support'
        ? (context.actions ?? [])
            .filter((action) => action.key === 'A-1')
            .map((action) => `${action.status}:${action.ownerId ?? 'unowned'}`)
        : null,
  });
}

/**
 * Every shortest path through the handover machine, from a new deliverable (PATH_CRITERIA, draft) to each
 * distinct state the representative commands reach, as commands with actors and expected statuses.
 * Replay them through applyCommand, or against the HTTP API with FIXTURE_POLICY as the service tier's
 * policy, PATH_CRITERIA as the checklist and one principal per ACTORS entry.
 */
export function handoverPaths(): HandoverPath[] {
  const sent = new Map<string, { command: HandoverCommand; actor: Actor }>();
  const paths = getShortestPaths(handoverMachine, {
    input: { criteria: PATH_CRITERIA },
    serializeState: (snapshot) => serializeHandoverState(snapshot),
    events: (snapshot): HandoverEvent[] =>
      representativeCommands(snapshot.context).map(({ command, actor }) => {
        const event = toHandoverEvent(command, actor);
        sent.set(JSON.stringify(event), { command, actor });
        return event;
      }),
  });
  return paths.map((path) => ({
    status: statusOf(path.state),
    // The first step is xstate.init, the creation of the deliverable.
    steps: path.steps.slice(1).map((step) => {
      const origin = sent.get(JSON.stringify(step.event));
      if (origin === undefined) throw new Error(`No command sent ${step.event.type}`);
      return { ...origin, expectedStatus: statusOf(step.state) };
    }),
  }));
}

/** A path step replayed: the stored handover it starts from and the one it leaves, as JSON gives them back. */
export interface ReplayedStep extends HandoverPathStep {
  before: StoredHandover;
  after: StoredHandover;
}

/** Every step of the given paths, replayed through applyCommand from a new deliverable (PATH_CRITERIA). */
export function replayHandoverPaths(paths: HandoverPath[] = handoverPaths()): ReplayedStep[] {
  return paths.flatMap((path) => {
    const created = createHandover({ criteria: PATH_CRITERIA });
    let before = storedCopy({ snapshot: created.snapshot, machineVersion: created.machineVersion });
    return path.steps.map((step) => {
      const outcome = applyCommand(before, step.command, step.actor);
      const after = storedCopy({ snapshot: outcome.snapshot, machineVersion: outcome.machineVersion });
      const replayed = { ...step, before, after };
      before = after;
      return replayed;
    });
  });
}

function storedCopy(stored: StoredHandover): StoredHandover {
  return JSON.parse(JSON.stringify(stored)) as StoredHandover;
}
