import { createHash, randomUUID } from 'node:crypto';
import { type Effect, parseIsoDuration } from '@baton/handover';
import { type OutboxAppend, type TimerAppend, type TimerRow } from '@baton/persistence';
import { JOB_QUEUE, JobName, type JobPayloads } from '@baton/queues';

export function outboxJob<N extends JobName>(
  name: N,
  payload: JobPayloads[N],
  runAt: Date | null,
  id: string = randomUUID(),
): OutboxAppend {
  return { id, queue: JOB_QUEUE[name], jobName: name, payload, runAt };
}

/** A domain event for subscribers; its outbox id is the event id. */
export function eventJob(
  /** Null for an event about no deliverable (a delegation). */
  deliverableId: string | null,
  type: string,
  data: Record<string, unknown>,
  at: Date,
  id: string = randomUUID(),
): OutboxAppend {
  return outboxJob(
    JobName.DeliverEvent,
    { eventId: id, type, occurredAt: at.toISOString(), deliverableId, data },
    null,
    id,
  );
}

/**
 * A UUID that is a function of its parts (the 128 leading bits of their SHA-256, marked as a version 8,
 * RFC 9562 custom UUID): a job derived twice from the same things has one id, so it is added once.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One notification e-mail of an event to one principal; its id names both, so deriving it twice adds one. */
export function emailJob(
  event: { eventId: string; deliverableId: string },
  recipient: { id: string; email: string },
  message: { subject: string; text: string },
): OutboxAppend & { deliverableId: string } {
  return {
    ...outboxJob(
      JobName.SendEmail,
      { eventId: event.eventId, to: recipient.email, subject: message.subject, text: message.text },
      null,
      derivedId('send-email', event.eventId, recipient.id),
    ),
    deliverableId: event.deliverableId,
  };
}

/** The delayed job of a timer: its id is the timer's, so the timer has one deterministic job. */
export function timerJob(
  deliverableId: string,
  timer: Pick<TimerRow, 'id' | 'kind' | 'dueAt'>,
  id = timer.id,
): OutboxAppend {
  return outboxJob(
    JobName.FireTimer,
    { timerId: timer.id, deliverableId, kind: timer.kind },
    timer.dueAt,
    id,
  );
}

export interface EffectPlan {
  outbox: OutboxAppend[];
  scheduleTimers: TimerAppend[];
  cancelTimerKinds: string[];
}

export interface PlanOptions {
  /** Names each new row. */
  newId?: () => string;
  /** E-mail notifications are on: every event needs its job. Else only events a webhook subscribes to. */
  emailOn?: boolean;
}

/**
 * What a transition's effects write, in the transition's own statement: outbox rows for jobs and events,
 * timer rows (each with its delayed job), and the kinds of timer to cancel.
 */
export function planEffects(
  deliverableId: string,
  effects: readonly Effect[],
  at: Date,
  { newId = randomUUID, emailOn = true }: PlanOptions = {},
): EffectPlan {
  const plan: EffectPlan = { outbox: [], scheduleTimers: [], cancelTimerKinds: [] };
  for (const effect of effects) {
    switch (effect.type) {
      case 'notify': {
        const event = eventJob(deliverableId, effect.event, effect.data, at, newId());
        plan.outbox.push(emailOn ? event : { ...event, onlyIfSubscribed: effect.event });
        break;
      }
      case 'probe':
        plan.outbox.push(
          outboxJob(
            JobName.ProbeCriterion,
            {
              deliverableId,
              key: effect.key,
              round: effect.round,
              url: effect.url,
              requestedAt: effect.requestedAt,
            },
            null,
            newId(),
          ),
        );
        break;
      case 'schedule_timer': {
        const timer: TimerAppend = {
          id: newId(),
          kind: effect.kind,
          dueAt: new Date(at.getTime() + parseIsoDuration(effect.delay)),
          period: effect.period ?? null,
          repeatEvery: effect.repeat ? effect.delay : null,
          before: effect.before ?? null,
          subject: effect.subject ?? null,
        };
        plan.scheduleTimers.push(timer);
        plan.outbox.push(timerJob(deliverableId, timer));
        break;
      }
      case 'cancel_timers':
        plan.cancelTimerKinds.push(...effect.kinds);
        break;
      default:
        assertUnreachable(effect);
    }
  }
  return plan;
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled effect ${JSON.stringify(value)}`);
}
