import { describe, expect, it } from '@jest/globals';
import { refusalOf } from '../command-rules.js';
import { toHandoverEvent } from '../handover.commands.js';
import { HandoverError } from '../handover.errors.js';
import { restoreHandover } from '../handover.snapshot.js';
import { replayHandoverPaths, representativeCommands } from '../testing/index.js';
import { holdsRole } from './roles.js';

const steps = [
  ...new Map(
    replayHandoverPaths().map((step) => [JSON.stringify([step.before, step.command, step.actor]), step]),
  ).values(),
];

describe('one rulebook', () => {
  it("has the machine's guards and refusalOf agree on every representative command in every reachable state", () => {
    // A rule checked one way in a guard and another in refusalOf would show here as a command one accepts
    // and the other refuses.
    const disagreements: string[] = [];
    let compared = 0;
    for (const { after } of steps) {
      const restored = restoreHandover(after);
      for (const { command, actor } of representativeCommands(restored.context)) {
        let refusal: string | null;
        try {
          refusal = refusalOf(restored, command, actor)?.code ?? null;
        } catch (error) {
          if (!(error instanceof HandoverError)) throw error;
          refusal = error.code;
        }
        const machine = restored.snapshot.can(toHandoverEvent(command, actor));
        compared += 1;
        // refusalOf refuses everything the machine refuses, and more only for who may send it (roles).
        if (refusal === null && !machine) {
          disagreements.push(`${restored.status} ${command.type}: refusalOf accepts, the machine does not`);
        }
        if (refusal !== null && machine && !/ROLE_REQUIRED|TIMER_WAITS|STALE_TIMER/.test(refusal)) {
          disagreements.push(
            `${restored.status} ${command.type}: the machine accepts, refusalOf says ${refusal}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(5_000);
  });

  it('lets admin hold pmo and smo, never an approver role', () => {
    expect(holdsRole(['admin'], 'pmo')).toBe(true);
    expect(holdsRole(['admin'], 'smo')).toBe(true);
    expect(holdsRole(['admin'], 'admin')).toBe(true);
    expect(holdsRole(['admin'], 'service_owner')).toBe(false);
    expect(holdsRole(['pmo'], 'smo')).toBe(false);
  });
});
