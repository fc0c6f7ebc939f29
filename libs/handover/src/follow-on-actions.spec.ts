import { describe, expect, it } from '@jest/globals';
import { HandoverErrorCode } from './handover.errors.js';
import { restoreHandover } from './handover.snapshot.js';
import type { Actor } from './handover.types.js';
import { allowedActions } from './loaded-handover.js';
import { elsExitCriteriaMet } from './rules/index.js';
import {
  ACTORS,
  dueTimer,
  FIXTURE_POLICY,
  HandoverDriver,
  refusal,
  type CommandInput,
} from './testing/index.js';

const { pmo, smo, approverA, approverB, system } = ACTORS;
const owner: Actor = { principalId: 'owner-1', roles: ['operations'] };
const DUE = '2030-06-01T00:00:00.000Z';

const create = (fields: Partial<Extract<CommandInput, { type: 'create_action' }>> = {}): CommandInput => ({
  type: 'create_action',
  title: 'Hand over known defect KD-1',
  ...fields,
});

function inOperational(): HandoverDriver {
  const driver = HandoverDriver.at('els_review');
  driver.run({ type: 'decide', gate: 'els_exit', role: 'service_owner', decision: 'approve' }, approverA);
  driver.run({ type: 'decide', gate: 'els_exit', role: 'operations', decision: 'approve' }, approverB);
  expect(driver.status).toBe('operational');
  return driver;
}

describe('follow-on actions', () => {
  it('are created from scheduled to operational, numbered, with their due reminder and action.created', () => {
    for (const driver of [
      HandoverDriver.at('scheduled'),
      HandoverDriver.at('early_life_support'),
      HandoverDriver.at('els_review'),
      inOperational(),
    ]) {
      const outcome = driver.run(create({ ownerId: 'owner-1', dueAt: DUE }), smo);
      expect(outcome.fromStatus).toBe(outcome.toStatus);
      expect(outcome.audit).toMatchObject({ action: 'create_action', data: { key: 'A-1', dueAt: DUE } });
      expect(outcome.effects).toEqual([
        { type: 'schedule_timer', kind: 'action_due', delay: expect.any(String), subject: 'A-1' },
        {
          type: 'notify',
          event: 'action.created',
          data: {
            key: 'A-1',
            title: 'Hand over known defect KD-1',
            ownerId: 'owner-1',
            dueAt: DUE,
            status: 'open',
          },
        },
      ]);
      expect(driver.run(create(), pmo).effects.map((effect) => effect.type)).toEqual(['notify']);
      expect(driver.view.actions.map(({ key, status }) => [key, status])).toEqual([
        ['A-1', 'open'],
        ['A-2', 'open'],
      ]);
    }
  });

  it('are refused before go-live is scheduled, on hold, and with a due date not ahead', () => {
    for (const driver of [
      new HandoverDriver(),
      HandoverDriver.at('acceptance'),
      HandoverDriver.at('approved'),
    ]) {
      expect(refusal(() => driver.run(create(), smo)).code).toBe(HandoverErrorCode.ActionNotAllowed);
    }
    const held = HandoverDriver.at('early_life_support');
    held.run({ type: 'hold', reason: 'x' }, smo);
    expect(refusal(() => held.run(create(), smo)).code).toBe(HandoverErrorCode.ActionNotAllowed);
    const els = HandoverDriver.at('early_life_support');
    expect(refusal(() => els.run(create({ dueAt: '2029-01-01T00:00:00.000Z' }), smo)).code).toBe(
      HandoverErrorCode.DueDatePast,
    );
    expect(refusal(() => els.run(create(), owner)).code).toBe(HandoverErrorCode.RoleRequired);
  });

  it('are assigned by pmo or smo; a due date given moves the reminder, a new owner alone does not', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run(create({ dueAt: DUE }), smo);
    expect(
      refusal(() => driver.run({ type: 'assign_action', key: 'A-9', ownerId: 'owner-1' }, smo)).code,
    ).toBe(HandoverErrorCode.UnknownAction);
    expect(
      refusal(() => driver.run({ type: 'assign_action', key: 'A-1', ownerId: 'owner-1' }, owner)).code,
    ).toBe(HandoverErrorCode.RoleRequired);
    expect(driver.run({ type: 'assign_action', key: 'A-1', ownerId: 'owner-1' }, pmo).effects).toEqual([]);
    const moved = driver.run(
      { type: 'assign_action', key: 'A-1', ownerId: 'owner-1', dueAt: '2030-07-01T00:00:00.000Z' },
      smo,
    );
    expect(moved.effects).toEqual([
      { type: 'schedule_timer', kind: 'action_due', delay: expect.any(String), subject: 'A-1' },
    ]);
    expect(driver.view.actions[0]).toMatchObject({ ownerId: 'owner-1', dueAt: '2030-07-01T00:00:00.000Z' });
  });

  it('are closed by their owner, the PMO or the SMO, once', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run(create({ ownerId: 'owner-1' }), smo);
    driver.run(create(), smo);
    expect(allowedActions(driver.stored, owner)).toEqual(['close_action']);
    expect(refusal(() => driver.run({ type: 'close_action', key: 'A-2' }, owner)).code).toBe(
      HandoverErrorCode.RoleRequired,
    );
    expect(refusal(() => driver.run({ type: 'close_action', key: 'A-1' }, approverA)).code).toBe(
      HandoverErrorCode.RoleRequired,
    );
    const closed = driver.run({ type: 'close_action', key: 'A-1', note: 'fixed' }, owner);
    expect(closed.effects).toEqual([
      {
        type: 'notify',
        event: 'action.closed',
        data: {
          key: 'A-1',
          title: 'Hand over known defect KD-1',
          ownerId: 'owner-1',
          dueAt: null,
          status: 'closed',
          note: 'fixed',
        },
      },
    ]);
    expect(driver.view.actions[0]).toMatchObject({ status: 'closed', closedBy: 'owner-1', note: 'fixed' });
    expect(refusal(() => driver.run({ type: 'close_action', key: 'A-1' }, smo)).code).toBe(
      HandoverErrorCode.ActionAlreadyClosed,
    );
    expect(driver.run({ type: 'close_action', key: 'A-2' }, pmo).toStatus).toBe('early_life_support');
    expect(allowedActions(driver.stored, owner)).toEqual([]);
  });
});

