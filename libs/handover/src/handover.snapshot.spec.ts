import { describe, expect, it } from '@jest/globals';
import { HandoverErrorCode } from './handover.errors.js';
import { MACHINE_VERSION } from './handover.machine.js';
import { restoreHandover, statusOf } from './handover.snapshot.js';
import type { StoredHandover } from './handover.types.js';
import { isPlainObject, type JsonObject } from './json.types.js';
import { allowedActions, applyCommand, describeHandover, loadHandover } from './loaded-handover.js';
import { ACTORS, HandoverDriver, refusal } from './testing/index.js';

function tampered(stored: StoredHandover, change: (snapshot: JsonObject) => unknown): StoredHandover {
  const copy = JSON.parse(JSON.stringify(stored.snapshot)) as JsonObject;
  return { snapshot: change(copy), machineVersion: stored.machineVersion };
}

describe('restoreHandover', () => {
  it('restores what applyCommand saved, history included', () => {
    const driver = HandoverDriver.at('acceptance');
    driver.run({ type: 'hold', reason: 'x' }, ACTORS.pmo);
    const restored = restoreHandover(driver.stored);
    expect(statusOf(restored)).toBe('on_hold');
    expect(restored.context.round).toBe(1);
    driver.run({ type: 'resume' }, ACTORS.pmo);
    expect(driver.status).toBe('acceptance');
  });

  it('refuses a snapshot of another machine version rather than guess', () => {
    const { stored } = new HandoverDriver();
    for (const machineVersion of [0, MACHINE_VERSION + 1]) {
      const error = refusal(() => restoreHandover({ ...stored, machineVersion }));
      expect(error.code).toBe(HandoverErrorCode.SnapshotVersionUnknown);
      expect(error.details).toEqual({ machineVersion, expected: MACHINE_VERSION });
    }
    // Every entry point goes through the same check.
    const old = { ...stored, machineVersion: 0 };
    expect(refusal(() => loadHandover(old)).code).toBe(HandoverErrorCode.SnapshotVersionUnknown);
    expect(refusal(() => describeHandover(old)).code).toBe(HandoverErrorCode.SnapshotVersionUnknown);
    expect(refusal(() => allowedActions(old, ACTORS.pmo)).code).toBe(
      HandoverErrorCode.SnapshotVersionUnknown,
    );
    expect(
      refusal(() => applyCommand(old, { type: 'edit', at: '2030-01-01T00:00:00Z', changes: {} }, ACTORS.pmo))
        .code,
    ).toBe(HandoverErrorCode.SnapshotVersionUnknown);
  });

  it.each<[string, (snapshot: JsonObject) => unknown]>([
    // XState restores these with status 'error' and no exception.
    ['a state that does not exist', (s) => ({ ...s, value: { active: 'limbo' } })],
    ['a top-level state that does not exist', (s) => ({ ...s, value: 'limbo' })],
    ['a compound state that does not exist', (s) => ({ ...s, value: { limbo: 'draft' } })],
    // The machine's own compound state is not a status.
    ['a value that is no status', (s) => ({ ...s, value: 'active' })],
    ['no context', (s) => ({ ...s, context: undefined })],
    ['a context of another shape', (s) => ({ ...s, context: { criteria: 'none' } })],
    // createActor would silently start afresh from these.
    ['null', () => null],
    ['a number', () => 42],
    ['an array', () => []],
  ])('refuses %s with SNAPSHOT_INVALID, never resetting', (_name, change) => {
    const { stored } = HandoverDriver.at('readiness');
    const error = refusal(() => restoreHandover(tampered(stored, change)));
    expect(error.code).toBe(HandoverErrorCode.SnapshotInvalid);
  });

  it('keeps the error status case apart from a fresh start', () => {
    const { stored } = HandoverDriver.at('readiness');
    const broken = tampered(stored, (s) => ({ ...s, value: { active: 'limbo' } }));
    expect(isPlainObject(broken.snapshot)).toBe(true);
    expect(refusal(() => restoreHandover(broken)).message).toMatch(/limbo/);
  });
});
