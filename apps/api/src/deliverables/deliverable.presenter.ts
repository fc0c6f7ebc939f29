import { type Actor, allowedActions, describeHandover } from '@baton/handover';
import { type AuditEventRow, type DeliverableRow } from '@baton/persistence';

/** A deliverable as API.md describes it, with what this caller may do next. */
export function presentDeliverable(row: DeliverableRow, actor: Actor) {
  const stored = { snapshot: row.snapshot, machineVersion: row.machineVersion };
  const view = describeHandover(stored);
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
    allowedActions: allowedActions(stored, actor),
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

export const etag = (row: DeliverableRow): string => `"${row.version}"`;
