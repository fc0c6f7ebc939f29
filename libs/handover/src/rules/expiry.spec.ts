import { describe, expect, it } from '@jest/globals';
import type { CriterionSpec } from '../criterion.js';
import { criteriaProblems } from '../criterion.js';
import { HandoverErrorCode } from '../handover.errors.js';
import { ACTORS, dueTimer, FIXTURE_CRITERIA, HandoverDriver, refusal } from '../testing/index.js';

// Attestations that expire, through applyCommand as the command path runs it (snapshot stored as JSON
// between commands). The driver's clock moves one minute per command.

const { pmo, smo, system } = ACTORS;

/** The fixture's criteria, the runbook's attestation good for 30 minutes and the tests' result for a day. */
const EXPIRING: CriterionSpec[] = FIXTURE_CRITERIA.map((criterion) =>
  criterion.key === 'runbook'
    ? { ...criterion, validFor: 'PT30M' }
    : criterion.key === 'tests'
      ? { ...criterion, validFor: 'P1D', probeUrl: 'https://ci.example/tests' }
      : criterion,
);

const WINDOW = { windowStart: '2030-02-01T08:00:00.000Z', windowEnd: '2030-02-01T10:00:00.000Z' };

function driverAt(status: 'readiness' | 'approved' | 'scheduled'): HandoverDriver {
  const driver = new HandoverDriver(EXPIRING);
  driver.submit();
  if (status === 'readiness') return driver;
  driver.makeReady();
  driver.approveAcceptance();
  if (status === 'approved') return driver;
  driver.run({ type: 'schedule', ...WINDOW }, smo);
  return driver;
}

const runbook = (driver: HandoverDriver) => driver.view.criteria.find(({ key }) => key === 'runbook')!;

/** The expiry timer of the runbook's current pass, as its row would give it. */
const expiryOf = (driver: HandoverDriver) =>
  dueTimer('attestation_expiry', { subject: 'runbook', dueAt: runbook(driver).expiresAt! });

