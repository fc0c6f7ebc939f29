import { describe, expect, it } from '@jest/globals';
import { byUrgency, isBlocked, isOverdue, readinessCount, waitingFor, waitingText } from './summary';

const now = Date.parse('2026-12-02T12:00:00Z');
const criterion = (status: 'pending' | 'passed' | 'failed' | 'waived') => ({ status });

describe('what a card says', () => {
  it('counts readiness as passed plus waived of all', () => {
    expect(
      readinessCount([criterion('passed'), criterion('waived'), criterion('failed'), criterion('pending')]),
    ).toEqual({
      done: 2,
      total: 4,
      passed: 1,
      waived: 1,
      failed: 1,
      pending: 1,
    });
  });

  it('says whom a gate waits for', () => {
    expect(waitingText({ approvals: 1, quorum: 2, awaitingRoles: ['change_manager'] })).toBe(
      '1 of 2 approvals: change manager pending',
    );
    const gate = {
      gate: 'acceptance' as const,
      round: 1,
      roles: ['service_owner', 'change_manager'],
      quorum: 1,
      approvedBy: [],
      decidedBy: [],
    };
    expect(waitingFor({ gate, awaitingRoles: [] })).toBe(
      '0 of 1 approval: service owner or change manager pending',
    );
    expect(waitingFor({ gate: null, awaitingRoles: [] })).toBeNull();
    // Whom we still wait for: the roles that have not approved in this round.
    expect(
      waitingText({
        approvals: 1,
        quorum: 2,
        awaitingRoles: ['service_owner', 'change_manager'],
        decisions: [
          {
            principalId: 'p',
            onBehalfOf: null,
            role: 'service_owner',
            decision: 'approve',
            comment: null,
            at: '',
          },
        ],
      }),
    ).toBe('1 of 2 approvals: change manager pending');
    expect(
      waitingFor({
        gate: { ...gate, quorum: 2, approvedBy: ['p'] },
        awaitingRoles: ['service_owner', 'change_manager'],
        approvals: [
          {
            gate: 'acceptance',
            round: 1,
            principalId: 'p',
            onBehalfOf: null,
            role: 'change_manager',
            decision: 'approve',
            comment: null,
            at: '',
          },
        ],
      }),
    ).toBe('1 of 2 approvals: service owner pending');
  });

  it('knows overdue (target passed before live service) and blocked (failed, on hold, sent back)', () => {
    const past = '2026-12-01T00:00:00Z';
    expect(isOverdue({ targetGoLive: past, status: 'readiness' }, now)).toBe(true);
    expect(isOverdue({ targetGoLive: past, status: 'early_life_support' }, now)).toBe(false);
    expect(isBlocked({ status: 'readiness', readiness: { criteria: [], practices: [] } })).toBe(false);
    expect(isBlocked({ status: 'on_hold', readiness: { criteria: [], practices: [] } })).toBe(true);
  });

  it('puts overdue first, then blocked, then the nearest target go-live', () => {
    const make = (id: string, status: string, targetGoLive: string, failed = false) =>
      ({ id, status, targetGoLive, readiness: { criteria: failed ? [{ status: 'failed' }] : [] } }) as never;
    const list = [
      make('later', 'readiness', '2026-12-20T00:00:00Z'),
      make('sooner', 'readiness', '2026-12-10T00:00:00Z'),
      make('blocked', 'readiness', '2026-12-30T00:00:00Z', true),
      make('overdue', 'readiness', '2026-11-30T00:00:00Z'),
    ];
    expect(list.sort((a, b) => byUrgency(a, b, now)).map((d: { id: string }) => d.id)).toEqual([
      'overdue',
      'blocked',
      'sooner',
      'later',
    ]);
  });
});
