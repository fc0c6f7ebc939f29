import { describe, expect, it } from '@jest/globals';
import { getAdjacencyMap } from '@xstate/graph';
import { applyCommand } from '../loaded-handover.js';
import { refusalOf } from '../command-rules.js';
import { toHandoverEvent } from '../handover.commands.js';
import { handoverMachine, MACHINE_VERSION } from '../handover.machine.js';
import { createHandover, persist, restoreHandover, statusOf } from '../handover.snapshot.js';
import { STATUSES, type StoredHandover } from '../handover.types.js';
import { PATH_CRITERIA } from './handover-fixtures.js';
import { handoverPaths, representativeCommands, serializeHandoverState } from './handover-paths.js';

const paths = handoverPaths();

describe('model-based: every shortest path of the machine, replayed through applyCommand', () => {
  it('reaches every status', () => {
    expect(new Set(paths.map((path) => path.status))).toEqual(new Set(STATUSES));
    console.info(
      `replaying ${paths.length} shortest paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps`,
    );
  });

  it('replays each path with save, JSON text and restore between steps, in the expected status', () => {
    for (const path of paths) {
      const created = createHandover({ criteria: PATH_CRITERIA });
      let text = JSON.stringify({ snapshot: created.snapshot, machineVersion: created.machineVersion });
      for (const [index, step] of path.steps.entries()) {
        const stored = JSON.parse(text) as StoredHandover;
        let outcome;
        try {
          outcome = applyCommand(stored, step.command, step.actor);
        } catch (error) {
          throw new Error(
            `Path to ${path.status}, step ${index + 1} (${step.command.type}) was refused: ${(error as Error).message}`,
            { cause: error },
          );
        }
        expect({ step: index + 1, status: outcome.toStatus }).toEqual({
          step: index + 1,
          status: step.expectedStatus,
        });
        text = JSON.stringify({ snapshot: outcome.snapshot, machineVersion: outcome.machineVersion });
      }
      const last = JSON.parse(text) as StoredHandover;
      expect(statusOf(restoreHandover(last))).toBe(path.status);
    }
  });
});

describe('model-based: the command rules and the machine agree in every reachable state', () => {
  it('accepts a representative command exactly when the machine takes its event', () => {
    const adjacency = getAdjacencyMap(handoverMachine, {
      input: { criteria: PATH_CRITERIA },
      serializeState: (snapshot) => serializeHandoverState(snapshot),
      events: (snapshot) =>
        representativeCommands(snapshot.context).map(({ command, actor }) => toHandoverEvent(command, actor)),
    });
    let checked = 0;
    for (const { state } of Object.values(adjacency)) {
      const restored = restoreHandover({ snapshot: persist(state), machineVersion: MACHINE_VERSION });
      for (const { command, actor } of representativeCommands(state.context)) {
        const machineTakes = state.can(toHandoverEvent(command, actor));
        let accepted: boolean;
        try {
          accepted = refusalOf(restored, command, actor) === null;
        } catch {
          accepted = false;
        }
        expect({ state: statusOf(state), command: command.type, accepted }).toEqual({
          state: statusOf(state),
          command: command.type,
          accepted: machineTakes,
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
