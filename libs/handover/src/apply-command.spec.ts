import { describe, expect, it } from '@jest/globals';
import { applyCommand } from './loaded-handover.js';
import type { Effect } from './handover.effects.js';
import { HandoverErrorCode } from './handover.errors.js';
import { createHandover } from './handover.snapshot.js';
import { TIMER_KINDS, type Actor } from './handover.types.js';
import type { Policy } from './policy.js';
import {
  ACTORS,
  dueTimer,
  FIXTURE_CRITERIA,
  FIXTURE_POLICY,
  HandoverDriver,
  refusal,
  type CommandInput,
} from './testing/index.js';

const { pmo, smo, approverA, approverB, system } = ACTORS;
const admin: Actor = { principalId: 'admin-1', roles: ['admin'] };
const approve = (role: string, gate: 'acceptance' | 'els_exit' = 'acceptance'): CommandInput => ({
  type: 'decide',
  gate,
  role,
  decision: 'approve',
});
const decision = (verdict: 'request_changes' | 'reject_final'): CommandInput => ({
  type: 'decide',
  gate: 'acceptance',
  role: 'service_owner',
  decision: verdict,
});

/** A driver at `status` (a new one in draft) after the commands given, in order. */
function after(
  status: 'draft' | 'readiness' | 'acceptance' | 'els_review',
  ...commands: [CommandInput, Actor][]
): HandoverDriver {
  const driver = status === 'draft' ? new HandoverDriver() : HandoverDriver.at(status);
  for (const [command, actor] of commands) driver.run(command, actor);
  return driver;
}

const periodEnd = (period: number): CommandInput => ({
  type: 'timer_due',
  timer: dueTimer('els_period_end', { period }),
});
const timers = (effects: Effect[]) => effects.filter((effect) => effect.type !== 'notify');
const notices = (effects: Effect[]) => effects.filter((effect) => effect.type === 'notify');

