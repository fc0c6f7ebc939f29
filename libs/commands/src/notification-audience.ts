/** What an e-mail notification needs to know of the deliverable. */
export interface NotifiedDeliverable {
  id: string;
  title: string;
  status: string;
  createdBy: string | null;
  submittedBy: string | null;
  awaitingRoles: string[];
}

export interface Notification {
  /**
   * Principals named directly, roles whose holders are told, and roles whose active delegates are told too
   * (API.md: reminders and escalations for a gate go to the delegates of its approver roles).
   */
  audience: { ids: string[]; roles: string[]; delegatesOf: string[] };
  subject: string;
  text: string;
}

const owners = (deliverable: NotifiedDeliverable): string[] =>
  [deliverable.createdBy, deliverable.submittedBy].filter((id): id is string => id !== null);

/**
 * Who hears of an event by e-mail, and what it says. Status changes go to the project side and, at a
 * gate, to the approvers it waits for; decision reminders to the approvers still missing; escalations to
 * the SMO; early-life-support news to the SMO and the project side.
 */
export function notificationFor(
  type: string,
  data: Record<string, unknown>,
  deliverable: NotifiedDeliverable,
): Notification | null {
  const name = `"${deliverable.title}"`;
  const link = `Deliverable ${deliverable.id}, now ${deliverable.status}.`;
  switch (type) {
    case 'deliverable.status_changed': {
      // Approvers hear of a deliverable when it reaches their gate, not of every step before.
      const atGate = data.to === 'acceptance' || data.to === 'els_review';
      return {
        audience: {
          ids: owners(deliverable),
          roles: atGate ? deliverable.awaitingRoles : [],
          delegatesOf: atGate ? deliverable.awaitingRoles : [],
        },
        subject: `[Baton] ${name}: ${String(data.from)} -> ${String(data.to)}`,
        text: `${name} moved from ${String(data.from)} to ${String(data.to)}.\n${
          deliverable.awaitingRoles.length
            ? `Waiting for a decision from: ${deliverable.awaitingRoles.join(', ')}.\n`
            : ''
        }${link}`,
      };
    }
    case 'reminder.readiness':
      return {
        audience: { ids: owners(deliverable), roles: [], delegatesOf: [] },
        subject: `[Baton] Reminder: ${name} is not yet approved${typeof data.before === 'string' ? ` (${data.before} before go-live)` : ''}`,
        text: `${name} is not yet approved for go-live. Readiness criteria or decisions are still open.\n${link}`,
      };
    case 'reminder.decision_overdue':
      return {
        audience: { ids: [], roles: deliverable.awaitingRoles, delegatesOf: deliverable.awaitingRoles },
        subject: `[Baton] Decision overdue: ${name}`,
        text: `${name} has waited longer than the decision SLA for: ${deliverable.awaitingRoles.join(', ')}.\n${link}`,
      };
    case 'reminder.decision_escalation':
      return {
        // The SMO escalates; the delegates standing in for the missing approvers hear of it too.
        audience: { ids: [], roles: ['smo'], delegatesOf: deliverable.awaitingRoles },
        subject: `[Baton] Escalation: decision on ${name} is twice overdue`,
        text: `${name} has waited twice the decision SLA for: ${deliverable.awaitingRoles.join(', ')}.\n${link}`,
      };
    case 'els.follow_up':
    case 'els.extended':
      return {
        audience: { ids: owners(deliverable), roles: ['smo'], delegatesOf: [] },
        subject:
          type === 'els.extended'
            ? `[Baton] Early life support extended: ${name}`
            : `[Baton] ELS follow-up: ${name}`,
        text:
          type === 'els.extended'
            ? `The early life support period of ${name} ended with its exit criteria unmet${unmetWords(data)}: it runs for another period.\n${link}`
            : `${name} is in early life support: review open incidents and follow-on actions.\n${link}`,
      };
    case 'reminder.action_due': {
      // The owner carries the action; one nobody owns yet is the SMO's to hand on.
      const action = (data.action ?? {}) as { key?: unknown; title?: unknown };
      const owner = typeof data.ownerId === 'string' ? data.ownerId : null;
      return {
        audience: owner
          ? { ids: [owner], roles: [], delegatesOf: [] }
          : { ids: [], roles: ['smo'], delegatesOf: [] },
        subject: `[Baton] Follow-on action due: ${String(action.title)} (${name})`,
        text: `Follow-on action ${String(action.key)} "${String(action.title)}" of ${name} is due now (${String(data.dueAt)})${owner ? '' : ' and has no owner'}.\n${link}`,
      };
    }
    case 'schedule.conflict': {
      const conflicts = Array.isArray(data.conflicts) ? (data.conflicts as { name?: unknown }[]) : [];
      const names = [...new Set(conflicts.map((conflict) => String(conflict.name)))].join(', ');
      return {
        audience: { ids: owners(deliverable), roles: ['smo'], delegatesOf: [] },
        subject: `[Baton] Change freeze over the go-live of ${name}`,
        text: `A change freeze (${names}) now covers the scheduled go-live window of ${name} (${String(data.windowStart)} to ${String(data.windowEnd)}). Move the window, or confirm the go-live knowingly.\n${link}`,
      };
    }
    case 'criterion.expired':
      // The project re-attests; the SMO confirms the go-live and must know readiness lapsed.
      return {
        audience: { ids: owners(deliverable), roles: ['smo'], delegatesOf: [] },
        subject: `[Baton] Readiness expired: ${String(data.title ?? data.key)} on ${name}`,
        text: `The attestation of "${String(data.title ?? data.key)}" on ${name} expired at ${String(data.expiredAt)} (valid for ${String(data.validFor)}).${
          data.mandatory === true
            ? ' It is mandatory: the go-live cannot be confirmed until it is attested, probed or waived again.'
            : ''
        }\n${link}`,
      };
    default:
      return null;
  }
}

/** Which ELS exit criteria did not hold, in words, from an els.extended notice. */
function unmetWords(data: Record<string, unknown>): string {
  const unmet = Array.isArray(data.unmet) ? data.unmet : [];
  const words = [
    ...(unmet.includes('incidents') ? ['too many open incidents'] : []),
    ...(unmet.includes('action_owners') && Array.isArray(data.actionsWithoutOwner)
      ? [`follow-on actions without an owner (${data.actionsWithoutOwner.join(', ')})`]
      : []),
  ];
  return words.length === 0 ? '' : ` (${words.join('; ')})`;
}
