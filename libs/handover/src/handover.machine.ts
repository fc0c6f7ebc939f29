import { setup } from 'xstate';
import { initialContext, type HandoverContext } from './handover.context.js';
import type { HandoverEvent } from './handover.events.js';
import { actions } from './machine/actions.js';
import { guards } from './machine/guards.js';
import { DECISION_TIMERS, elsTimers, GATE_TIMERS } from './machine/timers.js';
import {
  attestationExpires,
  cancelTimers,
  criteriaEvents,
  elsPeriodEnds,
  followOnActionEvents,
  freezeLaidOver,
  lessonEvents,
  mayDecideAt,
  moveTargetGoLive,
  notices,
  openDecisionRound,
  probeAgain,
  renewCriteria,
  quorumAt,
  scheduleTimers,
  scheduleWindow,
  sendBackToEls,
  sendBackToRework,
  stopAllTimers,
  stopTimersForRework,
  stopHandoverTimers,
  submission,
} from './machine/transitions.js';
import type { HandoverInput } from './machine/typed.js';

export type { HandoverInput } from './machine/typed.js';

/** Bump when a stored snapshot of the previous version would no longer restore or mean the same. */
export const MACHINE_VERSION = 1;

/**
 * The handover of one deliverable, from draft to operational, and the follow-on actions and lessons learned
 * of the live service after. Each state lists what it takes; the rules
 * behind the guards are in rules/, the actions in machine/actions.ts, the timers in machine/timers.ts, and
 * the transitions several states share in machine/transitions.ts. Effects (probes, timers, notices) are
 * declared, never run: the command path writes them to the outbox with the new snapshot.
 */
export const handoverMachine = setup({
  types: {
    context: {} as HandoverContext,
    events: {} as HandoverEvent,
    // Optional: an actor restored from a snapshot, or made by XState's pure functions, has none.
    input: {} as HandoverInput | undefined,
  },
  actions,
  guards,
}).createMachine({
  id: 'handover',
  // Total: XState's pure transition() makes a throwaway actor without input, which must not throw.
  context: ({ input }) => initialContext(input?.criteria ?? []),
  initial: 'active',
  states: {
    // Every non-final status but on_hold lives in `active`, so HOLD and CANCEL are declared once and the
    // history state remembers where RESUME goes back to.
    active: {
      initial: 'draft',
      on: {
        HOLD: { target: 'on_hold', actions: 'recordHold' },
        CANCEL: { target: 'cancelled', actions: stopAllTimers },
      },
      states: {
        draft: {
          on: {
            EDIT: { actions: 'acceptEdit' },
            ATTEST: criteriaEvents.ATTEST,
            SUBMIT: submission,
            TIMER_DUE: attestationExpires,
          },
        },
        readiness: {
          // Also taken right after a submission that leaves nothing mandatory pending.
          always: {
            guard: 'readinessComplete',
            target: 'acceptance',
            actions: openDecisionRound('acceptance'),
          },
          on: {
            ...moveTargetGoLive,
            ...criteriaEvents,
            ...probeAgain,
            // Approvers may send a deliverable back before its criteria are all met, not accept it.
            ...sendBackToRework,
            TIMER_DUE: [attestationExpires, notices('readiness', ['readiness'])],
          },
        },
        acceptance: {
          always: [
            { guard: quorumAt('acceptance'), target: 'approved', actions: cancelTimers(GATE_TIMERS) },
            { guard: 'readinessIncomplete', target: 'readiness', actions: cancelTimers(DECISION_TIMERS) },
          ],
          on: {
            ...moveTargetGoLive,
            ...criteriaEvents,
            ...probeAgain,
            APPROVE: { guard: mayDecideAt('acceptance'), actions: 'recordDecision' },
            ...sendBackToRework,
            REJECT_FINAL: {
              guard: mayDecideAt('acceptance'),
              target: '#handover.rejected',
              actions: ['recordDecision', stopAllTimers],
            },
            // An attestation that lapses here leaves readiness incomplete: back to readiness, approvals kept.
            TIMER_DUE: [
              attestationExpires,
              notices('acceptance', ['readiness', 'decision_overdue', 'decision_escalation']),
            ],
          },
        },
        rework: {
          on: {
            EDIT: { actions: 'acceptEdit' },
            ...criteriaEvents,
            RESUBMIT: submission,
            TIMER_DUE: attestationExpires,
          },
        },
        approved: {
          on: {
            SCHEDULE_GO_LIVE: { ...scheduleWindow, target: 'scheduled' },
            ...renewCriteria,
            TIMER_DUE: attestationExpires,
          },
        },
        scheduled: {
          on: {
            // Moving the window is allowed while scheduled; the reminders move with it.
            SCHEDULE_GO_LIVE: scheduleWindow,
            ...renewCriteria,
            // Only while readiness holds: a mandatory criterion that lapsed since acceptance is renewed first.
            CONFIRM_GO_LIVE: {
              guard: 'readinessHeld',
              target: 'early_life_support',
              actions: [
                'startEls',
                // Live: nothing expires any more.
                cancelTimers(['readiness', 'attestation_expiry']),
                scheduleTimers(({ context }) => elsTimers(context)),
              ],
            },
            ROLLBACK: { target: 'rework', actions: stopTimersForRework },
            TIMER_DUE: [attestationExpires, notices('scheduled', ['readiness', 'action_due'])],
            FREEZE_CONFLICT: freezeLaidOver,
            FREEZE_LIFTED: { guard: 'conflictNoted', actions: 'dropConflicts' },
            ...followOnActionEvents,
          },
        },
        early_life_support: {
          on: {
            RECORD_INCIDENT: { guard: 'incidentNew', actions: 'recordIncident' },
            RESOLVE_INCIDENT: { guard: 'incidentOpen', actions: 'resolveIncident' },
            TIMER_DUE: [...elsPeriodEnds, notices('early_life_support', ['els_follow_up', 'action_due'])],
            ROLLBACK: { target: 'rework', actions: stopTimersForRework },
            ...followOnActionEvents,
          },
        },
        els_review: {
          always: {
            guard: quorumAt('els_exit'),
            target: '#handover.operational',
            actions: stopHandoverTimers,
          },
          on: {
            RECORD_INCIDENT: { guard: 'incidentNew', actions: 'recordIncident' },
            RESOLVE_INCIDENT: { guard: 'incidentOpen', actions: 'resolveIncident' },
            APPROVE: { guard: mayDecideAt('els_exit'), actions: 'recordDecision' },
            ...sendBackToEls,
            TIMER_DUE: notices('els_review', ['decision_overdue', 'decision_escalation', 'action_due']),
            ...followOnActionEvents,
            ...lessonEvents,
          },
        },
        held: { type: 'history' },
      },
    },
    on_hold: {
      // No timer fires while on hold (TIMER_DUE is not taken here): the command path fires those that came
      // due on resume.
      on: {
        RESUME: { target: 'active.held', actions: 'clearHold' },
        CANCEL: { target: 'cancelled', actions: stopAllTimers },
      },
    },
    // The handover has ended (no status follows: FINAL_STATUSES), but the live service's follow-on actions
    // and lessons learned are still recorded here, so it is not an XState final state.
    operational: {
      on: {
        ...followOnActionEvents,
        ...lessonEvents,
        TIMER_DUE: notices('operational', ['action_due']),
      },
    },
    cancelled: { type: 'final' },
    rejected: { type: 'final' },
  },
});

export type HandoverMachine = typeof handoverMachine;