describe('attestations that expire', () => {
  it('gives a pass of a criterion with validFor an expiry time and a timer that names it', () => {
    const driver = new HandoverDriver(EXPIRING);
    const outcome = driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook' }, pmo);
    const at = driver.view.criteria.find(({ key }) => key === 'runbook')!.updatedAt!;
    expect(runbook(driver).expiresAt).toBe(new Date(Date.parse(at) + 30 * 60_000).toISOString());
    expect(outcome.effects).toContainEqual({
      type: 'schedule_timer',
      kind: 'attestation_expiry',
      delay: 'PT30M',
      subject: 'runbook',
    });
    // A criterion without validFor never expires.
    const training = driver.run({ type: 'attest', key: 'training', evidence: 'LMS report' }, pmo);
    expect(training.effects.filter((effect) => effect.type === 'schedule_timer')).toEqual([]);
  });

  it('sets the criterion back to pending when the timer of its current pass fires, and says so', () => {
    const driver = driverAt('approved');
    const outcome = driver.run({ type: 'timer_due', timer: expiryOf(driver) }, system);
    expect(outcome.toStatus).toBe('approved');
    expect(runbook(driver)).toMatchObject({ status: 'pending', expiredAt: expect.any(String) });
    expect(runbook(driver).expiresAt).toBeUndefined();
    expect(outcome.effects).toContainEqual(
      expect.objectContaining({
        type: 'notify',
        event: 'criterion.expired',
        data: expect.objectContaining({ key: 'runbook', mandatory: true, validFor: 'PT30M' }),
      }),
    );
    expect(outcome.audit?.action).toBe('attestation_expired');
    // The round's approvals stay.
    expect(driver.view.approvals.filter(({ decision }) => decision === 'approve')).toHaveLength(2);
  });

  it('drops the timer of a pass given again since (stale), and of a waived criterion', () => {
    const driver = driverAt('approved');
    const first = expiryOf(driver);
    driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook-v2' }, pmo);
    expect(refusal(() => driver.run({ type: 'timer_due', timer: first }, system)).code).toBe(
      HandoverErrorCode.StaleTimer,
    );
    const second = expiryOf(driver);
    driver.run({ type: 'waive', key: 'runbook', reason: 'Runbook lives in the platform' }, smo);
    expect(refusal(() => driver.run({ type: 'timer_due', timer: second }, system)).code).toBe(
      HandoverErrorCode.StaleTimer,
    );
  });

  it('refuses to confirm the go-live while a mandatory criterion is expired, until it is attested again', () => {
    const driver = driverAt('scheduled');
    driver.run({ type: 'timer_due', timer: expiryOf(driver) }, system);
    const refused = refusal(() => driver.run({ type: 'confirm' }, smo));
    expect(refused.code).toBe(HandoverErrorCode.CriterionExpired);
    expect(refused.details).toMatchObject({ pending: ['runbook'], expired: ['runbook'] });
    // Attested again in place: still scheduled, the approvals kept, and the go-live goes ahead.
    const renewed = driver.run({ type: 'attest', key: 'runbook', evidence: 'https://wiki/runbook-v3' }, pmo);
    expect(renewed.toStatus).toBe('scheduled');
    expect(runbook(driver).expiredAt).toBeUndefined();
    const confirmed = driver.run({ type: 'confirm' }, smo);
    expect(confirmed.toStatus).toBe('early_life_support');
    expect(confirmed.effects).toContainEqual({
      type: 'cancel_timers',
      kinds: ['readiness', 'attestation_expiry'],
    });
    expect(runbook(driver).expiresAt).toBeUndefined();
  });

  it('after go-live nothing expires: a timer that fires then is stale', () => {
    const driver = driverAt('scheduled');
    const timer = expiryOf(driver);
    driver.run({ type: 'confirm' }, smo);
    expect(refusal(() => driver.run({ type: 'timer_due', timer }, system)).code).toBe(
      HandoverErrorCode.StaleTimer,
    );
  });

  it('renews after acceptance only criteria that expire', () => {
    const driver = driverAt('approved');
    expect(
      refusal(() => driver.run({ type: 'attest', key: 'training', evidence: 'LMS report' }, pmo)).code,
    ).toBe(HandoverErrorCode.ActionNotAllowed);
    expect(driver.run({ type: 'attest', key: 'runbook', evidence: 'renewed' }, pmo).toStatus).toBe(
      'approved',
    );
  });

  it('probes an automated criterion again on request, in the current round', () => {
    const driver = driverAt('scheduled');
    const outcome = driver.run({ type: 'probe', key: 'tests' }, pmo);
    expect(outcome.effects).toEqual([
      {
        type: 'probe',
        key: 'tests',
        round: 1,
        url: 'https://ci.example/tests',
        requestedAt: expect.any(String),
      },
    ]);
    expect(outcome.audit).toEqual({ action: 'probe', data: { key: 'tests' } });
    expect(refusal(() => driver.run({ type: 'probe', key: 'runbook' }, pmo)).code).toBe(
      HandoverErrorCode.NotAutomated,
    );
    const integration = new HandoverDriver();
    integration.submit();
    expect(refusal(() => integration.run({ type: 'probe', key: 'tests' }, smo)).code).toBe(
      HandoverErrorCode.NotProbeable,
    );
  });

  it('in acceptance, an expiry sends the deliverable back to readiness and keeps the approvals given', () => {
    const driver = new HandoverDriver(EXPIRING);
    driver.submit();
    driver.makeReady();
    driver.run(
      { type: 'decide', gate: 'acceptance', role: 'service_owner', decision: 'approve' },
      ACTORS.approverA,
    );
    const outcome = driver.run({ type: 'timer_due', timer: expiryOf(driver) }, system);
    expect(outcome.toStatus).toBe('readiness');
    driver.run({ type: 'attest', key: 'runbook', evidence: 'again' }, pmo);
    expect(driver.status).toBe('acceptance');
    expect(driver.view.gate?.approvedBy).toEqual([ACTORS.approverA.principalId]);
  });
});

describe('validFor in a checklist', () => {
  it('is an ISO 8601 duration from PT1S to P10Y', () => {
    const withValidFor = (validFor: unknown) => criteriaProblems([{ ...FIXTURE_CRITERIA[1], validFor }]);
    expect(withValidFor('PT1S')).toEqual([]);
    expect(withValidFor('P90D')).toEqual([]);
    expect(withValidFor('PT0.5S')).toEqual([
      'criteria[0].validFor must be an ISO 8601 duration from PT1S to P10Y',
    ]);
    expect(withValidFor('P11Y')).toHaveLength(1);
    expect(withValidFor('soon')).toHaveLength(1);
    expect(withValidFor(30)).toHaveLength(1);
  });
});
