import { describe, expect, it } from '@jest/globals';
import { refusalOf } from '../command-rules.js';
import { HandoverErrorCode } from '../handover.errors.js';
import { restoreHandover } from '../handover.snapshot.js';
import type { Actor } from '../handover.types.js';
import { ACTORS, HandoverDriver, refusal } from '../testing/index.js';
import { delegationCycle, delegationProblems, type DelegationSpec } from './delegations.js';

// Delegation (API.md, out of office): approver-a lends service_owner to a delegate who holds no approver role.
const delegate: Actor = { principalId: 'delegate-d', roles: [] };
const lent = { id: 'delegation-1', roles: ['service_owner'] };
const forA = {
  gate: 'acceptance',
  role: 'service_owner',
  decision: 'approve',
  onBehalfOf: 'approver-a',
} as const;

describe('deciding on behalf of a delegator', () => {
  it('lets a delegate decide with the lent role; the approval counts for the delegator', () => {
    const driver = HandoverDriver.at('acceptance');
    const outcome = driver.run({ type: 'decide', ...forA, delegation: lent }, delegate);
    expect(outcome.audit?.data).toMatchObject({ onBehalfOf: 'approver-a', delegationId: 'delegation-1' });
    expect(outcome.audit?.data).not.toHaveProperty('delegation');
    expect(driver.view.approvals.at(-1)).toMatchObject({
      principalId: 'delegate-d',
      onBehalfOf: 'approver-a',
    });
    expect(driver.view.gate?.approvedBy).toEqual(['approver-a']);
    expect(driver.view.gate?.decidedBy).toEqual(['approver-a']);
    // The quorum (2) counts the delegator: approver-b's approval completes it.
    driver.run(
      { type: 'decide', gate: 'acceptance', role: 'change_manager', decision: 'approve' },
      ACTORS.approverB,
    );
    expect(driver.status).toBe('approved');
  });

  it('refuses a decision on behalf of someone without a delegation in force (403 DELEGATION_NOT_ACTIVE)', () => {
    const driver = HandoverDriver.at('acceptance');
    expect(refusal(() => driver.run({ type: 'decide', ...forA }, delegate)).code).toBe(
      HandoverErrorCode.DelegationNotActive,
    );
    // Nor for oneself through onBehalfOf, which needs no delegation and gets none.
    expect(
      refusal(() =>
        driver.run({ type: 'decide', ...forA, onBehalfOf: 'approver-a', delegation: lent }, ACTORS.approverA),
      ).code,
    ).toBe(HandoverErrorCode.DelegationNotActive);
  });

  it('refuses a role the delegation does not lend, even one the delegate holds itself', () => {
    const driver = HandoverDriver.at('acceptance');
    const holder: Actor = { principalId: 'delegate-d', roles: ['change_manager'] };
    expect(
      refusal(() => driver.run({ type: 'decide', ...forA, role: 'change_manager', delegation: lent }, holder))
        .code,
    ).toBe(HandoverErrorCode.RoleNotHeld);
  });

  it('counts one decision per delegator per round, whoever takes it', () => {
    const delegated = HandoverDriver.at('acceptance');
    delegated.run({ type: 'decide', ...forA, delegation: lent }, delegate);
    // The delegator cannot decide again after its delegate decided for it...
    expect(
      refusal(() =>
        delegated.run(
          { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve' },
          ACTORS.approverA,
        ),
      ).code,
    ).toBe(HandoverErrorCode.AlreadyDecided);
    // ...nor a second delegate for it.
    expect(
      refusal(() =>
        delegated.run(
          { type: 'decide', ...forA, delegation: lent },
          { principalId: 'delegate-e', roles: [] },
        ),
      ).code,
    ).toBe(HandoverErrorCode.AlreadyDecided);
    // And the other way round: a delegate cannot decide for a delegator who decided.
    const direct = HandoverDriver.at('acceptance');
    direct.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'request_changes' },
      ACTORS.approverA,
    );
    direct.run({ type: 'resubmit', policy: direct.view.policy! }, ACTORS.pmo);
    direct.makeReady();
    // A new round: the delegate may now decide for approver-a.
    expect(() => direct.run({ type: 'decide', ...forA, delegation: lent }, delegate)).not.toThrow();
  });

  it('keeps separation of duties for the delegate and for the delegator', () => {
    const driver = new HandoverDriver();
    const submitterDelegate: Actor = { principalId: 'pmo-1', roles: ['pmo'] };
    driver.submit();
    driver.makeReady();
    expect(
      refusal(() => driver.run({ type: 'decide', ...forA, delegation: lent }, submitterDelegate)).code,
    ).toBe(HandoverErrorCode.SeparationOfDuties);
    // A submitter lending its approver role: its delegate may not decide for it.
    const submitted = new HandoverDriver();
    submitted.submit(undefined, { principalId: 'approver-a', roles: ['pmo', 'service_owner'] });
    submitted.makeReady();
    const error = refusal(() => submitted.run({ type: 'decide', ...forA, delegation: lent }, delegate));
    expect(error.code).toBe(HandoverErrorCode.SeparationOfDuties);
    expect(error.details).toEqual({ principalId: 'approver-a' });
  });

  it('is the same rule for refusalOf and the machine', () => {
    const driver = HandoverDriver.at('acceptance');
    const restored = restoreHandover(driver.stored);
    const command = { type: 'decide' as const, at: driver.nextAt(), ...forA };
    expect(refusalOf(restored, command, delegate)?.code).toBe(HandoverErrorCode.DelegationNotActive);
    expect(refusalOf(restored, { ...command, delegation: lent }, delegate)).toBeNull();
  });
});

