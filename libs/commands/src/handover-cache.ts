import { type Action, type Actor, type HandoverView, type LoadedHandover } from '@baton/handover';

/** What a read asks of a deliverable's handover, answered from memory where it can. */
export type HandoverAnswers = Pick<LoadedHandover, 'describe' | 'allowedActions'>;

/** A deliverable's handover as this process holds it: restored once, for one version. */
export interface HeldHandover {
  version: number;
  handover: LoadedHandover;
  answers: HandoverAnswers;
}

/** How many deliverables are held: about 6 KiB each restored (13 criteria), some 12 MB when full. */
const KEPT = 2000;

/**
 * Restored handovers by deliverable, one version each, in this process. A version of a deliverable never
 * changes (every change the machine makes adds 1 to it; a notice that changes nothing keeps the snapshot),
 * so what is held is never wrong, only superseded. A read of the version held restores nothing, describes
 * nothing again, and works out each caller's allowed actions once; a command on it does not read the
 * snapshot from the database at all (the load asks for it only when the version differs). The command
 * path holds what it commits, so the next read or command on the deliverable finds it.
 */
export class HandoverCache {
  private readonly held = new Map<string, HeldHandover>();

  /** What is held of `id`, whatever its version. */
  of(id: string): HeldHandover | undefined {
    const entry = this.held.get(id);
    if (entry !== undefined) {
      // Most recently used last: the oldest goes first.
      this.held.delete(id);
      this.held.set(id, entry);
    }
    return entry;
  }

  /** The answers for version `version` of `id`, when that is the version held. */
  get(id: string, version: number): HandoverAnswers | undefined {
    const entry = this.of(id);
    return entry?.version === version ? entry.answers : undefined;
  }

  /** Holds `handover` as version `version` of `id` (unless a later one is held), and answers from it. */
  keep(id: string, version: number, handover: LoadedHandover): HandoverAnswers {
    const current = this.held.get(id);
    if (current !== undefined && current.version >= version) {
      return current.version === version ? current.answers : remembered(handover);
    }
    const entry = { version, handover, answers: remembered(handover) };
    this.held.delete(id);
    this.held.set(id, entry);
    while (this.held.size > KEPT) this.held.delete(this.held.keys().next().value!);
    return entry.answers;
  }
}

/** The answers of one handover, each worked out once: the view, and the allowed actions per caller. */
function remembered(handover: LoadedHandover): HandoverAnswers {
  let view: HandoverView | undefined;
  const allowed = new Map<string, Action[]>();
  return {
    // Shared by every reader of this version: readers map it, none changes it.
    describe: () => (view ??= handover.describe()),
    allowedActions: (actor: Actor) => {
      const key = `${actor.principalId ?? ''}\u0000${actor.roles.join(',')}`;
      let actions = allowed.get(key);
      if (actions === undefined) {
        actions = handover.allowedActions(actor);
        if (allowed.size < 64) allowed.set(key, actions);
      }
      return actions;
    },
  };
}
