import { z } from 'zod';
import { CHANGE_TYPES, CRITERION_BLOCKS, CRITERION_KINDS } from '@baton/handover';
import { durationOut, pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';

const gatePolicyResponse = z
  .object({
    roles: z.array(z.string()).describe('the roles that may decide at the gate'),
    quorum: z.number().int().describe('how many distinct principals must approve'),
    decisionSla: durationOut.describe('after it the approvers are reminded; after twice it, escalated'),
  })
  .meta({ id: 'GatePolicy' });

/** The policy itself, as the domain defines it. */
export const policyFields = {
  acceptance: gatePolicyResponse,
  elsExit: gatePolicyResponse,
  elsDuration: durationOut,
  elsFollowUpEvery: durationOut,
  elsExitMaxOpenIncidents: z.object({ P1: z.number().int(), P2: z.number().int() }),
  readinessReminders: z.array(durationOut).describe('offsets before the target go-live'),
  freezeOverrideRoles: z
    .array(z.string())
    .optional()
    .describe('who may schedule a go-live into a change freeze, with a reason (absent: change_manager)'),
  elsExitRequiresActionOwners: z
    .boolean()
    .optional()
    .describe('ELS exit criterion: every open follow-on action has an owner (absent: true)'),
};

export const policyResponse = z
  .object({
    tier: z.number().int().min(1).max(4),
    ...policyFields,
    source: z
      .enum(['custom', 'default'])
      .describe('default: the built-in policy of the tier, never replaced'),
    updatedAt: timeOut.nullable(),
  })
  .meta({ id: 'Policy' });

export const policiesResponse = z
  .object({ items: z.array(policyResponse).describe('one per tier, 1 to 4') })
  .meta({ id: 'Policies' });

export const checklistCriterionResponse = z
  .object({
    key: z.string(),
    title: z.string(),
    practice: z
      .string()
      .describe(
        "the ITIL 4 practice's key; a template stored before the catalogue may hold a name it does not know (counted as unclassified)",
      ),
    mandatory: z.boolean(),
    kind: z.enum(CRITERION_KINDS),
    probeUrl: z.string().optional(),
    blocks: z.enum(CRITERION_BLOCKS).optional(),
    validFor: z.string().optional().describe('a pass expires this long after it was given'),
  })
  .meta({ id: 'ChecklistCriterion' });

export const checklistResponse = z
  .object({
    id: uuidOut,
    name: z.string(),
    version: z.number().int(),
    changeTypes: z.array(z.enum(CHANGE_TYPES)),
    tiers: z.array(z.number().int().min(1).max(4)),
    criteria: z.array(checklistCriterionResponse),
    createdAt: timeOut,
  })
  .meta({ id: 'Checklist' });

export const checklistPageResponse = pageOf(checklistResponse, 'ChecklistPage', {
  default: z
    .object({ name: z.string(), version: z.number().int(), criteria: z.array(checklistCriterionResponse) })
    .describe('the built-in checklist, taken when no template matches'),
});
