import { describe, expect, it } from '@jest/globals';
import { allowedActionsOf, candidateCommands } from './allowed-actions.js';
import { refusalOf } from './command-rules.js';
import { assertWellFormed } from './handover.commands.js';
import { restoreHandover, type RestoredHandover } from './handover.snapshot.js';
import { ACTIONS, type Action, type Actor, type StoredHandover } from './handover.types.js';
import { allowedActions } from './loaded-handover.js';
import { ACTORS, HandoverDriver, refusal, replayHandoverPaths } from './testing/index.js';

const { pmo, smo, approverA, approverB, system } = ACTORS;
const admin: Actor = { principalId: 'admin-1', roles: ['admin'] };

describe('allowedActions', () => {
  it('lists what each actor may do in draft', () => {
    const { stored } = new HandoverDriver();
    expect(allowedActions(stored, pmo)).toEqual(['edit', 'submit', 'attest', 'hold', 'cancel']);
    expect(allowedActions(stored, smo)).toEqual(['hold', 'cancel']);
    expect(allowedActions(stored, approverA)).toEqual([]);
    expect(allowedActions(stored, admin)).toEqual(['edit', 'submit', 'attest', 'hold', 'cancel']);
  });

  it('offers decide to an approver of the gate who has not decided, never to a submitter', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(allowedActions(driver.stored, approverA)).toEqual(['decide']);
    expect(allowedActions(driver.stored, pmo)).toEqual(['edit', 'attest', 'hold', 'cancel']);
    const submitterApprover: Actor = { principalId: 'pmo-1', roles: ['pmo', 'service_owner'] };
    expect(allowedActions(driver.stored, submitterApprover)).not.toContain('decide');
    expect(allowedActions(driver.stored, admin)).toEqual([
      'edit',
      'attest',
      'waive',
      'result',
      'hold',
      'cancel',
    ]);
    expect(allowedActions(driver.stored, system)).not.toContain('decide');
    driver.run({ type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve' }, approverA);
    expect(allowedActions(driver.stored, approverA)).toEqual([]);
    expect(allowedActions(driver.stored, approverB)).toEqual(['decide']);
  });

  it('offers sending back from readiness to approvers', () => {
    const { stored } = HandoverDriver.at('readiness');
    expect(allowedActions(stored, approverB)).toEqual(['decide']);
    expect(allowedActions(stored, smo)).toEqual(['waive', 'result', 'hold', 'cancel']);
  });

  it('offers resolve_incident only while an incident is open', () => {
    const driver = HandoverDriver.at('early_life_support');
    expect(allowedActions(driver.stored, smo)).toEqual([
      'rollback',
      'record_incident',
      'create_action',
      'hold',
      'cancel',
    ]);
    driver.run({ type: 'record_incident', reference: 'INC-1', priority: 'P3', summary: 'x' }, smo);
    expect(allowedActions(driver.stored, smo)).toContain('resolve_incident');
  });

  it('follows the statuses along the road', () => {
    expect(allowedActions(HandoverDriver.at('approved').stored, smo)).toEqual(['schedule', 'hold', 'cancel']);
    expect(allowedActions(HandoverDriver.at('scheduled').stored, smo)).toEqual([
      'schedule',
      'confirm',
      'rollback',
      'create_action',
      'hold',
      'cancel',
    ]);
    expect(allowedActions(HandoverDriver.at('els_review').stored, approverB)).toEqual(['decide']);
  });

  it('is what ACTION_NOT_ALLOWED reports', () => {
    const driver = HandoverDriver.at('scheduled');
    const error = refusal(() => driver.run({ type: 'submit', policy: driver.view.policy! }, admin));
    expect(error.details).toMatchObject({
      status: 'scheduled',
      allowedActions: allowedActions(driver.stored, admin),
    });
  });
});

/** Every distinct state the model paths pass through, as the database would hold it. */
function reachableStates(): StoredHandover[] {
  const texts = new Set<string>();
  for (const { before, after } of replayHandoverPaths()) {
    texts.add(JSON.stringify(before)).add(JSON.stringify(after));
  }
  return [...texts].map((text) => JSON.parse(text) as StoredHandover);
}

/** What allowedActions answered before its shortcuts: every candidate judged like a caller's command. */
function fullyCheckedActions(restored: RestoredHandover, actor: Actor): Action[] {
  return ACTIONS.filter((action) =>
    candidateCommands(action, restored, actor).some(
      (command) => refusalOf(restored, command, actor) === null,
    ),
  );
}

describe('allowedActions without the request-shape check', () => {
  const actors: Record<string, Actor> = {
    ...ACTORS,
    admin,
    // A submitter who also holds approver roles, and someone holding every role there is.
    submitterApprover: { principalId: 'pmo-1', roles: ['pmo', 'service_owner', 'operations'] },
    everyRole: {
      principalId: 'all-1',
      roles: ['admin', 'pmo', 'smo', 'service_owner', 'change_manager', 'operations'],
    },
  };
  const states = reachableStates().map(restoreHandover);

  it('covers every status the machine has', () => {
    expect(new Set(states.map(({ status }) => status)).size).toBe(12);
  });

  it('builds only well-formed candidates, in every reachable state', () => {
    const malformed: string[] = [];
    let built = 0;
    for (const restored of states) {
      for (const actor of Object.values(actors)) {
        for (const action of ACTIONS) {
          for (const command of candidateCommands(action, restored, actor)) {
            built += 1;
            try {
              assertWellFormed(command);
            } catch (error) {
              malformed.push(`${restored.status} ${action}: ${(error as Error).message}`);
            }
          }
        }
      }
    }
    expect(malformed).toEqual([]);
    expect(built).toBeGreaterThan(10_000);
  });

  it('answers what the full check answers, for every actor in every reachable state', () => {
    let compared = 0;
    for (const restored of states) {
      for (const [name, actor] of Object.entries(actors)) {
        expect({ name, status: restored.status, allowed: allowedActionsOf(restored, actor) }).toEqual({
          name,
          status: restored.status,
          allowed: fullyCheckedActions(restored, actor),
        });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
