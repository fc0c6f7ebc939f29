import { z } from 'zod';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';
import { METHODOLOGIES } from './catalogue.schemas.js';

export const serviceResponse = z
  .object({
    id: uuidOut,
    name: z.string(),
    tier: z.number().int().min(1).max(4).describe('1 (most critical) to 4'),
    ownerName: z.string().nullable(),
    supportGroup: z.string().nullable(),
    createdAt: timeOut,
  })
  .meta({ id: 'Service' });

export const servicePageResponse = pageOf(serviceResponse, 'ServicePage');

export const projectResponse = z
  .object({
    id: uuidOut,
    key: z.string(),
    name: z.string(),
    methodology: z.enum(METHODOLOGIES),
    managerName: z.string().nullable(),
    createdAt: timeOut,
  })
  .meta({ id: 'Project' });

export const projectPageResponse = pageOf(projectResponse, 'ProjectPage');

const principalShape = {
  id: uuidOut,
  name: z.string(),
  roles: z.array(z.string()),
  email: z.string().nullable(),
  revoked: z.boolean(),
  revokedAt: timeOut.nullable(),
  oidc: z
    .object({ issuer: z.string(), subject: z.string().nullable() })
    .nullable()
    .describe('set for a principal that signs in with OpenID Connect: who its tokens come from'),
  createdAt: timeOut,
};

export const principalResponse = z.object(principalShape).meta({ id: 'Principal' });

export const principalPageResponse = pageOf(principalResponse, 'PrincipalPage');

export const principalWithTokenResponse = z
  .object({
    ...principalShape,
    token: z
      .string()
      .nullable()
      .describe(
        'the bearer token, shown in this answer only; null when the answer is replayed (Idempotency-Key)',
      ),
  })
  .meta({ id: 'PrincipalWithToken' });

export const delegatedRolesResponse = z
  .object({
    roles: z.array(z.string()).describe('the approver roles delegated'),
    onBehalfOf: uuidOut.describe('the principal who delegated them: send it as onBehalfOf in a decision'),
    onBehalfOfName: z.string().describe("the delegator's name"),
    delegationId: uuidOut.describe('the delegation that lends them'),
    until: timeOut.describe('when the delegation ends'),
  })
  .meta({
    id: 'DelegatedRoles',
    description: 'Roles another principal delegated to the caller, in force now',
  });

export const meResponse = z
  .object({
    id: uuidOut,
    name: z.string(),
    roles: z.array(z.string()).describe("the principal's own roles"),
    email: z.string().nullable(),
    delegatedRoles: z
      .array(delegatedRolesResponse)
      .describe('delegations to the caller in force now (API.md, Delegation), each with the roles lent'),
  })
  .meta({ id: 'Me', description: 'The principal the token belongs to' });
