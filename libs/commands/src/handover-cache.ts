import { type Action, type Actor, type HandoverView, type LoadedHandover } from '@baton/handover';

/** What a read asks of a deliverable's handover, answered from memory where it can. */
export type HandoverAnswers = Pick<LoadedHandover, 'describe' | 'allowedActions'>;

/** How many deliverable versions are kept: a few hundred restored handovers, some megabytes. */
const KEPT = 300;

/**
 * Restored handovers by deliverable and version, in this process. A version of a deliverable never
 * changes (every change the machine makes adds 1 to it; a notice that changes nothing keeps the snapshot),
 * so what is kept is never stale, only superseded: a read of the current version restores nothing,
 * describes nothing again, and works out each caller's allowed actions once. The command path keeps what
 * it commits, so the read after a command finds it.
 */
export class HandoverCache {
  private readonly kept = new Map<string, HandoverAnswers>();

  get(id: string, version: number): HandoverAnswers | undefined {
    const key = `${id}@${version}`;
    const answers = this.kept.get(key);
    if (answers !== undefined) {
      // Most recently used last: the oldest goes first.
      this.kept.delete(key);
      this.kept.set(key, answers);
    }
    return answers;
  }

  /** Keeps `handover` as version `version` of `id`, and answers from it (once per question). */
  keep(id: string, version: number, handover: LoadedHandover): HandoverAnswers {
    const answers = remembered(handover);
    this.kept.delete(`${id}@${version - 1}`);
    this.kept.set(`${id}@${version}`, answers);
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return answers;
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
