import { z } from 'zod';
import {
  ACTIONS,
  CHANGE_TYPES,
  CRITERION_BLOCKS,
  CRITERION_KINDS,
  CRITERION_STATUSES,
  DECISIONS,
  FOLLOW_ON_ACTION_STATUSES,
  GATES,
  PRIORITIES,
  STATUSES,
  TIMER_KINDS,
} from '@baton/handover';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';

export const criterionResponse = z
  .object({
    key: z.string(),
    title: z.string(),
    practice: z.string().describe('the ITIL 4 practice it belongs to'),
    mandatory: z.boolean().describe('mandatory criteria are passed or waived before the acceptance decision'),
    kind: z.enum(CRITERION_KINDS),
    status: z.enum(CRITERION_STATUSES),
    probeUrl: z.string().optional().describe('automated: the URL the worker probes (2xx passes)'),
    blocks: z.enum(CRITERION_BLOCKS).optional().describe('the milestone it is meant to be met by'),
    evidence: z.string().optional(),
    note: z.string().optional(),
    detail: z.string().optional().describe('what an automated result said'),
    waiverReason: z.string().optional(),
    updatedAt: timeOut.nullable(),
    updatedBy: uuidOut.nullable().describe('null for the system (the worker)'),
    validFor: z
      .string()
      .optional()
      .describe('a pass expires this long after it was given (ISO 8601 duration)'),
    expiresAt: timeOut
      .optional()
      .describe('when the current pass expires (a criterion with validFor, passed, before go-live)'),
    expiredAt: timeOut
      .optional()
      .describe('when the last pass expired (event criterion.expired), until it is passed or waived again'),
  })
  .meta({ id: 'Criterion' });

export const practiceCoverageResponse = z
  .object({
    key: z.string().describe("a practice's key (GET /v1/practices), or unclassified"),
    name: z.string(),
    total: z.number().int().describe('criteria of this practice'),
    passed: z.number().int(),
    waived: z.number().int(),
    criteria: z.array(z.string()).describe('the keys of its criteria, in the checklist order'),
    named: z
      .array(z.string())
      .optional()
      .describe(
        'unclassified: the practices its criteria name, as a template stored before the catalogue has them',
      ),
  })
  .meta({ id: 'PracticeCoverage' });

export const approvalResponse = z
  .object({
    gate: z.enum(GATES),
    round: z.number().int().describe('the round of the gate it counted in'),
    principalId: uuidOut.describe('who decided'),
    onBehalfOf: uuidOut
      .nullable()
      .describe('the delegator it decided for (its decision counts as theirs); null: for itself'),
    role: z.string(),
    decision: z.enum(DECISIONS),
    comment: z.string().nullable(),
    at: timeOut,
  })
  .meta({ id: 'Approval' });

export const gateResponse = z
  .object({
    gate: z.enum(GATES),
    round: z.number().int(),
    roles: z.array(z.string()).describe('the roles that may decide'),
    quorum: z.number().int().describe('how many distinct principals must approve'),
    approvedBy: z.array(uuidOut).describe('distinct principals who approved in this round'),
    decidedBy: z.array(uuidOut).describe('everyone who decided in this round: they may not decide again'),
  })
  .meta({ id: 'Gate', description: 'The gate waiting for decisions' });

export const incidentResponse = z
  .object({
    reference: z.string(),
    priority: z.enum(PRIORITIES),
    summary: z.string(),
    openedAt: timeOut,
    resolvedAt: timeOut.nullable(),
  })
  .meta({ id: 'Incident' });

export const followOnActionResponse = z
  .object({
    key: z.string().describe('A-1, A-2...: in the order the actions were created'),
    title: z.string(),
    ownerId: uuidOut.nullable().describe('who carries it into business as usual; null: nobody yet'),
    dueAt: timeOut.nullable(),
    status: z.enum(FOLLOW_ON_ACTION_STATUSES),
    createdAt: timeOut,
    createdBy: uuidOut.nullable(),
    closedAt: timeOut.nullable(),
    closedBy: uuidOut.nullable(),
    note: z.string().nullable().describe('what the closer said'),
  })
  .meta({ id: 'FollowOnAction', description: 'A follow-on action handed over with the service' });

export const lessonResponse = z
  .object({ text: z.string(), recordedBy: uuidOut.nullable(), at: timeOut })
  .meta({ id: 'Lesson', description: 'A lesson learned' });

const freezeConflictResponse = z
  .object({ freezeWindowId: uuidOut, name: z.string(), start: timeOut, end: timeOut })
  .meta({ id: 'FreezeConflict', description: 'An occurrence of a change freeze the go-live window meets' });

