import { z } from 'zod';
import { DECISIONS, GATES } from '@baton/handover';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';
import { deliverableResponse } from '../deliverables/deliverable.responses.js';

export const inboxDecisionResponse = z
  .object({
    principalId: uuidOut.describe('who decided'),
    onBehalfOf: uuidOut.nullable().describe('the delegator it decided for; null: for itself'),
    role: z.string().describe('the role it decided with'),
    decision: z.enum(DECISIONS),
    comment: z.string().nullable(),
    at: timeOut,
  })
  .meta({ id: 'InboxDecision', description: 'A decision taken at the gate in its current round' });

export const inboxItemResponse = z
  .object({
    deliverable: deliverableResponse.describe(
      'the deliverable as GET /v1/deliverables serves it, with what the caller may do (decide)',
    ),
    onBehalfOf: uuidOut
      .nullable()
      .describe(
        'the delegator the caller may decide for here (send it as onBehalfOf in POST .../decisions); null: for itself',
      ),
    onBehalfOfName: z.string().nullable().describe("the delegator's name; null when onBehalfOf is"),
    gate: z.enum(GATES).describe('the gate it waits at: POST .../decisions with this gate'),
    round: z.number().int().describe("the gate's current round: decisions of earlier rounds do not count"),
    roles: z
      .array(z.string())
      .describe(
        "the caller's roles (with onBehalfOf: those the delegator lends it) that may decide here: send one as role in POST .../decisions",
      ),
    awaitingRoles: z
      .array(z.string())
      .describe('every role that may decide at this gate: whom the gate waits for'),
    quorum: z.number().int().describe('how many distinct principals must approve'),
    approvals: z.number().int().describe('distinct principals who approved in this round'),
    approvalsNeeded: z.number().int().describe('approvals still missing for the quorum'),
    decisions: z.array(inboxDecisionResponse).describe('the decisions of this round so far, oldest first'),
    slaDueAt: timeOut
      .nullable()
      .describe(
        "when the decision is due: the decision SLA (the policy's decisionSla from entering the gate), as its " +
          'decision_overdue reminder is scheduled; null when there is no such reminder',
      ),
    overdue: z.boolean().describe('slaDueAt has passed'),
  })
  .meta({ id: 'InboxItem', description: 'A deliverable waiting at a gate for the caller to decide' });
export type InboxItemResponse = z.input<typeof inboxItemResponse>;

export const inboxPageResponse = pageOf(inboxItemResponse, 'InboxPage');
