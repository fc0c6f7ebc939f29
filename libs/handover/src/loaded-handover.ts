import { allowedActionsOf } from './allowed-actions.js';
import { applyToRestored, type CommandOutcome } from './apply-command.js';
import { describeRestored, type HandoverView } from './describe-handover.js';
import type { HandoverCommand } from './handover.commands.js';
import { restoreHandover, type RestoredHandover } from './handover.snapshot.js';
import type { Action, Actor, StoredHandover } from './handover.types.js';

/**
 * A handover restored once, answering every question about it from that one restore. Restoring is the
 * costly part of each question, and a command or a read usually asks several about the same row: the
 * command path judges a command and compares the criteria before and after, a read describes the
 * deliverable and lists what its caller may do, and the answer to a command describes the new state.
 */
export interface LoadedHandover {
  /** What the API and the console read. A fresh object each call, as cheap as it is next to a restore. */
  describe(): HandoverView;
  /** The actions this actor could take now: its roles allow them and the machine would take them. */
  allowedActions(actor: Actor): Action[];
  /**
   * Applies one command: a pure function of this state and its arguments, which leaves this state as it
   * was. Throws a HandoverError when the command is refused; ACTION_NOT_ALLOWED carries the status and what
   * this actor could do instead. `after` answers the same questions about the new state, with no restore.
   */
  apply(command: HandoverCommand, actor: Actor): AppliedCommand;
}

export interface AppliedCommand extends CommandOutcome {
  after: LoadedHandover;
}

/** The questions asked of a restored handover. */
export function loadedFrom(restored: RestoredHandover): LoadedHandover {
  return {
    describe: () => describeRestored(restored),
    allowedActions: (actor) => allowedActionsOf(restored, actor),
    apply: (command, actor) => {
      const outcome = applyToRestored(restored, command, actor);
      return { ...outcome, after: loadedFrom(outcome.next) };
    },
  };
}

/** Restores a stored handover once (throwing as restoreHandover does) for the questions asked of it. */
export function loadHandover(stored: StoredHandover): LoadedHandover {
  return loadedFrom(restoreHandover(stored));
}

/** loadHandover(stored).apply(...), for a caller with one question. */
export function applyCommand(stored: StoredHandover, command: HandoverCommand, actor: Actor): AppliedCommand {
  return loadHandover(stored).apply(command, actor);
}

/** loadHandover(stored).describe(), for a caller with one question. */
export function describeHandover(stored: StoredHandover): HandoverView {
  return loadHandover(stored).describe();
}

/** loadHandover(stored).allowedActions(actor), for a caller with one question. */
export function allowedActions(stored: StoredHandover, actor: Actor): Action[] {
  return loadHandover(stored).allowedActions(actor);
}
