import {
  type Actor,
  type Approval,
  CHANGE_TYPES,
  type CriterionView,
  type FollowOnAction,
  type GateView,
  type HandoverView,
  type IncidentRecord,
  type LessonRecord,
  type LoadedHandover,
  type PracticeCoverage,
  practiceCoverage,
  STATUSES,
  TIMER_KINDS,
} from '@baton/handover';
import { type AuditEventRow, type DeliverableHead, type TimerRow } from '@baton/persistence';
import { type z } from 'zod';
import { oneOf, type SameShape } from '../http/openapi/response-schemas.js';
import {
  type approvalResponse,
  type auditEventResponse,
  type criterionResponse,
  type DeliverableResponse,
  type deliverableResponse,
  type followOnActionResponse,
  type gateResponse,
  type incidentResponse,
  type lessonResponse,
  type practiceCoverageResponse,
  type reminderResponse,
} from './deliverable.responses.js';

type Output<S extends z.ZodType> = z.output<S>;
type Response = Output<typeof deliverableResponse>;

// The parts of the view served as they are: the domain's types are the response schemas' types.
const sameShapes = [
  true satisfies SameShape<CriterionView, Output<typeof criterionResponse>>,
  true satisfies SameShape<Approval, Output<typeof approvalResponse>>,
  true satisfies SameShape<GateView, Output<typeof gateResponse>>,
  true satisfies SameShape<IncidentRecord, Output<typeof incidentResponse>>,
  true satisfies SameShape<FollowOnAction, Output<typeof followOnActionResponse>>,
  true satisfies SameShape<LessonRecord, Output<typeof lessonResponse>>,
  true satisfies SameShape<PracticeCoverage, Output<typeof practiceCoverageResponse>>,
  true satisfies SameShape<HandoverView['goLiveWindow'], Response['goLiveWindow']>,
  true satisfies SameShape<HandoverView['conflicts'], Response['conflicts']>,
  true satisfies SameShape<HandoverView['els'], Response['els']>,
  true satisfies SameShape<HandoverView['hold'], Response['hold']>,
];
void sameShapes;

/**
 * A deliverable as API.md describes it, with what this caller may do next: a mapping of the row and its
 * handover, restored by the caller (once per row, and shared with the command that produced it).
 */
export function presentDeliverable(
  row: DeliverableHead,
  handover: Pick<LoadedHandover, 'describe' | 'allowedActions'>,
  actor: Actor,
): DeliverableResponse {
  const view = handover.describe();
  return {
    id: row.id,
    status: oneOf(STATUSES, row.status, 'status'),
    version: row.version,
    projectId: row.projectId,
    serviceId: row.serviceId,
    title: row.title,
    description: row.description,
    changeType: oneOf(CHANGE_TYPES, row.changeType, 'change type'),
    targetGoLive: row.targetGoLive.toISOString(),
    submittedBy: row.submittedBy,
    round: view.round,
    readiness: { criteria: view.criteria, practices: practiceCoverage(view.criteria) },
    approvals: view.approvals,
    gate: view.gate,
    awaitingRoles: view.awaitingRoles,
    incidents: view.incidents,
    goLiveWindow: view.goLiveWindow,
    conflicts: view.conflicts,
    els: view.els,
    hold: view.hold,
    actions: view.actions,
    lessons: view.lessons,
    checklistId: row.checklistId,
    allowedActions: handover.allowedActions(actor),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function jsonObject(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw new Error('Stored audit data is not a JSON object');
}

export function presentAuditEvent(event: AuditEventRow): z.input<typeof auditEventResponse> {
  return {
    seq: event.seq,
    at: event.at.toISOString(),
    principalId: event.principalId,
    action: event.action,
    fromStatus: event.fromStatus === null ? null : oneOf(STATUSES, event.fromStatus, 'status'),
    toStatus: oneOf(STATUSES, event.toStatus, 'status'),
    data: jsonObject(event.data),
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

const TIMER_STATUSES = ['scheduled', 'sent', 'cancelled'] as const;

export function presentTimer(timer: TimerRow): z.input<typeof reminderResponse> {
  return {
    id: timer.id,
    kind: oneOf(TIMER_KINDS, timer.kind, 'timer kind'),
    dueAt: timer.dueAt.toISOString(),
    sentAt: timer.sentAt?.toISOString() ?? null,
    cancelledAt: timer.cancelledAt?.toISOString() ?? null,
    status: oneOf(TIMER_STATUSES, timer.status, 'timer status'),
    ...(timer.period === null ? {} : { period: timer.period }),
    ...(timer.before === null ? {} : { before: timer.before }),
    ...(timer.repeatEvery === null ? {} : { repeatEvery: timer.repeatEvery }),
    ...(timer.subject === null ? {} : { subject: timer.subject }),
  };
}

export const etag = (row: Pick<DeliverableHead, 'version'>): string => `"${row.version}"`;
