import { type Principal } from '@baton/access';
import { type PrincipalRow, type ProjectRow, type ServiceRow } from '@baton/persistence';

export const presentService = (row: ServiceRow) => ({
  id: row.id,
  name: row.name,
  tier: row.tier,
  ownerName: row.ownerName,
  supportGroup: row.supportGroup,
  createdAt: row.createdAt.toISOString(),
});

export const presentProject = (row: ProjectRow) => ({
  id: row.id,
  key: row.key,
  name: row.name,
  methodology: row.methodology,
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
) => ({
  id: row.id,
  name: row.name,
  roles: row.roles,
  email: row.email,
  revoked: Boolean(row.revokedAt),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  /** Set for a principal that signs in with OpenID Connect: who its tokens come from. */
  oidc: row.oidcIssuer ? { issuer: row.oidcIssuer, subject: row.oidcSubject } : null,
  createdAt: row.createdAt.toISOString(),
});