describe('createHandover', () => {
  it('starts in draft with every criterion pending, at the current machine version', () => {
    const created = createHandover({ criteria: FIXTURE_CRITERIA });
    expect(created.status).toBe('draft');
    expect(created.machineVersion).toBe(1);
    const driver = new HandoverDriver();
    expect(driver.view.criteria.map((criterion) => criterion.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    expect(driver.view.round).toBe(0);
  });

  it('refuses a checklist with a repeated or malformed key', () => {
    const [first] = FIXTURE_CRITERIA;
    expect(refusal(() => createHandover({ criteria: [first, first] })).code).toBe(
      HandoverErrorCode.InvalidChecklist,
    );
    expect(refusal(() => createHandover({ criteria: [{ ...first, key: 'has space' }] })).code).toBe(
      HandoverErrorCode.InvalidChecklist,
    );
  });
});

describe('role rules', () => {
  it.each<[string, CommandInput, Actor]>([
    ['smo cannot submit', { type: 'submit', policy: FIXTURE_POLICY }, smo],
    ['an approver cannot submit', { type: 'submit', policy: FIXTURE_POLICY }, approverA],
    ['smo cannot edit', { type: 'edit', changes: {} }, smo],
    ['smo cannot attest', { type: 'attest', key: 'runbook', evidence: 'x' }, smo],
    ['an approver cannot hold', { type: 'hold', reason: 'x' }, approverA],
    ['a person cannot send a timer', periodEnd(0), admin],
    ['the system cannot decide', approve('service_owner'), system],
  ])('%s: ROLE_REQUIRED', (_name, command, actor) => {
    expect(refusal(() => new HandoverDriver().run(command, actor)).code).toBe(HandoverErrorCode.RoleRequired);
  });

  it.each<[string, CommandInput, Actor]>([
    ['pmo cannot waive', { type: 'waive', key: 'runbook', reason: 'x' }, pmo],
    ['pmo cannot post a result', { type: 'result', key: 'tests', passed: true }, pmo],
    ['an approver cannot post a result', { type: 'result', key: 'tests', passed: true }, approverA],
  ])('%s: ROLE_REQUIRED', (_name, command, actor) => {
    const driver = HandoverDriver.at('readiness');
    expect(refusal(() => driver.run(command, actor)).code).toBe(HandoverErrorCode.RoleRequired);
  });

  it('checks the role before the state: smo confirming a draft hears ROLE_REQUIRED... pmo hears ACTION_NOT_ALLOWED', () => {
    const driver = new HandoverDriver();
    expect(refusal(() => driver.run({ type: 'confirm' }, pmo)).code).toBe(HandoverErrorCode.RoleRequired);
    expect(refusal(() => driver.run({ type: 'confirm' }, smo)).code).toBe(HandoverErrorCode.ActionNotAllowed);
  });

  it('lets admin act as pmo and smo', () => {
    const driver = new HandoverDriver();
    driver.run({ type: 'submit', policy: FIXTURE_POLICY }, admin);
    driver.run({ type: 'waive', key: 'runbook', reason: 'Platform runbook' }, admin);
    driver.run({ type: 'result', key: 'tests', passed: true }, admin);
    expect(driver.status).toBe('acceptance');
  });

  it('gives admin no way to decide except through an approver role it holds', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(refusal(() => driver.run(approve('service_owner'), admin)).code).toBe(
      HandoverErrorCode.RoleNotHeld,
    );
    expect(refusal(() => driver.run(approve('admin'), admin)).code).toBe(HandoverErrorCode.RoleNotInPolicy);
    driver.run(approve('service_owner'), { principalId: 'admin-2', roles: ['admin', 'service_owner'] });
    expect(driver.view.gate?.approvedBy).toEqual(['admin-2']);
  });

  it('lets the system actor report results and submit', () => {
    const driver = new HandoverDriver();
    driver.run({ type: 'submit', policy: FIXTURE_POLICY }, system);
    driver.run({ type: 'result', key: 'tests', passed: true }, system);
    expect(driver.view.criteria[0]).toMatchObject({ status: 'passed', updatedBy: null });
    expect(driver.view.submittedBy).toBeNull();
  });
});

describe('submit and readiness', () => {
  it('moves draft to readiness, opens round 1 and records the submitter', () => {
    const driver = new HandoverDriver();
    const outcome = driver.submit();
    expect([outcome.fromStatus, outcome.toStatus]).toEqual(['draft', 'readiness']);
    expect(driver.view).toMatchObject({
      round: 1,
      submittedBy: 'pmo-1',
      submitters: ['pmo-1'],
      policy: FIXTURE_POLICY,
    });
    expect(notices(outcome.effects)).toEqual([
      {
        type: 'notify',
        event: 'deliverable.status_changed',
        data: { from: 'draft', to: 'readiness', action: 'submit' },
      },
    ]);
    expect(outcome.audit).toEqual({ action: 'submit', data: { policy: FIXTURE_POLICY, round: 1 } });
  });

  it('probes each automated criterion that has a probe URL, in the round just opened', () => {
    const driver = new HandoverDriver([
      {
        key: 'health',
        title: 'Health',
        practice: 'p',
        mandatory: true,
        kind: 'automated',
        probeUrl: 'https://svc/health',
      },
      { key: 'ci', title: 'CI', practice: 'p', mandatory: true, kind: 'automated' },
      { key: 'docs', title: 'Docs', practice: 'p', mandatory: true, kind: 'manual' },
    ]);
    const outcome = driver.submit();
    expect(outcome.effects.filter((effect) => effect.type === 'probe')).toEqual([
      { type: 'probe', key: 'health', round: 1, url: 'https://svc/health', requestedAt: expect.any(String) },
    ]);
  });

  it('schedules readiness reminders counted back from the target go-live, skipping those already past', () => {
    const driver = new HandoverDriver();
    const policy: Policy = { ...FIXTURE_POLICY, readinessReminders: ['P7D', 'P1D', 'PT1H'] };
    // The command runs at 2030-01-01T00:01Z; go-live three days later.
    const outcome = driver.run({ type: 'submit', policy, targetGoLive: '2030-01-04T00:01:00.000Z' }, pmo);
    expect(timers(outcome.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['readiness'] },
      { type: 'schedule_timer', kind: 'readiness', delay: 'P2D', before: 'P1D' },
      { type: 'schedule_timer', kind: 'readiness', delay: 'P2DT23H', before: 'PT1H' },
    ]);
  });

  it('refuses a policy that cannot govern a round', () => {
    const bad = { ...FIXTURE_POLICY, acceptance: { ...FIXTURE_POLICY.acceptance, quorum: 0 } };
    expect(refusal(() => new HandoverDriver().submit(bad)).code).toBe(HandoverErrorCode.InvalidPolicy);
  });

  it('goes straight to acceptance when nothing mandatory is pending at submission', () => {
    const driver = new HandoverDriver();
    driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook' }, pmo);
    driver.run({ type: 'attest', key: 'tests', evidence: 'https://ci/run/1' }, pmo);
    // An attested automated criterion is evidence of the draft: a submission asks for it again.
    expect(driver.submit().toStatus).toBe('readiness');

    const advisoryOnly = new HandoverDriver([
      { key: 'a', title: 'A', practice: 'p', mandatory: false, kind: 'manual' },
    ]);
    const outcome = advisoryOnly.submit();
    expect(outcome.toStatus).toBe('acceptance');
    expect(timers(outcome.effects)).toContainEqual({
      type: 'schedule_timer',
      kind: 'decision_overdue',
      delay: 'PT1H',
    });
    expect(timers(outcome.effects)).toContainEqual({
      type: 'schedule_timer',
      kind: 'decision_escalation',
      delay: 'PT2H',
    });
  });

  it('moves to acceptance by itself once every mandatory criterion is passed or waived, advisory ones aside', () => {
    const driver = HandoverDriver.at('readiness');
    expect(driver.run({ type: 'result', key: 'tests', passed: true }, smo).toStatus).toBe('readiness');
    const outcome = driver.run({ type: 'waive', key: 'runbook', reason: 'Covered elsewhere' }, smo);
    expect(outcome.toStatus).toBe('acceptance');
    expect(driver.view.criteria.find((criterion) => criterion.key === 'training')?.status).toBe('pending');
    expect(driver.view.criteria.find((criterion) => criterion.key === 'runbook')).toMatchObject({
      status: 'waived',
      waiverReason: 'Covered elsewhere',
      updatedBy: 'smo-1',
    });
  });

  it('goes back to readiness when a mandatory criterion fails in acceptance, and stops the decision timers', () => {
    const driver = HandoverDriver.at('acceptance');
    const outcome = driver.run({ type: 'result', key: 'tests', passed: false, detail: 'CI red' }, smo);
    expect(outcome.toStatus).toBe('readiness');
    expect(timers(outcome.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['decision_overdue', 'decision_escalation'] },
    ]);
    expect(driver.view.criteria[0]).toMatchObject({ status: 'failed', detail: 'CI red' });
  });

  it('stays in acceptance when an advisory criterion fails', () => {
    const driver = HandoverDriver.at('acceptance');
    driver.run({ type: 'waive', key: 'training', reason: 'No users yet' }, smo);
    expect(driver.status).toBe('acceptance');
  });

  it('knows each criterion and its kind', () => {
    const driver = HandoverDriver.at('readiness');
    expect(refusal(() => driver.run({ type: 'attest', key: 'nope', evidence: 'x' }, pmo)).code).toBe(
      HandoverErrorCode.UnknownCriterion,
    );
    expect(refusal(() => driver.run({ type: 'waive', key: 'nope', reason: 'x' }, smo)).code).toBe(
      HandoverErrorCode.UnknownCriterion,
    );
    expect(refusal(() => driver.run({ type: 'result', key: 'runbook', passed: true }, smo)).code).toBe(
      HandoverErrorCode.NotAutomated,
    );
  });

  it('drops a probe result from an earlier round', () => {
    const driver = HandoverDriver.at('readiness');
    const error = refusal(() => driver.run({ type: 'result', key: 'tests', passed: true, round: 0 }, system));
    expect(error.code).toBe(HandoverErrorCode.StaleResult);
    driver.run({ type: 'result', key: 'tests', passed: true, round: 1 }, system);
    expect(driver.view.criteria[0].status).toBe('passed');
  });

  it('takes waivers and results only once submitted, and edits other than the go-live only in draft and rework', () => {
    const driver = new HandoverDriver();
    expect(refusal(() => driver.run({ type: 'waive', key: 'runbook', reason: 'x' }, smo)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
    driver.run({ type: 'edit', changes: { title: 'New' } }, pmo);
    driver.submit();
    const error = refusal(() => driver.run({ type: 'edit', changes: { title: 'Newer' } }, pmo));
    expect(error.code).toBe(HandoverErrorCode.ActionNotAllowed);
    expect(error.details).toEqual({
      status: 'readiness',
      action: 'edit',
      allowedActions: ['edit', 'attest', 'hold', 'cancel'],
    });
  });

  it('moves the readiness reminders when the target go-live moves under review', () => {
    const driver = HandoverDriver.at('readiness');
    const outcome = driver.run({ type: 'edit', changes: { targetGoLive: '2030-03-01T00:00:00.000Z' } }, pmo);
    expect(outcome.toStatus).toBe('readiness');
    const kinds = timers(outcome.effects);
    expect(kinds[0]).toEqual({ type: 'cancel_timers', kinds: ['readiness'] });
    expect(
      kinds.slice(1).every((effect) => effect.type === 'schedule_timer' && effect.kind === 'readiness'),
    ).toBe(true);
    expect(kinds.length).toBeGreaterThan(1);
    expect(
      refusal(() =>
        driver.run({ type: 'edit', changes: { targetGoLive: '2030-03-02T00:00:00.000Z', title: 'x' } }, pmo),
      ).code,
    ).toBe(HandoverErrorCode.ActionNotAllowed);
  });

  it('refuses a second submission', () => {
    const driver = HandoverDriver.at('readiness');
    expect(refusal(() => driver.submit()).code).toBe(HandoverErrorCode.ActionNotAllowed);
  });
});

describe('decisions at the acceptance gate', () => {
  it('never lets a submitter decide, whatever roles it holds', () => {
    const both: Actor = { principalId: 'pm-approver', roles: ['pmo', 'service_owner', 'admin'] };
    const driver = new HandoverDriver();
    driver.submit(FIXTURE_POLICY, both);
    driver.makeReady();
    expect(refusal(() => driver.run(approve('service_owner'), both)).code).toBe(
      HandoverErrorCode.SeparationOfDuties,
    );
  });

  it('bars everyone who ever submitted, including resubmitters', () => {
    const second: Actor = { principalId: 'pmo-2', roles: ['pmo', 'change_manager'] };
    const driver = HandoverDriver.at('acceptance');
    driver.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'request_changes' },
      approverA,
    );
    driver.run({ type: 'resubmit', policy: FIXTURE_POLICY }, second);
    driver.makeReady();
    expect(driver.view).toMatchObject({ submittedBy: 'pmo-1', submitters: ['pmo-1', 'pmo-2'] });
    expect(refusal(() => driver.run(approve('change_manager'), second)).code).toBe(
      HandoverErrorCode.SeparationOfDuties,
    );
  });

  it('takes only roles of the round policy that the principal holds', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(refusal(() => driver.run(approve('operations'), approverB)).code).toBe(
      HandoverErrorCode.RoleNotInPolicy,
    );
    expect(refusal(() => driver.run(approve('change_manager'), approverA)).code).toBe(
      HandoverErrorCode.RoleNotHeld,
    );
  });

  it('takes one decision per principal per round', () => {
    const driver = HandoverDriver.at('acceptance');
    driver.run({ type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve' }, approverA);
    expect(refusal(() => driver.run(approve('service_owner'), approverA)).code).toBe(
      HandoverErrorCode.AlreadyDecided,
    );

    // One principal with two roles is still one approver.
    const twoRoles: Actor = { principalId: 'approver-c', roles: ['service_owner', 'change_manager'] };
    const other = HandoverDriver.at('acceptance');
    other.run(approve('service_owner'), twoRoles);
    expect(refusal(() => other.run(approve('change_manager'), twoRoles)).code).toBe(
      HandoverErrorCode.AlreadyDecided,
    );
    expect(other.status).toBe('acceptance');
  });

  it('approves when distinct approving principals reach the quorum', () => {
    const driver = HandoverDriver.at('acceptance');
    const first = driver.run(
      { ...approve('service_owner'), comment: 'Looks good' } as CommandInput,
      approverA,
    );
    expect(first.toStatus).toBe('acceptance');
    expect(first.audit).toEqual({
      action: 'decide',
      data: {
        gate: 'acceptance',
        role: 'service_owner',
        decision: 'approve',
        comment: 'Looks good',
        round: 1,
        approvals: 1,
        quorum: 2,
      },
    });
    const second = driver.run(approve('change_manager'), approverB);
    expect([second.fromStatus, second.toStatus]).toEqual(['acceptance', 'approved']);
    expect(second.audit?.data).toMatchObject({ approvals: 2, quorum: 2 });
    // Approval ends the readiness reminders with the decision timers (nothing is left to remind of).
    expect(timers(second.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['readiness', 'decision_overdue', 'decision_escalation'] },
    ]);
    expect(driver.view.approvals).toEqual([
      expect.objectContaining({
        gate: 'acceptance',
        round: 1,
        principalId: 'approver-a',
        decision: 'approve',
      }),
      expect.objectContaining({
        gate: 'acceptance',
        round: 1,
        principalId: 'approver-b',
        role: 'change_manager',
      }),
    ]);
  });

  it('sends back to rework on request_changes or reject, and ends as rejected on reject_final', () => {
    for (const decision of ['request_changes', 'reject'] as const) {
      const driver = HandoverDriver.at('acceptance');
      driver.run(approve('service_owner'), approverA);
      const outcome = driver.run(
        { type: 'decide', gate: 'acceptance', role: 'change_manager', decision },
        approverB,
      );
      expect(outcome.toStatus).toBe('rework');
    }
    const driver = HandoverDriver.at('acceptance');
    const outcome = driver.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'reject_final' },
      approverA,
    );
    expect(outcome.toStatus).toBe('rejected');
    expect(timers(outcome.effects)).toEqual([
      {
        type: 'cancel_timers',
        kinds: [...TIMER_KINDS],
      },
    ]);
  });

  it('lets approvers send back from readiness, but not approve or end it there', () => {
    const driver = HandoverDriver.at('readiness');
    expect(refusal(() => driver.run(approve('service_owner'), approverA)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
    expect(
      refusal(() =>
        driver.run(
          { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'reject_final' },
          approverA,
        ),
      ).code,
    ).toBe(HandoverErrorCode.ActionNotAllowed);
    const outcome = driver.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'request_changes' },
      approverA,
    );
    expect(outcome.toStatus).toBe('rework');
  });

  it('takes decisions only at the current gate', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(refusal(() => driver.run(approve('service_owner', 'els_exit'), approverA)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
    const approved = HandoverDriver.at('approved');
    const other: Actor = { principalId: 'approver-c', roles: ['service_owner'] };
    expect(refusal(() => approved.run(approve('service_owner'), other)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
  });

  it('opens a new round at resubmission: earlier approvals no longer count, earlier deciders decide again', () => {
    const driver = HandoverDriver.at('acceptance');
    driver.run(approve('service_owner'), approverA);
    driver.run(
      { type: 'decide', gate: 'acceptance', role: 'change_manager', decision: 'request_changes' },
      approverB,
    );
    const resubmitted = driver.run({ type: 'resubmit', policy: FIXTURE_POLICY }, pmo);
    expect(resubmitted.audit?.data).toMatchObject({ round: 2 });
    // The automated result belonged to round 1; the manual attestation stands.
    expect(driver.view.criteria.map((criterion) => criterion.status)).toEqual([
      'pending',
      'passed',
      'pending',
    ]);
    driver.run({ type: 'result', key: 'tests', passed: true }, smo);
    expect(driver.status).toBe('acceptance');
    driver.run(approve('change_manager'), approverB);
    // approver-a's round 1 approval would make two; it does not count.
    expect(driver.status).toBe('acceptance');
    expect(driver.view.gate).toMatchObject({ round: 2, approvedBy: ['approver-b'] });
    driver.run(approve('service_owner'), approverA);
    expect(driver.status).toBe('approved');
  });

  it('keeps a waiver across rounds but asks again for automated evidence', () => {
    const driver = HandoverDriver.at('readiness');
    driver.run({ type: 'waive', key: 'tests', reason: 'Vendor-tested' }, smo);
    driver.run({ type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'reject' }, approverA);
    driver.run({ type: 'resubmit', policy: FIXTURE_POLICY }, pmo);
    expect(driver.view.criteria[0].status).toBe('waived');
  });

  it('governs the round with the policy given at its submission', () => {
    const one: Policy = { ...FIXTURE_POLICY, acceptance: { ...FIXTURE_POLICY.acceptance, quorum: 1 } };
    const driver = HandoverDriver.at('acceptance');
    driver.run({ type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'reject' }, approverA);
    driver.run({ type: 'resubmit', policy: one }, pmo);
    driver.makeReady();
    driver.run(approve('change_manager'), approverB);
    expect(driver.status).toBe('approved');
  });
});

describe('go-live', () => {
  it('schedules a window that ends after it starts, and moves it while scheduled', () => {
    const driver = HandoverDriver.at('approved');
    const error = refusal(() =>
      driver.run(
        { type: 'schedule', windowStart: '2030-02-01T10:00:00Z', windowEnd: '2030-02-01T10:00:00Z' },
        smo,
      ),
    );
    expect(error.code).toBe(HandoverErrorCode.InvalidWindow);
    const first = driver.run(
      { type: 'schedule', windowStart: '2030-02-01T10:00:00Z', windowEnd: '2030-02-01T12:00:00Z' },
      smo,
    );
    expect(first.toStatus).toBe('scheduled');
    // The reminder (FIXTURE_POLICY: PT1H before) counts back from the window's start; this command runs at
    // 00:07 (the driver's clock moves a minute per command, the refused one too).
    expect(timers(first.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['readiness'] },
      { type: 'schedule_timer', kind: 'readiness', delay: 'P31DT8H53M', before: 'PT1H' },
    ]);
    const moved = driver.run(
      { type: 'schedule', windowStart: '2030-03-01T10:00:00Z', windowEnd: '2030-03-01T12:00:00Z' },
      smo,
    );
    expect(moved.toStatus).toBe('scheduled');
    expect(driver.view.goLiveWindow).toEqual({ start: '2030-03-01T10:00:00Z', end: '2030-03-01T12:00:00Z' });
  });

  it('confirms into early life support and starts its period and follow-ups', () => {
    const driver = HandoverDriver.at('scheduled');
    const outcome = driver.run({ type: 'confirm' }, smo);
    expect(outcome.toStatus).toBe('early_life_support');
    expect(timers(outcome.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['readiness', 'attestation_expiry'] },
      { type: 'schedule_timer', kind: 'els_period_end', delay: 'PT2S', period: 1 },
      { type: 'schedule_timer', kind: 'els_follow_up', delay: 'PT1S', period: 1, repeat: true },
    ]);
    expect(driver.view.els).toEqual({
      period: 1,
      extensions: 0,
      exitRound: 0,
      exitCriteria: { incidentsWithinLimits: true, actionsOwned: true },
    });
  });

  it.each(['scheduled', 'early_life_support'] as const)(
    "rolls back from %s to rework and cancels every timer but the attestations' expiry",
    (from) => {
      const driver = HandoverDriver.at(from);
      const outcome = driver.run({ type: 'rollback', reason: 'Smoke test failed' }, smo);
      expect(outcome.toStatus).toBe('rework');
      expect(timers(outcome.effects)).toEqual([
        {
          type: 'cancel_timers',
          kinds: TIMER_KINDS.filter((kind) => kind !== 'attestation_expiry'),
        },
      ]);
      expect(outcome.audit).toEqual({ action: 'rollback', data: { reason: 'Smoke test failed' } });
    },
  );

  it('does not roll back what has not gone live', () => {
    const driver = HandoverDriver.at('approved');
    expect(refusal(() => driver.run({ type: 'rollback', reason: 'x' }, smo)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
  });
});

describe('early life support', () => {
  it('records and resolves incidents by reference', () => {
    const driver = HandoverDriver.at('early_life_support');
    const record: CommandInput = {
      type: 'record_incident',
      reference: 'INC-7',
      priority: 'P2',
      summary: 'Slow',
    };
    driver.run(record, smo);
    expect(refusal(() => driver.run(record, smo)).code).toBe(HandoverErrorCode.DuplicateIncident);
    expect(refusal(() => driver.run({ type: 'resolve_incident', reference: 'INC-8' }, smo)).code).toBe(
      HandoverErrorCode.UnknownIncident,
    );
    driver.run({ type: 'resolve_incident', reference: 'INC-7' }, smo);
    expect(refusal(() => driver.run({ type: 'resolve_incident', reference: 'INC-7' }, smo)).code).toBe(
      HandoverErrorCode.IncidentAlreadyResolved,
    );
    expect(driver.view.openIncidents).toEqual([]);
    expect(driver.view.incidents).toEqual([
      expect.objectContaining({
        reference: 'INC-7',
        priority: 'P2',
        summary: 'Slow',
        resolvedAt: expect.any(String),
      }),
    ]);
  });

  it('takes incidents only during early life support and its review', () => {
    const driver = HandoverDriver.at('scheduled');
    expect(
      refusal(() =>
        driver.run({ type: 'record_incident', reference: 'INC-1', priority: 'P1', summary: 'x' }, smo),
      ).code,
    ).toBe(HandoverErrorCode.ActionNotAllowed);
    const review = HandoverDriver.at('els_review');
    review.run({ type: 'record_incident', reference: 'INC-1', priority: 'P1', summary: 'x' }, smo);
    expect(review.status).toBe('els_review');
  });

  it('extends ELS while a P1 is open, then moves to review once it is resolved', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run({ type: 'record_incident', reference: 'INC-1', priority: 'P1', summary: 'Outage' }, smo);
    const extended = driver.run(periodEnd(1), system);
    expect(extended.toStatus).toBe('early_life_support');
    expect(extended.effects).toEqual([
      { type: 'schedule_timer', kind: 'els_period_end', delay: 'PT2S', period: 2 },
      {
        type: 'notify',
        event: 'els.extended',
        data: {
          period: 2,
          extensions: 1,
          extendedBy: 'PT2S',
          reason: 'exit_criteria_not_met',
          unmet: ['incidents'],
          openIncidents: { P1: 1, P2: 0, P3: 0, P4: 0 },
          actionsWithoutOwner: [],
        },
      },
    ]);
    expect(extended.audit?.data).toEqual({
      period: 1,
      outcome: 'extended',
      openIncidents: { P1: 1, P2: 0 },
      actionsWithoutOwner: [],
    });
    expect(driver.view.els).toMatchObject({ period: 2, extensions: 1, exitRound: 0 });

    // The first period's timer, delivered again, is stale.
    expect(refusal(() => driver.run(periodEnd(1), system)).code).toBe(HandoverErrorCode.StaleTimer);

    driver.run({ type: 'resolve_incident', reference: 'INC-1' }, smo);
    const review = driver.run(periodEnd(2), system);
    expect(review.toStatus).toBe('els_review');
    expect(timers(review.effects)).toEqual([
      { type: 'cancel_timers', kinds: ['els_follow_up', 'decision_overdue', 'decision_escalation'] },
      { type: 'schedule_timer', kind: 'decision_overdue', delay: 'PT1H' },
      { type: 'schedule_timer', kind: 'decision_escalation', delay: 'PT2H' },
    ]);
    expect(driver.view.els.exitRound).toBe(1);
  });

  it('tolerates open P2 incidents up to the policy limit', () => {
    const lenient: Policy = { ...FIXTURE_POLICY, elsExitMaxOpenIncidents: { P1: 0, P2: 1 } };
    const driver = new HandoverDriver();
    driver.submit(lenient);
    driver.makeReady();
    driver.approveAcceptance();
    driver.goLive();
    driver.run({ type: 'record_incident', reference: 'INC-1', priority: 'P2', summary: 'Slow' }, smo);
    driver.run({ type: 'record_incident', reference: 'INC-2', priority: 'P3', summary: 'Typo' }, smo);
    expect(driver.elapseElsPeriod().toStatus).toBe('els_review');

    const strict = HandoverDriver.at('early_life_support');
    strict.run({ type: 'record_incident', reference: 'INC-1', priority: 'P2', summary: 'Slow' }, smo);
    expect(strict.elapseElsPeriod().toStatus).toBe('early_life_support');
  });

  it('treats timers as stale outside early life support and after a rollback', () => {
    const review = HandoverDriver.at('els_review');
    expect(refusal(() => review.run(periodEnd(1), system)).code).toBe(HandoverErrorCode.StaleTimer);
    const driver = HandoverDriver.at('early_life_support');
    driver.run({ type: 'rollback', reason: 'Data loss' }, smo);
    driver.run({ type: 'resubmit', policy: FIXTURE_POLICY }, pmo);
    driver.run({ type: 'result', key: 'tests', passed: true }, smo);
    driver.approveAcceptance();
    driver.goLive();
    // Periods continue across go-lives, so the first go-live's timer cannot end the second's period.
    expect(driver.view.els.period).toBe(2);
    expect(refusal(() => driver.run(periodEnd(1), system)).code).toBe(HandoverErrorCode.StaleTimer);
    expect(driver.elapseElsPeriod().toStatus).toBe('els_review');
  });

  it('defers a current timer while on hold: not stale, just not now', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run({ type: 'hold', reason: 'Freeze' }, smo);
    expect(refusal(() => driver.run(periodEnd(1), system)).code).toBe(HandoverErrorCode.TimerWaits);
    driver.run({ type: 'resume' }, smo);
    expect(driver.elapseElsPeriod().toStatus).toBe('els_review');
  });
});

