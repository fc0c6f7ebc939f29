import { findIncident, type HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Refusal } from './refusal.js';

export function incidentNew(context: HandoverContext, reference: string): Refusal | null {
  return findIncident(context, reference) === undefined
    ? null
    : {
        code: HandoverErrorCode.DuplicateIncident,
        message: `Incident ${reference} is already recorded`,
        details: { reference },
      };
}

export function incidentOpen(context: HandoverContext, reference: string): Refusal | null {
  const incident = findIncident(context, reference);
  if (incident === undefined) {
    return {
      code: HandoverErrorCode.UnknownIncident,
      message: `The deliverable has no incident ${reference}`,
      details: { reference },
    };
  }
  return incident.resolvedAt === null
    ? null
    : {
        code: HandoverErrorCode.IncidentAlreadyResolved,
        message: `Incident ${reference} was resolved at ${incident.resolvedAt}`,
        details: { reference, resolvedAt: incident.resolvedAt },
      };
}
