import { type Actor, loadHandover } from '@baton/handover';
import { type AuditEventRow, type DeliverableRow, type TimerRow } from '@baton/persistence';

/** A deliverable as API.md describes it, with what this caller may do next. */
export function presentDeliverable(row: DeliverableRow, actor: Actor) {
  // One restore for both the view and what this caller may do.
  const handover = loadHandover({ snapshot: row.snapshot, machineVersion: row.machineVersion });
  const view = handover.describe();
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    projectId: row.projectId,
    serviceId: row.serviceId,
    title: row.title,
    description: row.description,
    changeType: row.changeType,
    targetGoLive: row.targetGoLive.toISOString(),
    submittedBy: row.submittedBy,
    round: view.round,
    readiness: { criteria: view.criteria },
    approvals: view.approvals,
    gate: view.gate,
    awaitingRoles: view.awaitingRoles,
    incidents: view.incidents,
    goLiveWindow: view.goLiveWindow,
    els: view.els,
    hold: view.hold,
    checklistId: row.checklistId,
    allowedActions: handover.allowedActions(actor),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentAuditEvent(event: AuditEventRow) {
  return {
    seq: event.seq,
    at: event.at.toISOString(),
    principalId: event.principalId,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    data: event.data,
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

export function presentTimer(timer: TimerRow) {
  return {
    id: timer.id,
    kind: timer.kind,
    dueAt: timer.dueAt.toISOString(),
    sentAt: timer.sentAt?.toISOString() ?? null,
    cancelledAt: timer.cancelledAt?.toISOString() ?? null,
    status: timer.status,
    ...(timer.period === null ? {} : { period: timer.period }),
    ...(timer.before === null ? {} : { before: timer.before }),
    ...(timer.repeatEvery === null ? {} : { repeatEvery: timer.repeatEvery }),
  };
}

export const etag = (row: DeliverableRow): string => `"${row.version}"`;