describe('decisions at the ELS exit gate', () => {
  it('hands over to operations when distinct approvers reach the quorum', () => {
    const driver = HandoverDriver.at('els_review');
    expect(driver.run(approve('service_owner', 'els_exit'), approverA).toStatus).toBe('els_review');
    const outcome = driver.run(approve('operations', 'els_exit'), approverB);
    expect([outcome.fromStatus, outcome.toStatus]).toEqual(['els_review', 'operational']);
    expect(outcome.audit?.data).toMatchObject({ gate: 'els_exit', round: 1, approvals: 2, quorum: 2 });
  });

  it.each(['request_changes', 'reject'] as const)('extends ELS by another period on %s', (decision) => {
    const driver = HandoverDriver.at('els_review');
    driver.run(approve('service_owner', 'els_exit'), approverA);
    const outcome = driver.run({ type: 'decide', gate: 'els_exit', role: 'operations', decision }, approverB);
    expect(outcome.toStatus).toBe('early_life_support');
    expect(outcome.effects).toEqual([
      { type: 'cancel_timers', kinds: ['els_follow_up', 'decision_overdue', 'decision_escalation'] },
      { type: 'schedule_timer', kind: 'els_period_end', delay: 'PT2S', period: 2 },
      { type: 'schedule_timer', kind: 'els_follow_up', delay: 'PT1S', period: 2, repeat: true },
      {
        type: 'notify',
        event: 'els.extended',
        data: {
          period: 2,
          extensions: 1,
          extendedBy: 'PT2S',
          reason: 'exit_decision',
          openIncidents: { P1: 0, P2: 0, P3: 0, P4: 0 },
          actionsWithoutOwner: [],
        },
      },
      {
        type: 'notify',
        event: 'deliverable.status_changed',
        data: {
          from: 'els_review',
          to: 'early_life_support',
          action: 'decide',
          principalId: 'approver-b',
          onBehalfOf: null,
        },
      },
    ]);
    // Back in review, a new exit round: approver-a's approval no longer counts and it decides again.
    driver.elapseElsPeriod();
    expect(driver.view.gate).toMatchObject({ gate: 'els_exit', round: 2, approvedBy: [] });
    driver.run(approve('operations', 'els_exit'), approverB);
    expect(driver.status).toBe('els_review');
    driver.run(approve('service_owner', 'els_exit'), approverA);
    expect(driver.status).toBe('operational');
  });

  it('has no final rejection at the ELS exit: the service is live', () => {
    const driver = HandoverDriver.at('els_review');
    const error = refusal(() =>
      driver.run(
        { type: 'decide', gate: 'els_exit', role: 'service_owner', decision: 'reject_final' },
        approverA,
      ),
    );
    expect(error.code).toBe(HandoverErrorCode.ActionNotAllowed);
  });

  it('applies separation of duties and the ELS exit roles', () => {
    const driver = HandoverDriver.at('els_review');
    expect(refusal(() => driver.run(approve('change_manager', 'els_exit'), approverB)).code).toBe(
      HandoverErrorCode.RoleNotInPolicy,
    );
    expect(refusal(() => driver.run(approve('service_owner', 'acceptance'), approverA)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
  });
});

describe('hold, resume and cancel', () => {
  const roads = {
    draft: () => new HandoverDriver(),
    readiness: () => HandoverDriver.at('readiness'),
    acceptance: () => HandoverDriver.at('acceptance'),
    rework: () => after('readiness', [decision('request_changes'), approverA]),
    approved: () => HandoverDriver.at('approved'),
    scheduled: () => HandoverDriver.at('scheduled'),
    early_life_support: () => HandoverDriver.at('early_life_support'),
    els_review: () => HandoverDriver.at('els_review'),
  };

  it.each(Object.keys(roads) as (keyof typeof roads)[])('holds %s and resumes into it', (status) => {
    const driver = roads[status]();
    expect(driver.status).toBe(status);
    const held = driver.run({ type: 'hold', reason: 'Budget review' }, pmo);
    expect(held.toStatus).toBe('on_hold');
    // Timers are paused by the application, not cancelled: the only effect is the status change.
    expect(held.effects).toEqual([
      {
        type: 'notify',
        event: 'deliverable.status_changed',
        data: { from: status, to: 'on_hold', action: 'hold' },
      },
    ]);
    expect(driver.view.hold).toEqual({ reason: 'Budget review', at: expect.any(String), heldFrom: status });
    const resumed = driver.run({ type: 'resume' }, smo);
    expect(resumed.toStatus).toBe(status);
    expect(driver.view.hold).toBeNull();
  });

  it('keeps the held state facts: approvals given before the hold still count after it', () => {
    const driver = HandoverDriver.at('acceptance');
    driver.run(approve('service_owner'), approverA);
    driver.run({ type: 'hold', reason: 'x' }, pmo);
    driver.run({ type: 'resume' }, pmo);
    driver.run(approve('change_manager'), approverB);
    expect(driver.status).toBe('approved');
  });

  it('does not hold twice, nor resume what is not held', () => {
    const driver = new HandoverDriver();
    expect(refusal(() => driver.run({ type: 'resume' }, pmo)).code).toBe(HandoverErrorCode.ActionNotAllowed);
    driver.run({ type: 'hold', reason: 'x' }, pmo);
    const error = refusal(() => driver.run({ type: 'hold', reason: 'again' }, pmo));
    expect(error.code).toBe(HandoverErrorCode.ActionNotAllowed);
    expect(error.details).toMatchObject({ status: 'on_hold', allowedActions: ['resume', 'cancel'] });
  });

  it('cancels from any non-final status, on hold too, and cancels every timer', () => {
    for (const road of Object.values(roads)) {
      const driver = road();
      const outcome = driver.run({ type: 'cancel', reason: 'Project stopped' }, smo);
      expect(outcome.toStatus).toBe('cancelled');
      expect(outcome.effects[0]).toEqual({
        type: 'cancel_timers',
        kinds: [...TIMER_KINDS],
      });
    }
    const held = new HandoverDriver();
    held.run({ type: 'hold', reason: 'x' }, pmo);
    expect(held.run({ type: 'cancel', reason: 'y' }, pmo).toStatus).toBe('cancelled');
  });
});

describe('final statuses', () => {
  const finals = {
    cancelled: () => after('draft', [{ type: 'cancel', reason: 'x' }, pmo]),
    rejected: () => after('acceptance', [decision('reject_final'), approverA]),
    operational: () =>
      after(
        'els_review',
        [approve('service_owner', 'els_exit'), approverA],
        [approve('operations', 'els_exit'), approverB],
      ),
  };

  it.each(Object.keys(finals) as (keyof typeof finals)[])('%s takes no command of the handover', (status) => {
    const driver = finals[status]();
    expect(driver.status).toBe(status);
    const attempts: [CommandInput, Actor][] = [
      [{ type: 'hold', reason: 'x' }, pmo],
      [{ type: 'resume' }, pmo],
      [{ type: 'cancel', reason: 'x' }, smo],
      [{ type: 'edit', changes: {} }, pmo],
      [{ type: 'resubmit', policy: FIXTURE_POLICY }, pmo],
      [{ type: 'attest', key: 'runbook', evidence: 'x' }, pmo],
      [{ type: 'rollback', reason: 'x' }, smo],
      [{ type: 'record_incident', reference: 'INC-9', priority: 'P1', summary: 'x' }, smo],
      [approve('service_owner', 'els_exit'), { principalId: 'approver-z', roles: ['service_owner'] }],
    ];
    for (const [command, actor] of attempts) {
      const error = refusal(() => driver.run(command, actor));
      expect({ command: command.type, code: error.code, allowed: error.details.allowedActions }).toEqual({
        command: command.type,
        code: HandoverErrorCode.ActionNotAllowed,
        // A live service still records follow-on actions and lessons learned.
        allowed:
          status === 'operational' && actor.roles.some((r) => r === 'pmo' || r === 'smo')
            ? ['create_action', 'record_lesson']
            : [],
      });
    }
    expect(refusal(() => driver.run(periodEnd(1), system)).code).toBe(HandoverErrorCode.StaleTimer);
  });
});

describe('applyCommand purity', () => {
  it('returns plain JSON and leaves its input untouched', () => {
    const driver = HandoverDriver.at('readiness');
    const before = JSON.stringify(driver.stored);
    const outcome = applyCommand(
      driver.stored,
      { type: 'result', at: '2030-01-01T00:00:00Z', key: 'tests', passed: true },
      smo,
    );
    expect(JSON.stringify(driver.stored)).toBe(before);
    expect(JSON.parse(JSON.stringify(outcome.snapshot))).toEqual(outcome.snapshot);
    const again = applyCommand(
      driver.stored,
      { type: 'result', at: '2030-01-01T00:00:00Z', key: 'tests', passed: true },
      smo,
    );
    const written = ({ snapshot, effects, audit, fromStatus, toStatus }: typeof outcome) => ({
      snapshot,
      effects,
      audit,
      fromStatus,
      toStatus,
    });
    expect(written(again)).toEqual(written(outcome));
    expect(again.after.describe()).toEqual(outcome.after.describe());
  });

  it('refuses malformed commands', () => {
    const driver = HandoverDriver.at('early_life_support');
    const bad = { type: 'record_incident', at: 'yesterday', reference: 'INC-1', priority: 'P0', summary: '' };
    const error = refusal(() => applyCommand(driver.stored, bad as never, smo));
    expect(error.code).toBe(HandoverErrorCode.InvalidCommand);
    expect(error.details.problems).toHaveLength(3);
  });
});

describe('timers that come due (TIMER_DUE)', () => {
  const due = (
    kind: Parameters<typeof dueTimer>[0],
    fields: Parameters<typeof dueTimer>[1] = {},
  ): CommandInput => ({
    type: 'timer_due',
    timer: dueTimer(kind, fields),
  });

  it('sends a readiness reminder as a notice that changes nothing: no audit event, same snapshot', () => {
    const driver = HandoverDriver.at('readiness');
    const before = JSON.stringify(driver.stored.snapshot);
    const fired = driver.run(due('readiness', { before: 'PT1H' }), system);
    expect(fired.audit).toBeNull();
    expect(fired.toStatus).toBe('readiness');
    expect(JSON.stringify(fired.snapshot)).toBe(before);
    expect(fired.effects).toEqual([
      {
        type: 'notify',
        event: 'reminder.readiness',
        data: { kind: 'readiness', dueAt: '2030-01-01T00:00:00.000Z', status: 'readiness', before: 'PT1H' },
      },
    ]);
  });

  it('names the roles still awaited in a decision reminder, and sends the escalation to the SMO', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(driver.run(due('decision_overdue'), system).effects).toEqual([
      {
        type: 'notify',
        event: 'reminder.decision_overdue',
        data: {
          kind: 'decision_overdue',
          dueAt: '2030-01-01T00:00:00.000Z',
          status: 'acceptance',
          awaitingRoles: ['service_owner', 'change_manager'],
        },
      },
    ]);
    expect(notices(driver.run(due('decision_escalation'), system).effects)[0]).toMatchObject({
      event: 'reminder.decision_escalation',
      data: { escalateTo: 'smo', awaitingRoles: ['service_owner', 'change_manager'] },
    });
  });

  it('schedules the next ELS follow-up when one fires, and only during early life support', () => {
    const driver = HandoverDriver.at('early_life_support');
    const fired = driver.run(due('els_follow_up', { period: 1, repeatEvery: 'PT1S' }), system);
    expect(fired.audit).toBeNull();
    expect(fired.effects).toEqual([
      {
        type: 'notify',
        event: 'els.follow_up',
        data: { kind: 'els_follow_up', dueAt: '2030-01-01T00:00:00.000Z', status: 'early_life_support' },
      },
      { type: 'schedule_timer', kind: 'els_follow_up', delay: 'PT1S', period: 1, repeat: true },
    ]);
    const review = HandoverDriver.at('els_review');
    expect(refusal(() => review.run(due('els_follow_up'), system)).code).toBe(HandoverErrorCode.StaleTimer);
  });

  it('drops a timer its state does not take, waits while on hold, and needs the system to send it', () => {
    const approved = HandoverDriver.at('approved');
    expect(refusal(() => approved.run(due('readiness'), system)).code).toBe(HandoverErrorCode.StaleTimer);
    const readiness = HandoverDriver.at('readiness');
    expect(refusal(() => readiness.run(due('decision_overdue'), system)).code).toBe(
      HandoverErrorCode.StaleTimer,
    );
    readiness.run({ type: 'hold', reason: 'Supplier' }, pmo);
    expect(refusal(() => readiness.run(due('readiness'), system)).code).toBe(HandoverErrorCode.TimerWaits);
    readiness.run({ type: 'resume' }, pmo);
    expect(readiness.run(due('readiness'), system).effects).toHaveLength(1);
    expect(refusal(() => readiness.run(due('readiness'), smo)).code).toBe(HandoverErrorCode.RoleRequired);
  });
});