describe('the action_due reminder', () => {
  const due = (driver: HandoverDriver, dueAt = DUE) =>
    driver.run({ type: 'timer_due', timer: dueTimer('action_due', { subject: 'A-1', dueAt }) }, system);

  it('reminds the owner while the action is open and due then', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run(create({ ownerId: 'owner-1', dueAt: DUE }), smo);
    const fired = due(driver);
    expect(fired.audit).toBeNull();
    expect(fired.effects).toEqual([
      {
        type: 'notify',
        event: 'reminder.action_due',
        data: {
          kind: 'action_due',
          dueAt: DUE,
          status: 'early_life_support',
          action: { key: 'A-1', title: 'Hand over known defect KD-1' },
          ownerId: 'owner-1',
        },
      },
    ]);
  });

  it('is stale once the action is closed or its due date moved, and outlives the handover into operational', () => {
    const closed = HandoverDriver.at('early_life_support');
    closed.run(create({ dueAt: DUE }), smo);
    closed.run({ type: 'close_action', key: 'A-1' }, smo);
    expect(refusal(() => due(closed)).code).toBe(HandoverErrorCode.StaleTimer);

    const moved = HandoverDriver.at('early_life_support');
    moved.run(create({ dueAt: DUE }), smo);
    moved.run(
      { type: 'assign_action', key: 'A-1', ownerId: 'owner-1', dueAt: '2030-07-01T00:00:00.000Z' },
      smo,
    );
    expect(refusal(() => due(moved)).code).toBe(HandoverErrorCode.StaleTimer);
    expect(due(moved, '2030-07-01T00:00:00.000Z').effects[0]).toMatchObject({ event: 'reminder.action_due' });

    const live = HandoverDriver.at('els_review');
    live.run(create({ ownerId: 'owner-1', dueAt: DUE }), smo);
    live.run({ type: 'decide', gate: 'els_exit', role: 'service_owner', decision: 'approve' }, approverA);
    const done = live.run(
      { type: 'decide', gate: 'els_exit', role: 'operations', decision: 'approve' },
      approverB,
    );
    expect(done.toStatus).toBe('operational');
    const cancelled = done.effects.flatMap((effect) => (effect.type === 'cancel_timers' ? effect.kinds : []));
    expect(cancelled).not.toContain('action_due');
    expect(cancelled).toContain('els_follow_up');
    expect(due(live).effects[0]).toMatchObject({
      event: 'reminder.action_due',
      data: { status: 'operational' },
    });
  });
});

