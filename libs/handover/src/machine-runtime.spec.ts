import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createActor, transition, type Snapshot } from 'xstate';
import { toHandoverEvent } from './handover.commands.js';
import { handoverMachine } from './handover.machine.js';
import { restoreHandover } from './handover.snapshot.js';
import { nextSnapshot, restoreMachineSnapshot } from './machine-runtime.js';
import { HandoverDriver, replayHandoverPaths, representativeCommands } from './testing/index.js';

// The paths share their beginnings: each distinct step once, and so each state it reaches.
const steps = [
  ...new Map(
    replayHandoverPaths().map((step) => [JSON.stringify([step.before, step.command, step.actor]), step]),
  ).values(),
];

/** A snapshot as plain data: what it would store, plus the history memory as the state ids it holds. */
function plain(snapshot: ReturnType<typeof restoreMachineSnapshot>) {
  const history = snapshot.historyValue as Record<string, { id: string }[]>;
  return {
    persisted: JSON.parse(JSON.stringify(handoverMachine.getPersistedSnapshot(snapshot))) as unknown,
    history: Object.fromEntries(
      Object.entries(history).map(([key, nodes]) => [key, nodes.map(({ id }) => id)]),
    ),
  };
}

describe('the shared machine scope', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("restores every stored state as createActor's snapshot does", () => {
    const differing = steps.filter(({ after: stored }) => {
      const persisted = stored.snapshot as Snapshot<unknown>;
      const byActor = createActor(handoverMachine, {
        snapshot: persisted,
        input: { criteria: [] },
      }).getSnapshot();
      return JSON.stringify(plain(restoreMachineSnapshot(persisted))) !== JSON.stringify(plain(byActor));
    });
    expect(differing).toEqual([]);
  });

  it("transitions as xstate's transition() does, effects included, for every representative event in every state", () => {
    const named = (list: { type: string; params?: unknown }[]) =>
      list.map(({ type, params }) => ({ type, params }));
    let compared = 0;
    const differing: string[] = [];
    for (const { after } of steps) {
      const { snapshot } = restoreHandover(after);
      for (const { command, actor } of representativeCommands(snapshot.context)) {
        const event = toHandoverEvent(command, actor);
        const [expected, expectedActions] = transition(handoverMachine, snapshot, event);
        const [next, actions] = nextSnapshot(snapshot, event);
        compared += 1;
        if (
          JSON.stringify([plain(next), named(actions)]) !==
          JSON.stringify([plain(expected), named(expectedActions)])
        ) {
          differing.push(`${JSON.stringify(snapshot.value)} ${event.type}`);
        }
      }
    }
    expect(differing).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });

  it('never runs the context factory, which xstate runs on every transition() call', () => {
    const { snapshot } = restoreHandover(HandoverDriver.at('readiness').stored);
    const event = { type: 'HOLD', at: '2030-01-01T00:00:00.000Z', reason: 'x' } as const;
    const factory = jest.spyOn(handoverMachine.config as { context: () => unknown }, 'context');
    transition(handoverMachine, snapshot, event);
    expect(factory).toHaveBeenCalled();
    factory.mockClear();
    restoreMachineSnapshot(handoverMachine.getPersistedSnapshot(snapshot));
    nextSnapshot(snapshot, event);
    expect(factory).not.toHaveBeenCalled();
  });
});
