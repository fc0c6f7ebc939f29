import { describe, expect, it } from '@jest/globals';
import { describeHandover } from './loaded-handover.js';
import { ACTORS, FIXTURE_POLICY, HandoverDriver } from './testing/index.js';

const { pmo, smo, approverA } = ACTORS;

describe('describeHandover', () => {
  it('reads a new deliverable', () => {
    const view = new HandoverDriver().view;
    expect(view).toMatchObject({
      status: 'draft',
      round: 0,
      submittedBy: null,
      submitters: [],
      policy: null,
      mandatoryCriteriaMet: false,
      approvals: [],
      gate: null,
      awaitingRoles: [],
      goLiveWindow: null,
      els: { period: 0, extensions: 0, exitRound: 0 },
      incidents: [],
      openIncidents: [],
      hold: null,
    });
    expect(view.criteria[0]).toEqual({
      key: 'tests',
      title: 'Tests passed',
      practice: 'service validation and testing',
      mandatory: true,
      kind: 'automated',
      status: 'pending',
      updatedAt: null,
      updatedBy: null,
    });
  });

  it('shows evidence, the open gate and who it waits for', () => {
    const driver = HandoverDriver.at('readiness');
    driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/rb', note: 'v2' }, pmo);
    driver.run({ type: 'result', key: 'tests', passed: true, detail: 'CI #42' }, smo);
    driver.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve', comment: 'Fine' },
      approverA,
    );
    const view = describeHandover(driver.stored);
    expect(view.criteria.slice(0, 2)).toEqual([
      expect.objectContaining({ key: 'tests', status: 'passed', detail: 'CI #42', updatedBy: 'smo-1' }),
      expect.objectContaining({ key: 'runbook', status: 'passed', evidence: 'https://wiki/rb', note: 'v2' }),
    ]);
    expect(view.criteria[1]).not.toHaveProperty('detail');
    expect(view.gate).toEqual({
      gate: 'acceptance',
      round: 1,
      roles: ['service_owner', 'change_manager'],
      quorum: 2,
      approvedBy: ['approver-a'],
      decidedBy: ['approver-a'],
    });
    expect(view.awaitingRoles).toEqual(['service_owner', 'change_manager']);
    expect(view.approvals).toEqual([
      {
        gate: 'acceptance',
        round: 1,
        principalId: 'approver-a',
        onBehalfOf: null,
        role: 'service_owner',
        decision: 'approve',
        comment: 'Fine',
        at: expect.any(String),
      },
    ]);
    expect(view.policy).toEqual(FIXTURE_POLICY);
  });

  it('shows the ELS exit gate with its own roles and round', () => {
    const view = HandoverDriver.at('els_review').view;
    expect(view.gate).toMatchObject({ gate: 'els_exit', round: 1, roles: ['service_owner', 'operations'] });
    expect(view.goLiveWindow).toEqual({ start: '2030-02-01T08:00:00.000Z', end: '2030-02-01T10:00:00.000Z' });
    expect(view.els).toEqual({
      period: 1,
      extensions: 0,
      exitRound: 1,
      exitCriteria: { incidentsWithinLimits: true, actionsOwned: true },
    });
  });

  it('says where a held deliverable resumes', () => {
    const driver = HandoverDriver.at('scheduled');
    driver.run({ type: 'hold', reason: 'Change freeze' }, smo);
    expect(driver.view.hold).toEqual({
      reason: 'Change freeze',
      at: expect.any(String),
      heldFrom: 'scheduled',
    });
    expect(driver.view.gate).toBeNull();
  });
});
