import { describe, expect, it } from '@jest/globals';
import { HandoverErrorCode } from './handover.errors.js';
import type { StoredHandover } from './handover.types.js';
import { describeHandover, loadHandover } from './loaded-handover.js';
import { ACTORS, HandoverDriver, refusal, replayHandoverPaths } from './testing/index.js';

const { pmo, smo } = ACTORS;

// The paths share their beginnings: each distinct step once.
const steps = [
  ...new Map(
    replayHandoverPaths().map((step) => [JSON.stringify([step.before, step.command, step.actor]), step]),
  ).values(),
];

describe('loadHandover', () => {
  it('describes the new state in the outcome as describing the stored row does, on every path step', () => {
    const differing = steps.filter(({ before, command, actor, after }) => {
      const outcome = loadHandover(before).apply(command, actor);
      return JSON.stringify(outcome.after.describe()) !== JSON.stringify(describeHandover(after));
    });
    expect(differing).toEqual([]);
    // The held-from status is read from the history memory, restored or persisted.
    expect(steps.some(({ after }) => describeHandover(after).hold?.heldFrom)).toBe(true);
  });

  it('leaves the loaded state as it was: a refusal or an outcome changes nothing in it', () => {
    const driver = HandoverDriver.at('acceptance');
    const text = JSON.stringify(driver.stored);
    const loaded = loadHandover(JSON.parse(text) as StoredHandover);
    const view = loaded.describe();
    const allowed = loaded.allowedActions(pmo);

    const held = loaded.apply({ type: 'hold', at: '2030-02-01T00:00:00.000Z', reason: 'x' }, pmo);
    expect(held.toStatus).toBe('on_hold');
    expect(refusal(() => loaded.apply({ type: 'confirm', at: '2030-02-01T00:00:00.000Z' }, smo)).code).toBe(
      HandoverErrorCode.ActionNotAllowed,
    );
    const again = loaded.apply({ type: 'hold', at: '2030-02-01T00:00:00.000Z', reason: 'x' }, pmo);
    expect([again.snapshot, again.effects, again.audit]).toEqual([held.snapshot, held.effects, held.audit]);
    expect(loaded.describe()).toEqual(view);
    expect(loaded.allowedActions(pmo)).toEqual(allowed);
    expect(describeHandover(JSON.parse(text) as StoredHandover)).toEqual(view);
  });

  it('gives a fresh view each time, so a caller may change the one it holds', () => {
    const loaded = loadHandover(HandoverDriver.at('readiness').stored);
    const view = loaded.describe();
    view.criteria.pop();
    expect(loaded.describe().criteria).toHaveLength(3);
  });
});
