import { type Principal } from '@baton/access';
import {
  type DelegationInForce,
  type PrincipalRow,
  type ProjectRow,
  type ServiceRow,
} from '@baton/persistence';
import { type z } from 'zod';
import { oneOf } from '../http/openapi/response-schemas.js';
import { METHODOLOGIES } from './catalogue.schemas.js';
import {
  type meResponse,
  type principalResponse,
  type projectResponse,
  type serviceResponse,
} from './catalogue.responses.js';

export const presentService = (row: ServiceRow): z.input<typeof serviceResponse> => ({
  id: row.id,
  name: row.name,
  tier: row.tier,
  ownerName: row.ownerName,
  supportGroup: row.supportGroup,
  createdAt: row.createdAt.toISOString(),
});

export const presentProject = (row: ProjectRow): z.input<typeof projectResponse> => ({
  id: row.id,
  key: row.key,
  name: row.name,
  methodology: oneOf(METHODOLOGIES, row.methodology, 'methodology'),
  managerName: row.managerName,
  createdAt: row.createdAt.toISOString(),
});

export const presentPrincipal = (
  row:
    | PrincipalRow
    | (Principal & {
        createdAt: Date;
        revokedAt?: Date | null;
        oidcIssuer?: string | null;
        oidcSubject?: string | null;
      }),
): z.input<typeof principalResponse> => ({
  id: row.id,
  name: row.name,
  roles: row.roles,
  email: row.email,
  revoked: Boolean(row.revokedAt),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  oidc: row.oidcIssuer ? { issuer: row.oidcIssuer, subject: row.oidcSubject ?? null } : null,
  createdAt: row.createdAt.toISOString(),
});

/** The caller, with the delegations to it in force now. */
export const presentMe = (
  principal: Principal,
  delegations: readonly DelegationInForce[],
): z.input<typeof meResponse> => ({
  id: principal.id,
  name: principal.name,
  roles: principal.roles,
  email: principal.email,
  delegatedRoles: delegations.map((delegation) => ({
    roles: delegation.roles,
    onBehalfOf: delegation.principalId,
    onBehalfOfName: delegation.principalName,
    delegationId: delegation.id,
    until: delegation.endsAt.toISOString(),
  })),
});
