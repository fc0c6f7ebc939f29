import type { CommandOutcome } from '../apply-command.js';
import type { CriterionSpec } from '../criterion.js';
import type { HandoverView } from '../describe-handover.js';
import type { HandoverCommand } from '../handover.commands.js';
import { HandoverError } from '../handover.errors.js';
import { createHandover } from '../handover.snapshot.js';
import type { Actor, Status, StoredHandover } from '../handover.types.js';
import { applyCommand, describeHandover } from '../loaded-handover.js';
import type { Policy } from '../policy.js';
import type { DueTimer } from '../rules/index.js';
import type { TimerKind } from '../handover.types.js';

/** The principals of the fixtures and the model paths; an end-to-end run creates one per name. */
export const ACTORS = {
  pmo: { principalId: 'pmo-1', roles: ['pmo'] },
  smo: { principalId: 'smo-1', roles: ['smo'] },
  approverA: { principalId: 'approver-a', roles: ['service_owner'] },
  approverB: { principalId: 'approver-b', roles: ['change_manager', 'operations'] },
  /** Holds no approver role of its own: decides only as approverA's delegate (service_owner lent). */
  delegate: { principalId: 'delegate-1', roles: ['auditor'] },
  system: { principalId: null, roles: [] },
} as const satisfies Record<string, Actor>;

/** A small policy: quorum 2 at both gates so that distinct approvers matter, and durations in seconds. */
export const FIXTURE_POLICY: Policy = {
  acceptance: { roles: ['service_owner', 'change_manager'], quorum: 2, decisionSla: 'PT1H' },
  elsExit: { roles: ['service_owner', 'operations'], quorum: 2, decisionSla: 'PT1H' },
  elsDuration: 'PT2S',
  elsFollowUpEvery: 'PT1S',
  elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
  readinessReminders: ['PT1H'],
};

/**
 * Two mandatory criteria (one automated, with no probe URL so results come from the steps, one manual)
 * and one advisory: enough for every guard, small enough to walk every state.
 */
export const FIXTURE_CRITERIA: CriterionSpec[] = [
  {
    key: 'tests',
    title: 'Tests passed',
    practice: 'service validation and testing',
    mandatory: true,
    kind: 'automated',
  },
  {
    key: 'runbook',
    title: 'Runbook published',
    practice: 'knowledge management',
    mandatory: true,
    kind: 'manual',
  },
  {
    key: 'training',
    title: 'Users trained',
    practice: 'organizational change management',
    mandatory: false,
    kind: 'manual',
  },
];

/**
 * The model's checklist (handoverPaths): the fixture's, the runbook's attestation good for 5 seconds, so the
 * paths take its expiry too. Over HTTP the seconds are real: only paths that take the expiry run on a tier
 * whose checklist says so (test/e2e/model-paths.spec.ts).
 */
export const PATH_VALID_FOR = 'PT5S';
export const PATH_CRITERIA: CriterionSpec[] = FIXTURE_CRITERIA.map((criterion) =>
  criterion.key === 'runbook' ? { ...criterion, validFor: PATH_VALID_FOR } : criterion,
);

/** A timer of `kind` come due, as the command path reads it from its row (an ELS timer of `period`). */
export function dueTimer(kind: TimerKind, fields: Partial<DueTimer> = {}): DueTimer {
  return {
    id: `${kind}-timer`,
    kind,
    dueAt: '2030-01-01T00:00:00.000Z',
    period: kind === 'els_period_end' || kind === 'els_follow_up' ? 1 : null,
    before: kind === 'readiness' ? 'PT1H' : null,
    repeatEvery: kind === 'els_follow_up' ? 'PT1S' : null,
    subject: null,
    ...fields,
  };
}

export type CommandInput = HandoverCommand extends infer C
  ? C extends HandoverCommand
    ? Omit<C, 'at'>
    : never
  : never;

/**
 * Drives one handover through applyCommand the way the command path does: every step stores the snapshot
 * as JSON text and reads it back, so nothing survives that the database would not keep.
 */
export class HandoverDriver {
  stored: StoredHandover;
  private clock = Date.parse('2030-01-01T00:00:00.000Z');

  constructor(criteria: CriterionSpec[] = FIXTURE_CRITERIA) {
    const created = createHandover({ criteria });
    this.stored = { snapshot: created.snapshot, machineVersion: created.machineVersion };
  }

  /** The time of the next command: one minute after the last. */
  nextAt(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  run(command: CommandInput, actor: Actor): CommandOutcome {
    const outcome = applyCommand(this.stored, { ...command, at: this.nextAt() }, actor);
    this.stored = JSON.parse(
      JSON.stringify({ snapshot: outcome.snapshot, machineVersion: outcome.machineVersion }),
    ) as StoredHandover;
    return outcome;
  }

  get view(): HandoverView {
    return describeHandover(this.stored);
  }

  get status(): Status {
    return this.view.status;
  }

  // Shortcuts for the common road, each one command.
  submit(policy: Policy = FIXTURE_POLICY, actor: Actor = ACTORS.pmo): CommandOutcome {
    return this.run({ type: 'submit', policy }, actor);
  }

  makeReady(): void {
    this.run({ type: 'result', key: 'tests', passed: true }, ACTORS.smo);
    this.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook' }, ACTORS.pmo);
  }

  approveAcceptance(): void {
    this.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve' },
      ACTORS.approverA,
    );
    this.run(
      { type: 'decide', gate: 'acceptance', role: 'change_manager', decision: 'approve' },
      ACTORS.approverB,
    );
  }

  goLive(): void {
    this.run(
      { type: 'schedule', windowStart: '2030-02-01T08:00:00.000Z', windowEnd: '2030-02-01T10:00:00.000Z' },
      ACTORS.smo,
    );
    this.run({ type: 'confirm' }, ACTORS.smo);
  }

  elapseElsPeriod(): CommandOutcome {
    return this.run(
      { type: 'timer_due', timer: dueTimer('els_period_end', { period: this.view.els.period }) },
      ACTORS.system,
    );
  }

  /** draft -> ... -> the given status along the shortest road. */
  static at(
    status: 'readiness' | 'acceptance' | 'approved' | 'scheduled' | 'early_life_support' | 'els_review',
  ): HandoverDriver {
    const driver = new HandoverDriver();
    driver.submit();
    if (status === 'readiness') return driver;
    driver.makeReady();
    if (status === 'acceptance') return driver;
    driver.approveAcceptance();
    if (status === 'approved') return driver;
    driver.run(
      { type: 'schedule', windowStart: '2030-02-01T08:00:00.000Z', windowEnd: '2030-02-01T10:00:00.000Z' },
      ACTORS.smo,
    );
    if (status === 'scheduled') return driver;
    driver.run({ type: 'confirm' }, ACTORS.smo);
    if (status === 'early_life_support') return driver;
    driver.elapseElsPeriod();
    return driver;
  }
}

/** Runs `act`, which must throw a HandoverError, and returns it (for assertions on its code and details). */
export function refusal(act: () => unknown): HandoverError {
  try {
    act();
  } catch (error) {
    if (error instanceof HandoverError) return error;
    throw error;
  }
  throw new Error('Expected a HandoverError, but the command was accepted');
}
