import { describe, expect, it } from '@jest/globals';
import { HandoverErrorCode } from '../handover.errors.js';
import { ACTORS, HandoverDriver, refusal } from '../testing/index.js';

// Change freezes laid over a scheduled go-live, and lifted again, through applyCommand.

const { smo, system } = ACTORS;

const conflict = (freezeWindowId: string) => ({
  freezeWindowId,
  name: `Freeze ${freezeWindowId}`,
  start: '2030-02-01T00:00:00.000Z',
  end: '2030-02-03T00:00:00.000Z',
});

describe('freeze conflicts on a scheduled go-live', () => {
  it('notes each occurrence once, and a lifted freeze takes back only its own', () => {
    const driver = HandoverDriver.at('scheduled');
    driver.run({ type: 'freeze_conflict', conflicts: [conflict('a'), conflict('b')] }, system);
    driver.run({ type: 'freeze_conflict', conflicts: [conflict('a')] }, system);
    expect(driver.view.conflicts.map((c) => c.freezeWindowId)).toEqual(['a', 'b']);
    const outcome = driver.run({ type: 'freeze_lifted', freezeWindowId: 'a' }, system);
    expect(outcome.toStatus).toBe('scheduled');
    expect(outcome.audit).toEqual({ action: 'freeze_lifted', data: { freezeWindowId: 'a' } });
    expect(driver.view.conflicts.map((c) => c.freezeWindowId)).toEqual(['b']);
    // Nothing noted of it any more: refused, so the command path changes nothing.
    expect(refusal(() => driver.run({ type: 'freeze_lifted', freezeWindowId: 'a' }, system)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
  });

  it("is the system's to lift: a person is refused", () => {
    const driver = HandoverDriver.at('scheduled');
    driver.run({ type: 'freeze_conflict', conflicts: [conflict('a')] }, system);
    expect(refusal(() => driver.run({ type: 'freeze_lifted', freezeWindowId: 'a' }, smo)).code).toBe(
      HandoverErrorCode.RoleRequired,
    );
  });

  it('has nothing to take back once the go-live is confirmed (confirming ends the conflicts)', () => {
    const driver = HandoverDriver.at('scheduled');
    driver.run({ type: 'freeze_conflict', conflicts: [conflict('a')] }, system);
    driver.run({ type: 'confirm' }, smo);
    expect(refusal(() => driver.run({ type: 'freeze_lifted', freezeWindowId: 'a' }, system)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
  });
});
