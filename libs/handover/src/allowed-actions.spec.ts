import { describe, expect, it } from '@jest/globals';
import { allowedActions } from './allowed-actions.js';
import type { Actor } from './handover.types.js';
import { ACTORS, HandoverDriver, refusal } from './testing/index.js';

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
    expect(allowedActions(driver.stored, smo)).toEqual(['rollback', 'record_incident', 'hold', 'cancel']);
    driver.run({ type: 'record_incident', reference: 'INC-1', priority: 'P3', summary: 'x' }, smo);
    expect(allowedActions(driver.stored, smo)).toContain('resolve_incident');
  });

  it('follows the statuses along the road', () => {
    expect(allowedActions(HandoverDriver.at('approved').stored, smo)).toEqual(['schedule', 'hold', 'cancel']);
    expect(allowedActions(HandoverDriver.at('scheduled').stored, smo)).toEqual([
      'schedule',
      'confirm',
      'rollback',
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
