import { Injectable } from '@nestjs/common';
import { type Principal } from '@baton/access';
import { GATE_AWAITED_IN, type Gate, ROUND_OF_GATE, type Status, type TimerKind } from '@baton/handover';
import { Database, type InboxCursor, type InboxEntry } from '@baton/persistence';
import { DeliverablesService, type ReadDeliverable } from '../deliverables/deliverables.service.js';

/** The statuses that wait at a gate, each with its gate and the context member counting its rounds. */
const GATES = (Object.entries(GATE_AWAITED_IN) as [Status, Gate][]).map(([status, gate]) => ({
  status,
  gate,
  roundOf: ROUND_OF_GATE[gate],
}));

/** The reminder the decision SLA schedules on entering the gate: its due time is the decision's. */
const SLA_TIMER: TimerKind = 'decision_overdue';

/** For whom an entry waits: the caller itself (null), or a delegator with the roles it lends the caller. */
export type DecidingFor = { principalId: string; name: string; roles: string[] } | null;

export interface InboxRead {
  items: { read: ReadDeliverable; slaDueAt: Date | null; decidingFor: DecidingFor }[];
  next: InboxCursor | null;
}

/** What waits for a principal's decision: one query for the page, one for the states this process lacks. */
@Injectable()
export class InboxService {
  constructor(
    private readonly db: Database,
    private readonly deliverables: DeliverablesService,
  ) {}

  async inbox(by: Principal, limit: number, after?: InboxCursor): Promise<InboxRead> {
    const at = new Date();
    const entries = await this.db.deliverables.inbox(
      { principalId: by.id, roles: by.roles, gates: GATES, slaTimerKind: SLA_TIMER, at },
      limit + 1,
      after,
    );
    const page = entries.slice(0, limit);
    const last: InboxEntry | undefined = page.at(-1);
    // One deliverable may wait twice (for the caller and for a delegator): read each once.
    const reads = await this.deliverables.withHandovers([
      ...new Map(page.map((entry) => [entry.row.id, entry.row])).values(),
    ]);
    const readOf = new Map(reads.map((read) => [read.row.id, read]));
    const delegators = new Map<string, NonNullable<DecidingFor>>();
    if (page.some((entry) => entry.onBehalfOf !== null)) {
      for (const delegation of await this.db.delegations.inForceFor(by.id, at)) {
        const known = delegators.get(delegation.principalId);
        delegators.set(delegation.principalId, {
          principalId: delegation.principalId,
          name: delegation.principalName,
          roles: [...new Set([...(known?.roles ?? []), ...delegation.roles])],
        });
      }
    }
    return {
      items: page.flatMap((entry) => {
        const read = readOf.get(entry.row.id);
        const decidingFor = entry.onBehalfOf === null ? null : delegators.get(entry.onBehalfOf);
        // A delegation that ended between the two reads leaves its entries out.
        return read && decidingFor !== undefined ? [{ read, slaDueAt: entry.slaDueAt, decidingFor }] : [];
      }),
      next:
        entries.length > limit && last
          ? {
              slaDueAt: last.slaDueAt,
              targetGoLive: last.row.targetGoLive,
              id: last.row.id,
              onBehalfOf: last.onBehalfOf,
            }
          : null,
    };
  }
}