export const deliverableResponse = z
  .object({
    id: uuidOut,
    status: z.enum(STATUSES),
    version: z.number().int().describe('adds 1 with every change; the ETag'),
    projectId: uuidOut,
    serviceId: uuidOut,
    title: z.string(),
    description: z.string().nullable(),
    changeType: z.enum(CHANGE_TYPES),
    targetGoLive: timeOut,
    submittedBy: uuidOut.nullable(),
    round: z.number().int().describe('the acceptance round: each submission opens one'),
    readiness: z.object({
      criteria: z.array(criterionResponse),
      practices: z
        .array(practiceCoverageResponse)
        .describe(
          'the coverage of the criteria by ITIL 4 practice, in the order of GET /v1/practices, unclassified last',
        ),
    }),
    approvals: z.array(approvalResponse).describe('every decision at every gate and round, oldest first'),
    gate: gateResponse.nullable().describe('the gate waiting for decisions, if any'),
    awaitingRoles: z.array(z.string()).describe('the roles that can decide now'),
    incidents: z.array(incidentResponse),
    goLiveWindow: z.object({ start: timeOut, end: timeOut }).nullable(),
    conflicts: z
      .array(freezeConflictResponse)
      .describe('change freezes laid over the scheduled window since it was set (event schedule.conflict)'),
    els: z.object({
      period: z.number().int().describe('the early life support period; it never goes back'),
      extensions: z.number().int().describe('extensions within the current early life support'),
      exitRound: z.number().int().describe('the els_exit round'),
      exitCriteria: z
        .object({
          incidentsWithinLimits: z
            .boolean()
            .describe("open P1/P2 incidents within the policy's elsExitMaxOpenIncidents"),
          actionsOwned: z
            .boolean()
            .describe(
              'every open follow-on action has an owner (always true when the policy does not ask it)',
            ),
        })
        .nullable()
        .describe(
          'the exit criteria checked when an ELS period ends, as they stand now; while one is false the period end extends ELS. Null before the first submission',
        ),
    }),
    hold: z
      .object({
        reason: z.string(),
        at: timeOut,
        heldFrom: z.enum(STATUSES).nullable().describe('the status resume goes back to'),
      })
      .nullable()
      .describe('while on hold'),
    actions: z.array(followOnActionResponse).describe('follow-on actions, oldest first'),
    lessons: z.array(lessonResponse).describe('lessons learned, oldest first'),
    checklistId: uuidOut.nullable().describe('the checklist template it was created from; null: the default'),
    allowedActions: z.array(z.enum(ACTIONS)).describe('what the caller may do now'),
    createdAt: timeOut,
    updatedAt: timeOut,
  })
  .meta({ id: 'Deliverable' });
export type DeliverableResponse = z.input<typeof deliverableResponse>;

export const deliverablePageResponse = pageOf(deliverableResponse, 'DeliverablePage');

export const auditEventResponse = z
  .object({
    seq: z.number().int(),
    at: timeOut,
    principalId: uuidOut.nullable().describe('null for the system'),
    action: z.string(),
    fromStatus: z.enum(STATUSES).nullable(),
    toStatus: z.enum(STATUSES),
    data: z.record(z.string(), z.unknown()),
    hash: z
      .string()
      .describe(
        'hex SHA-256 of (prevHash ?? "") followed by the canonical JSON of { seq, at, principalId, action, fromStatus, toStatus, data }',
      ),
    prevHash: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

export const historyResponse = z
  .object({ items: z.array(auditEventResponse).describe('oldest first, the creation first') })
  .meta({ id: 'History' });

export const historyVerificationResponse = z
  .object({
    deliverableId: uuidOut,
    valid: z.boolean(),
    events: z.number().int(),
    head: z.string().nullable().describe('the hash of the last event'),
    firstBroken: z
      .object({
        seq: z.number().int(),
        reason: z
          .enum(['seq', 'prev_hash', 'hash', 'head'])
          .describe("what does not hold there; head: the deliverable's recorded head is not the last event"),
      })
      .nullable(),
  })
  .meta({ id: 'HistoryVerification' });

export const reminderResponse = z
  .object({
    id: uuidOut,
    kind: z.enum(TIMER_KINDS),
    dueAt: timeOut,
    sentAt: timeOut.nullable(),
    cancelledAt: timeOut.nullable(),
    status: z.enum(['scheduled', 'sent', 'cancelled']),
    period: z.number().int().optional().describe('els_period_end: the period it closes'),
    before: z.string().optional().describe('readiness: the offset before the target go-live'),
    repeatEvery: z.string().optional().describe('els_follow_up: how often it repeats'),
    subject: z
      .string()
      .optional()
      .describe('attestation_expiry: the criterion that expires; action_due: the action that comes due'),
  })
  .meta({ id: 'Reminder' });

export const remindersResponse = z.object({ items: z.array(reminderResponse) }).meta({ id: 'Reminders' });
