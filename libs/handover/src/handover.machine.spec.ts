import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import type { HandoverEvent } from './handover.events.js';
import { handoverMachine } from './handover.machine.js';
import { restoreHandover, statusOf, type HandoverSnapshot } from './handover.snapshot.js';
import { FIXTURE_CRITERIA, FIXTURE_POLICY, HandoverDriver } from './testing/index.js';

const at = '2030-01-01T00:00:00.000Z';

function acceptanceSnapshot(): HandoverSnapshot {
  return restoreHandover(HandoverDriver.at('acceptance').stored).snapshot;
}

/** A decision by a principal holding every role of the fixture policy: only the rules can stop it. */
function decision(principalId: string, role: string, type: HandoverEvent['type'] = 'APPROVE'): HandoverEvent {
  const principalRoles = ['service_owner', 'change_manager', 'operations'];
  return { type, at, gate: 'acceptance', principalId, principalRoles, role, comment: null } as HandoverEvent;
}

// applyCommand refuses these with coded errors first; the machine holds the same invariants on its own,
// so no other caller of the machine can break them.
describe('handoverMachine on its own', () => {
  it('ignores a decision by a submitter, by a role outside the policy, or a second one by a principal', () => {
    const snapshot = acceptanceSnapshot();
    for (const event of [decision('pmo-1', 'service_owner'), decision('approver-a', 'operations')]) {
      expect(snapshot.can(event)).toBe(false);
      const [next] = transition(handoverMachine, snapshot, event);
      expect(next.context.decisions).toEqual([]);
    }
    const [once] = transition(handoverMachine, snapshot, decision('approver-a', 'service_owner'));
    expect(once.can(decision('approver-a', 'service_owner'))).toBe(false);
    expect(once.can(decision('approver-a', 'change_manager', 'REJECT'))).toBe(false);
    expect(once.can(decision('approver-b', 'change_manager'))).toBe(true);
  });

  it('returns its effects as named actions with resolved params, for the caller to carry out', () => {
    const [draft] = initialTransition(handoverMachine, { criteria: FIXTURE_CRITERIA });
    const [next, actions] = transition(handoverMachine, draft, {
      type: 'SUBMIT',
      at,
      principalId: 'pmo-1',
      policy: FIXTURE_POLICY,
      targetGoLive: '2030-01-02T00:00:00.000Z',
    });
    expect(statusOf(next)).toBe('readiness');
    const named = actions.map((action) => ({ type: action.type, params: action.params }));
    expect(named).toContainEqual({ type: 'probe', params: { round: 1, requestedAt: at, criteria: [] } });
    expect(named).toContainEqual({
      type: 'scheduleTimers',
      params: { timers: [{ kind: 'readiness', delay: 'PT23H', before: 'PT1H' }] },
    });
  });

  it('resumes into the held state after a JSON round trip of its persisted snapshot', () => {
    const [held] = transition(handoverMachine, acceptanceSnapshot(), { type: 'HOLD', at, reason: 'x' });
    const text = JSON.stringify(handoverMachine.getPersistedSnapshot(held));
    const restored = restoreHandover({ snapshot: JSON.parse(text) as unknown, machineVersion: 1 });
    const [resumed] = transition(handoverMachine, restored.snapshot, { type: 'RESUME', at });
    expect(statusOf(resumed)).toBe('acceptance');
  });

  it('stays put in a final state', () => {
    const snapshot = restoreHandover(HandoverDriver.at('acceptance').stored).snapshot;
    const [rejected] = transition(
      handoverMachine,
      snapshot,
      decision('approver-a', 'service_owner', 'REJECT_FINAL'),
    );
    expect(rejected.status).toBe('done');
    const [after, actions] = transition(handoverMachine, rejected, { type: 'CANCEL', at, reason: 'x' });
    expect(statusOf(after)).toBe('rejected');
    expect(actions).toEqual([]);
  });
});
