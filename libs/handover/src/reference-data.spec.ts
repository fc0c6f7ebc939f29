import { describe, expect, it } from '@jest/globals';
import { ACTION_ROLES, roleRefusal } from './rules/index.js';
import { criteriaProblems } from './criterion.js';
import { DEFAULT_CHECKLIST } from './default-checklist.js';
import { findPractice } from './practices.data.js';
import { DEFAULT_POLICIES } from './default-policies.js';
import { GLOSSARY } from './glossary.data.js';
import { HANDOVER_ERROR_CODES } from './handover.errors.js';
import { toEffects } from './handover.effects.js';
import { createHandover } from './handover.snapshot.js';
import { ACTIONS, SERVICE_TIERS, STATUSES, SYSTEM_ACTIONS } from './handover.types.js';
import { parseIsoDuration } from './iso-duration.js';
import { policyProblems } from './policy.js';

describe('DEFAULT_POLICIES', () => {
  it.each(SERVICE_TIERS)('tier %d is a valid policy', (tier) => {
    expect(policyProblems(DEFAULT_POLICIES[tier])).toEqual([]);
  });

  it('asks more of critical tiers: more approvers and a longer early life support', () => {
    expect(DEFAULT_POLICIES[1].acceptance).toMatchObject({
      roles: ['service_owner', 'change_manager', 'operations'],
      quorum: 3,
    });
    expect(DEFAULT_POLICIES[1].elsDuration).toBe('P30D');
    expect(DEFAULT_POLICIES[4].acceptance).toMatchObject({ roles: ['service_owner'], quorum: 1 });
    expect(DEFAULT_POLICIES[4].elsDuration).toBe('P3D');
    const els = SERVICE_TIERS.map((tier) => parseIsoDuration(DEFAULT_POLICIES[tier].elsDuration));
    const quorums = SERVICE_TIERS.map((tier) => DEFAULT_POLICIES[tier].acceptance.quorum);
    expect([...els].sort((a, b) => b - a)).toEqual(els);
    expect([...quorums].sort((a, b) => b - a)).toEqual(quorums);
    for (const tier of SERVICE_TIERS) expect(DEFAULT_POLICIES[tier].elsExitMaxOpenIncidents.P1).toBe(0);
  });

  it('finds what is wrong with a bad policy', () => {
    expect(policyProblems(null)).toEqual(['policy must be an object']);
    const bad = {
      ...DEFAULT_POLICIES[2],
      acceptance: { roles: ['Service Owner'], quorum: 1.5, decisionSla: '2 days' },
      elsDuration: 'P',
      elsExitMaxOpenIncidents: { P1: -1, P2: 0 },
      readinessReminders: ['P1D', 'soon'],
    };
    expect(policyProblems(bad)).toHaveLength(6);
  });
});

describe('DEFAULT_CHECKLIST', () => {
  const { criteria } = DEFAULT_CHECKLIST;

  it('holds the 19 criteria of the glossary, valid and usable', () => {
    expect(criteria).toHaveLength(19);
    expect(criteriaProblems(criteria)).toEqual([]);
    expect(createHandover({ criteria }).status).toBe('draft');
  });

  it('makes mandatory exactly the criteria checked before the acceptance decision', () => {
    expect(criteria.filter((c) => c.mandatory).map((c) => c.key)).toEqual([
      'service-owner',
      'catalogue-entry',
      'cmdb',
      'slo',
      'testing',
      'security',
      'capacity',
      'els-plan',
    ]);
    for (const criterion of criteria) expect(criterion.mandatory).toBe(criterion.blocks === 'acceptance');
  });

  it('has manual attestations where the glossary says M, and no probe URLs', () => {
    expect(criteria.filter((c) => c.kind === 'manual').map((c) => c.key)).toEqual([
      'service-desk',
      'suppliers',
      'training',
      'els-plan',
    ]);
    expect(criteria.some((c) => c.probeUrl !== undefined)).toBe(false);
  });

  it('names the practice of each criterion by its key in the catalogue', () => {
    for (const criterion of criteria) expect(findPractice(criterion.practice)?.key).toBe(criterion.practice);
  });
});

describe('GLOSSARY', () => {
  it('has one entry per status, in the order of the statuses', () => {
    expect(GLOSSARY.statuses.map((entry) => entry.status)).toEqual([...STATUSES]);
    for (const entry of GLOSSARY.statuses) {
      expect(entry.pmo.length).toBeGreaterThan(0);
      expect(entry.smo.length).toBeGreaterThan(0);
    }
  });

  it('maps the PMO and SMO terms to Baton words', () => {
    expect(GLOSSARY.terms).toHaveLength(20);
    expect(GLOSSARY.terms).toContainEqual(
      expect.objectContaining({ pmo: 'Warranty period, hypercare', baton: 'early_life_support' }),
    );
  });
});

describe('ACTION_ROLES', () => {
  it('has a rule for every command', () => {
    expect(Object.keys(ACTION_ROLES).sort()).toEqual([...ACTIONS, ...SYSTEM_ACTIONS].sort());
  });

  it('lets admin stand in for pmo and smo, but only the system send timers', () => {
    const admin = { principalId: 'a', roles: ['admin'] };
    for (const action of ACTIONS.filter((a) => a !== 'decide')) expect(roleRefusal(action, admin)).toBeNull();
    expect(roleRefusal('timer_due', admin)).not.toBeNull();
    expect(roleRefusal('timer_due', { principalId: null, roles: [] })).toBeNull();
  });
});

describe('error codes', () => {
  it('are distinct and namespaced', () => {
    expect(new Set(HANDOVER_ERROR_CODES).size).toBe(HANDOVER_ERROR_CODES.length);
    for (const code of HANDOVER_ERROR_CODES) expect(code).toMatch(/^HANDOVER\.[A-Z_]+$/);
  });
});

describe('toEffects', () => {
  it('keeps the declared effects and skips XState actions', () => {
    expect(
      toEffects([
        { type: 'xstate.assign', params: undefined },
        { type: 'startRound' },
        {
          type: 'probe',
          params: {
            round: 2,
            requestedAt: '2030-01-01T00:00:00.000Z',
            criteria: [{ key: 'k', url: 'https://x' }],
          },
        },
        { type: 'cancelTimers', params: { kinds: ['readiness'] } },
        { type: 'scheduleTimers', params: { timers: [{ kind: 'els_period_end', delay: 'P1D', period: 3 }] } },
        { type: 'notify', params: { event: 'els.extended', data: { period: 3 } } },
      ]),
    ).toEqual([
      { type: 'probe', key: 'k', round: 2, url: 'https://x', requestedAt: '2030-01-01T00:00:00.000Z' },
      { type: 'cancel_timers', kinds: ['readiness'] },
      { type: 'schedule_timer', kind: 'els_period_end', delay: 'P1D', period: 3 },
      { type: 'notify', event: 'els.extended', data: { period: 3 } },
    ]);
  });
});