describe('the ELS exit criterion on action owners', () => {
  it('extends ELS at the period end while an open action has no owner, saying so', () => {
    const driver = HandoverDriver.at('early_life_support');
    driver.run(create(), smo);
    expect(driver.view.els.exitCriteria).toEqual({ incidentsWithinLimits: true, actionsOwned: false });
    const extended = driver.elapseElsPeriod();
    expect(extended.toStatus).toBe('early_life_support');
    expect(extended.effects).toContainEqual(
      expect.objectContaining({
        event: 'els.extended',
        data: expect.objectContaining({ unmet: ['action_owners'], actionsWithoutOwner: ['A-1'] }),
      }),
    );
    driver.run({ type: 'assign_action', key: 'A-1', ownerId: 'owner-1' }, smo);
    expect(driver.elapseElsPeriod().toStatus).toBe('els_review');
  });

  it('counts only open actions, and not at all when the policy says so', () => {
    const closed = HandoverDriver.at('early_life_support');
    closed.run(create(), smo);
    closed.run({ type: 'close_action', key: 'A-1' }, smo);
    expect(closed.elapseElsPeriod().toStatus).toBe('els_review');

    const off = new HandoverDriver();
    off.submit({ ...FIXTURE_POLICY, elsExitRequiresActionOwners: false });
    off.makeReady();
    off.approveAcceptance();
    off.goLive();
    off.run(create(), smo);
    expect(elsExitCriteriaMet(restoreHandover(off.stored).context)).toBeNull();
    expect(off.elapseElsPeriod().toStatus).toBe('els_review');
  });
});

describe('lessons learned', () => {
  it('are recorded in els_review and operational by pmo or smo, and nowhere before', () => {
    for (const driver of [HandoverDriver.at('scheduled'), HandoverDriver.at('early_life_support')]) {
      expect(refusal(() => driver.run({ type: 'record_lesson', text: 'x' }, pmo)).code).toBe(
        HandoverErrorCode.ActionNotAllowed,
      );
    }
    const review = HandoverDriver.at('els_review');
    expect(refusal(() => review.run({ type: 'record_lesson', text: 'x' }, owner)).code).toBe(
      HandoverErrorCode.RoleRequired,
    );
    expect(refusal(() => review.run({ type: 'record_lesson', text: '' }, pmo)).code).toBe(
      HandoverErrorCode.InvalidCommand,
    );
    const recorded = review.run({ type: 'record_lesson', text: 'Book the load test earlier' }, pmo);
    expect(recorded.audit).toMatchObject({
      action: 'record_lesson',
      data: { text: 'Book the load test earlier' },
    });
    const live = inOperational();
    live.run({ type: 'record_lesson', text: 'Hypercare was short' }, smo);
    expect(live.view.lessons).toEqual([
      { text: 'Hypercare was short', recordedBy: 'smo-1', at: expect.any(String) },
    ]);
  });
});

describe('snapshots from before', () => {
  it('restore an operational snapshot stored as done, and take follow-on actions there', () => {
    const driver = inOperational();
    const stored = JSON.parse(JSON.stringify(driver.stored)) as {
      snapshot: Record<string, unknown>;
      machineVersion: number;
    };
    stored.snapshot.status = 'done';
    const {
      actions: _actions,
      lessons: _lessons,
      ...context
    } = stored.snapshot.context as Record<string, unknown>;
    stored.snapshot.context = context;
    driver.stored = stored;
    // XState's pure transition would take the event all the same, but the snapshot would stay "done" for
    // good: any actor started from it would ignore every event.
    expect(restoreHandover(driver.stored).snapshot.status).toBe('active');
    expect(driver.view.actions).toEqual([]);
    const outcome = driver.run(create(), smo);
    expect(outcome.toStatus).toBe('operational');
    expect(outcome.snapshot.status).toBe('active');
  });
});
