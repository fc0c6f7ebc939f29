import type {
  CancelTimersParams,
  NotifyEvent,
  NotifyParams,
  ProbeParams,
  ScheduleTimersParams,
  TimerSpec,
} from './handover.events.js';
import type { TimerKind } from './handover.types.js';
import type { JsonObject } from './json.types.js';

/**
 * What a transition asks the application to do, as serialisable data for the outbox. The machine declares
 * these; the command path writes them in the same transaction as the new snapshot and the worker runs them.
 */
export type Effect =
  /** Probe an automated criterion (HTTP GET to `url`, 2xx passes) and report back a `result` with `round`. */
  | { type: 'probe'; key: string; round: number; url: string; requestedAt: string }
  /**
   * Start a durable timer `delay` after the command's time. els_period_end carries `period`, to be sent back
   * in `els_period_elapsed`; `repeat` timers fire every `delay` until cancelled; readiness reminders say
   * which offset `before` go-live they stand for.
   */
  | ({ type: 'schedule_timer' } & TimerSpec)
  /** Cancel every scheduled timer of these kinds for the deliverable. */
  | { type: 'cancel_timers'; kinds: TimerKind[] }
  /** A domain event for webhooks and notifications. */
  | { type: 'notify'; event: NotifyEvent; data: JsonObject };

export type EffectType = Effect['type'];

/** The Effects among the actions a pure transition returned; XState's own actions (assign...) are skipped. */
export function toEffects(actions: readonly { type: string; params?: unknown }[]): Effect[] {
  return actions.flatMap((action): Effect[] => {
    switch (action.type) {
      case 'probe': {
        const { round, criteria, requestedAt } = action.params as ProbeParams;
        return criteria.map(({ key, url }) => ({ type: 'probe', key, round, url, requestedAt }));
      }
      case 'scheduleTimers':
        return (action.params as ScheduleTimersParams).timers.map((timer) => ({
          type: 'schedule_timer',
          ...timer,
        }));
      case 'cancelTimers':
        return [{ type: 'cancel_timers', kinds: [...(action.params as CancelTimersParams).kinds] }];
      case 'notify': {
        const { event, data } = action.params as NotifyParams;
        return [{ type: 'notify', event, data }];
      }
      default:
        return [];
    }
  });
}