const spec = (fields: Partial<DelegationSpec> = {}): DelegationSpec => ({
  delegatorId: 'a',
  delegateId: 'b',
  roles: ['service_owner'],
  from: '2030-01-01T00:00:00.000Z',
  until: '2030-01-10T00:00:00.000Z',
  ...fields,
});

describe('a delegation asked for', () => {
  it('is valid when the delegator lends an approver role it holds to another, for up to 90 days', () => {
    expect(delegationProblems(spec(), ['service_owner'])).toEqual([]);
    expect(delegationProblems(spec({ until: '2030-04-01T00:00:00.000Z' }), ['service_owner'])).toEqual([]);
  });

  it('names each problem by its field', () => {
    expect(delegationProblems(spec({ delegateId: 'a' }), ['service_owner'])).toEqual([
      { path: 'delegateId', message: 'must be another principal than the delegator' },
    ]);
    expect(delegationProblems(spec({ roles: ['service_owner', 'security'] }), ['service_owner'])).toEqual([
      { path: 'roles.1', message: 'security is not a role the delegator holds' },
    ]);
    expect(delegationProblems(spec({ roles: ['smo'] }), ['smo'])[0].path).toBe('roles.0');
    expect(delegationProblems(spec({ roles: ['admin'] }), ['admin'])[0].path).toBe('roles.0');
    expect(delegationProblems(spec({ until: '2030-01-01T00:00:00.000Z' }), ['service_owner'])).toEqual([
      { path: 'until', message: 'must be after from' },
    ]);
    expect(delegationProblems(spec({ until: '2030-04-01T00:00:00.001Z' }), ['service_owner'])).toEqual([
      { path: 'until', message: 'must be at most 90 days after from' },
    ]);
  });

  it('is refused when it would close a cycle of one role in overlapping time', () => {
    const back = spec({ delegatorId: 'b', delegateId: 'a' });
    expect(delegationCycle(spec(), [back])?.code).toBe(HandoverErrorCode.DelegationCycle);
    expect(delegationCycle(spec(), [back])?.details).toEqual({
      role: 'service_owner',
      cycle: ['a', 'b', 'a'],
    });
    const longer = [spec({ delegatorId: 'b', delegateId: 'c' }), spec({ delegatorId: 'c', delegateId: 'a' })];
    expect(delegationCycle(spec(), longer)?.details).toEqual({
      role: 'service_owner',
      cycle: ['a', 'b', 'c', 'a'],
    });
    // Another role, another time, or a chain that does not come back: no cycle.
    expect(delegationCycle(spec(), [{ ...back, roles: ['security'] }])).toBeNull();
    expect(
      delegationCycle(spec(), [
        { ...back, from: '2030-01-10T00:00:00.000Z', until: '2030-01-20T00:00:00.000Z' },
      ]),
    ).toBeNull();
    expect(delegationCycle(spec(), [spec({ delegatorId: 'b', delegateId: 'c' })])).toBeNull();
  });
});
