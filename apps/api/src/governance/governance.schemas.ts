import { z } from 'zod';
import {
  CHANGE_TYPES,
  CRITERION_BLOCKS,
  CRITERION_KINDS,
  findPractice,
  isIsoDuration,
  validForInRange,
} from '@baton/handover';
import { key, name, pageQuery, role, text } from '../http/validation/schemas.js';

const duration = z
  .string()
  .max(64)
  .refine((value) => isIsoDuration(value), 'must be an ISO 8601 duration such as P7D or PT30S');

const gatePolicy = z.strictObject({
  roles: z
    .array(role)
    .min(1, 'must name at least one role')
    .max(32)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
  quorum: z.number().int('must be a whole number').min(1).max(100),
  decisionSla: duration,
});

export const policySchema = z
  .strictObject({
    acceptance: gatePolicy,
    elsExit: gatePolicy,
    elsDuration: duration,
    elsFollowUpEvery: duration,
    elsExitMaxOpenIncidents: z.strictObject({
      P1: z.number().int('must be a whole number').min(0).max(1000),
      P2: z.number().int('must be a whole number').min(0).max(1000),
    }),
    readinessReminders: z.array(duration).max(20),
    freezeOverrideRoles: z
      .array(role)
      .max(32)
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
      .optional()
      .describe('who may schedule a go-live into a change freeze, with a reason (default: change_manager)'),
    elsExitRequiresActionOwners: z
      .boolean()
      .optional()
      .describe(
        'ELS exit criterion: every open follow-on action has an owner; while one has none, the ELS period end extends ELS (default: true)',
      ),
  })
  .meta({ id: 'PolicyRequest' });
export type PolicyBody = z.output<typeof policySchema>;

export const tierParam = z.coerce.number().int().min(1).max(4);

/** An ITIL 4 practice of the catalogue, by key or by name in any case; stored as its key. */
const practice = text(1, 200)
  .refine(
    (value) => findPractice(value) !== undefined,
    'must name one of the 34 ITIL 4 practices of GET /v1/practices, by key or by name',
  )
  .transform((value) => findPractice(value)!.key)
  .describe('an ITIL 4 practice of GET /v1/practices, by key (stored) or by name in any case');

const criterion = z.strictObject({
  key,
  title: name,
  practice,
  mandatory: z.boolean(),
  kind: z.enum(CRITERION_KINDS),
  probeUrl: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2000)
    .optional(),
  blocks: z.enum(CRITERION_BLOCKS).optional(),
  validFor: duration
    .refine(validForInRange, 'must be from PT1S to P10Y')
    .optional()
    .describe('a pass expires this long after it was given, until the go-live is confirmed'),
});

export const checklistSchema = z
  .strictObject({
    name,
    changeTypes: z.array(z.enum(CHANGE_TYPES)).min(1).max(CHANGE_TYPES.length),
    tiers: z.array(z.number().int().min(1).max(4)).min(1).max(4),
    criteria: z.array(criterion).min(1, 'must have at least one criterion').max(200),
  })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.criteria.forEach((item, index) => {
      if (seen.has(item.key)) {
        context.addIssue({
          code: 'custom',
          path: ['criteria', index, 'key'],
          message: `"${item.key}" is repeated`,
        });
      }
      seen.add(item.key);
      if (item.probeUrl !== undefined && item.kind !== 'automated') {
        context.addIssue({
          code: 'custom',
          path: ['criteria', index, 'probeUrl'],
          message: 'only automated criteria are probed',
        });
      }
    });
  })
  .meta({ id: 'ChecklistRequest' });
export type ChecklistBody = z.output<typeof checklistSchema>;

export const listChecklistsSchema = z.strictObject({ ...pageQuery, name: name.optional() });
export type ListChecklistsQuery = z.output<typeof listChecklistsSchema>;
