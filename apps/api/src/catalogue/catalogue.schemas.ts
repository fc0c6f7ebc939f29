import { z } from 'zod';
import { key, name, pageQuery, role, text } from '../http/validation/schemas.js';

export const createServiceSchema = z
  .strictObject({
    name,
    tier: z.number().int('must be a whole number').min(1).max(4),
    ownerName: name.nullish(),
    supportGroup: name.nullish(),
  })
  .meta({ id: 'CreateServiceRequest' });
export type CreateServiceBody = z.output<typeof createServiceSchema>;

export const METHODOLOGIES = ['prince2', 'pmbok', 'agile', 'hybrid'] as const;

export const createProjectSchema = z
  .strictObject({
    key,
    name,
    methodology: z.enum(METHODOLOGIES),
    managerName: name.nullish(),
  })
  .meta({ id: 'CreateProjectRequest' });
export type CreateProjectBody = z.output<typeof createProjectSchema>;

export const createPrincipalSchema = z
  .strictObject({
    name,
    roles: z.array(role).min(1, 'must name at least one role').max(32),
    email: z.email('must be an e-mail address').max(320).nullish(),
  })
  .meta({ id: 'CreatePrincipalRequest' });
export type CreatePrincipalBody = z.output<typeof createPrincipalSchema>;

/** A new token needs nothing in the body; anything sent is refused like any unknown field. */
export const rotateTokenSchema = z.strictObject({}).meta({ id: 'RotateTokenRequest' });
export type RotateTokenBody = z.output<typeof rotateTokenSchema>;

export const listQuerySchema = z.strictObject({ ...pageQuery });
export type ListQuery = z.output<typeof listQuerySchema>;

export const comment = text(0, 10_000);
