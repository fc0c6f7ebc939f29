import { z } from 'zod';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';

export const delegationResponse = z
  .object({
    id: uuidOut,
    principalId: uuidOut.describe('the delegator: whose roles are lent, and for whom decisions count'),
    principalName: z.string().describe("the delegator's name"),
    delegateId: uuidOut.describe('who decides for the delegator, sending onBehalfOf'),
    delegateName: z.string().describe("the delegate's name"),
    roles: z.array(z.string()).describe('the approver roles lent'),
    from: timeOut,
    until: timeOut.describe('exclusive'),
    reason: z.string().nullable(),
    createdBy: uuidOut.nullable().describe('the delegator, or the admin who created it for it'),
    createdAt: timeOut,
    revokedAt: timeOut.nullable().describe('when it was revoked; from then on it is not used'),
    inForce: z.boolean().describe('from <= now < until and not revoked: the delegate may use it now'),
  })
  .meta({
    id: 'Delegation',
    description: 'Out of office: approver roles lent to another principal for a time',
  });

export const delegationPageResponse = pageOf(delegationResponse, 'DelegationPage');
