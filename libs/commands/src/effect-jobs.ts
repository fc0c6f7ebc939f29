import { randomUUID } from 'node:crypto';
import { type Effect, parseIsoDuration } from '@baton/handover';
import { type OutboxAppend } from '@baton/persistence';
import { JOB_QUEUE, JobName, type JobPayloads } from '@baton/queues';

function job<N extends JobName>(
  name: N,
  payload: JobPayloads[N],
  runAt: Date | null,
  id = randomUUID(),
): OutboxAppend {
  return { id, queue: JOB_QUEUE[name], jobName: name, payload, runAt };
}

/**
 * The outbox rows for a transition's effects. Everything an effect needs is in its payload, so the worker
 * can act without reading the transition again.
 */
export function effectsToOutbox(deliverableId: string, effects: readonly Effect[], at: Date): OutboxAppend[] {
  const rows: OutboxAppend[] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case 'notify': {
        const id = randomUUID();
        rows.push(
          job(
            JobName.DeliverEvent,
            {
              eventId: id,
              type: effect.event,
              occurredAt: at.toISOString(),
              deliverableId,
              data: effect.data,
            },
            null,
            id,
          ),
        );
        break;
      }
      case 'probe':
        rows.push(
          job(
            JobName.ProbeCriterion,
            { deliverableId, key: effect.key, round: effect.round, url: effect.url },
            null,
          ),
        );
        break;
      case 'schedule_timer': {
        // The ELS period end drives the workflow. Reminders, SLA escalations and follow-ups only notify:
        // they are scheduled once their notifications exist.
        if (effect.kind !== 'els_period_end') break;
        const dueAt = new Date(at.getTime() + parseIsoDuration(effect.delay));
        const payload = {
          deliverableId,
          kind: effect.kind,
          ...(effect.period === undefined ? {} : { period: effect.period }),
        };
        rows.push(job(JobName.FireTimer, payload, dueAt));
        break;
      }
      case 'cancel_timers':
        // A timer job checks, when it fires, that the deliverable still waits for it (period and state),
        // so a cancelled timer needs no job of its own.
        break;
      default:
        assertUnreachable(effect);
    }
  }
  return rows;
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled effect ${JSON.stringify(value)}`);
}
