import { type NamedDelegationRow } from '@baton/persistence';
import { type z } from 'zod';
import { type delegationResponse } from './delegations.responses.js';

export function presentDelegation(row: NamedDelegationRow, now: Date): z.input<typeof delegationResponse> {
  return {
    id: row.id,
    principalId: row.principalId,
    principalName: row.principalName,
    delegateId: row.delegateId,
    delegateName: row.delegateName,
    roles: row.roles,
    from: row.startsAt.toISOString(),
    until: row.endsAt.toISOString(),
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    inForce: row.revokedAt === null && row.startsAt <= now && now < row.endsAt,
  };
}
