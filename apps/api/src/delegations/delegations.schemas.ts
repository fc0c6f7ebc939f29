import { z } from 'zod';
import { pageQuery, role, text, timestamp, uuid } from '../http/validation/schemas.js';

export const createDelegationSchema = z
  .strictObject({
    delegateId: uuid.describe('the principal who decides for the delegator meanwhile'),
    roles: z
      .array(role)
      .min(1, 'must name at least one role')
      .max(20)
      .describe('approver roles the delegator holds (never admin, pmo or smo)'),
    from: timestamp.describe('when it comes into force'),
    until: timestamp.describe('when it ends (exclusive): after from, at most 90 days later'),
    reason: text(1, 10_000).optional(),
  })
  .meta({ id: 'CreateDelegationRequest' });
export type CreateDelegationBody = z.output<typeof createDelegationSchema>;

export const listDelegationsSchema = z.strictObject({ ...pageQuery });
export type ListDelegationsQuery = z.output<typeof listDelegationsSchema>;
