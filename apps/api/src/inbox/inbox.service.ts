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

export interface InboxRead {
  items: { read: ReadDeliverable; slaDueAt: Date | null }[];
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
    const entries = await this.db.deliverables.inbox(
      { principalId: by.id, roles: by.roles, gates: GATES, slaTimerKind: SLA_TIMER },
      limit + 1,
      after,
    );
    const page = entries.slice(0, limit);
    const last: InboxEntry | undefined = page.at(-1);
    const reads = await this.deliverables.withHandovers(page.map((entry) => entry.row));
    const dueOf = new Map(page.map((entry) => [entry.row.id, entry.slaDueAt]));
    return {
      items: reads.map((read) => ({ read, slaDueAt: dueOf.get(read.row.id) ?? null })),
      next:
        entries.length > limit && last
          ? { slaDueAt: last.slaDueAt, targetGoLive: last.row.targetGoLive, id: last.row.id }
          : null,
    };
  }
}
