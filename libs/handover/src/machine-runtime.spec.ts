import { describe, expect, it } from '@jest/globals';
import { type AnyStateMachine, createActor, initialTransition, type Snapshot } from 'xstate';
import { toHandoverEvent } from './handover.commands.js';
import { handoverMachine } from './handover.machine.js';
import { persist, restoreHandover } from './handover.snapshot.js';
import { nextSnapshot, restoreMachineSnapshot } from './machine-runtime.js';
import { replayHandoverPaths, representativeCommands } from './testing/index.js';

// The paths share their beginnings: each distinct step once, and so each state it reaches.
const steps = [
  ...new Map(
    replayHandoverPaths().map((step) => [JSON.stringify([step.before, step.command, step.actor]), step]),
  ).values(),
];

describe('the machine through XState public API', () => {
  it('has a total context factory: the throwaway actor of transition() and initialTransition() is healthy', () => {
    // XState's pure functions make an actor without input for each call (xstate#4774).
    const throwaway = createActor(handoverMachine as AnyStateMachine).getSnapshot();
    expect(throwaway.status).toBe('active');
    expect(throwaway.context.criteria).toEqual([]);
    const [initial] = initialTransition(handoverMachine as AnyStateMachine);
    expect(initial.status).toBe('active');
  });

  it('restores every stored state to the snapshot it was persisted from', () => {
    const differing = steps.filter(({ after: stored }) => {
      const restored = restoreMachineSnapshot(stored.snapshot as Snapshot<unknown>);
      return JSON.stringify(persist(restored)) !== JSON.stringify(stored.snapshot);
    });
    expect(differing).toEqual([]);
  });

  it('takes every representative event in every state without a machine error', () => {
    let compared = 0;
    const failed: string[] = [];
    for (const { after } of steps) {
      const { snapshot } = restoreHandover(after);
      for (const { command, actor } of representativeCommands(snapshot.context)) {
        const [next] = nextSnapshot(snapshot, toHandoverEvent(command, actor));
        compared += 1;
        if (next.status === 'error') failed.push(`${JSON.stringify(snapshot.value)} ${command.type}`);
      }
    }
    expect(failed).toEqual([]);
    expect(compared).toBeGreaterThan(5_000);
  });
});
