import { z } from 'zod';
import { CHANGE_TYPES, DECISIONS, GATES, PRIORITIES, STATUSES } from '@baton/handover';
import {
  description,
  key,
  name,
  pageQuery,
  role,
  text,
  timestamp,
  uuid,
} from '../http/validation/schemas.js';

export const createDeliverableSchema = z
  .strictObject({
    projectId: uuid,
    serviceId: uuid,
    title: name,
    description: description.nullish(),
    changeType: z.enum(CHANGE_TYPES),
    targetGoLive: timestamp,
  })
  .meta({ id: 'CreateDeliverableRequest' });
export type CreateDeliverableBody = z.output<typeof createDeliverableSchema>;

export const editDeliverableSchema = z
  .strictObject({
    title: name.optional(),
    description: description.nullable().optional(),
    changeType: z.enum(CHANGE_TYPES).optional(),
    targetGoLive: timestamp.optional(),
  })
  .refine(
    (body) => Object.keys(body).length > 0,
    'name at least one of title, description, changeType, targetGoLive',
  )
  .meta({ id: 'EditDeliverableRequest' });
export type EditDeliverableBody = z.output<typeof editDeliverableSchema>;

/** `status=a,b` or `status=a&status=b`. */
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((part) => part.trim()),
  )
  .pipe(z.array(z.enum(STATUSES)).min(1))
  .meta({
    description: `one or more statuses, comma-separated or the parameter repeated: ${STATUSES.join(', ')}`,
  });

export const listDeliverablesSchema = z.strictObject({
  ...pageQuery,
  status: statusList.optional(),
  projectId: uuid.optional(),
  serviceId: uuid.optional(),
  awaitingRole: role.optional(),
});
export type ListDeliverablesQuery = z.output<typeof listDeliverablesSchema>;

const reason = text(1, 10_000);
export const emptySchema = z
  .strictObject({})
  .meta({ id: 'EmptyRequest', description: 'No members: send {} or no body' });
export type EmptyBody = z.output<typeof emptySchema>;
export const reasonSchema = z.strictObject({ reason }).meta({ id: 'ReasonRequest' });
export type ReasonBody = z.output<typeof reasonSchema>;
export const attestSchema = z
  .strictObject({ evidence: text(1, 2_000), note: text(0, 10_000).optional() })
  .meta({ id: 'AttestRequest' });
export type AttestBody = z.output<typeof attestSchema>;
export const waiveSchema = z.strictObject({ reason }).meta({ id: 'WaiveRequest' });
export type WaiveBody = z.output<typeof waiveSchema>;
export const resultSchema = z
  .strictObject({ passed: z.boolean(), detail: text(0, 2_000).optional() })
  .meta({ id: 'ResultRequest' });
export type ResultBody = z.output<typeof resultSchema>;
export const decisionSchema = z
  .strictObject({
    gate: z.enum(GATES),
    role,
    decision: z.enum(DECISIONS),
    comment: text(0, 10_000).optional(),
    onBehalfOf: uuid
      .optional()
      .describe(
        'decide for this delegator, through a delegation from it to the caller in force now (role: one it lent)',
      ),
  })
  .meta({ id: 'DecisionRequest' });
export type DecisionBody = z.output<typeof decisionSchema>;
export const scheduleSchema = z
  .strictObject({
    windowStart: timestamp,
    windowEnd: timestamp,
    override: z
      .strictObject({ reason: text(1, 10_000) })
      .optional()
      .describe(
        "schedule into a change freeze anyway: needs a role of the tier's freezeOverrideRoles; audited with the freezes it overrides",
      ),
  })
  .meta({ id: 'ScheduleRequest' });
export type ScheduleBody = z.output<typeof scheduleSchema>;
export const incidentSchema = z
  .strictObject({
    reference: key,
    priority: z.enum(PRIORITIES),
    summary: text(1, 2_000),
  })
  .meta({ id: 'IncidentRequest' });
export type IncidentBody = z.output<typeof incidentSchema>;

export const createActionSchema = z
  .strictObject({
    title: name,
    ownerId: uuid.optional().describe('the principal who carries it into business as usual'),
    dueAt: timestamp.optional().describe('after now: its owner is reminded then (event reminder.action_due)'),
  })
  .meta({ id: 'CreateActionRequest' });
export type CreateActionBody = z.output<typeof createActionSchema>;
export const assignActionSchema = z
  .strictObject({
    ownerId: uuid,
    dueAt: timestamp
      .optional()
      .describe('sets or moves the due date (the reminder moves with it); a new owner alone moves nothing'),
  })
  .meta({ id: 'AssignActionRequest' });
export type AssignActionBody = z.output<typeof assignActionSchema>;
export const closeActionSchema = z
  .strictObject({ note: text(0, 10_000).optional() })
  .meta({ id: 'CloseActionRequest' });
export type CloseActionBody = z.output<typeof closeActionSchema>;
export const lessonSchema = z.strictObject({ text: text(1, 10_000) }).meta({ id: 'LessonRequest' });
export type LessonBody = z.output<typeof lessonSchema>;
