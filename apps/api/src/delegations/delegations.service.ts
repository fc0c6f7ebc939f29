import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Principal } from '@baton/access';
import { DELEGATION_CREATED_EVENT, DELEGATION_REVOKED_EVENT, eventJob } from '@baton/commands';
import { AppError, AppErrorCode } from '@baton/errors';
import {
  delegationCycle,
  delegationValid,
  type DelegationSpec,
  HandoverError,
  holdsRole,
  type Refusal,
} from '@baton/handover';
import {
  Database,
  type DelegationInForce,
  type DelegationRow,
  type NamedDelegationRow,
  type Page,
  type PageRequest,
} from '@baton/persistence';
import { type CreateDelegationBody } from './delegations.schemas.js';

function specOf(
  row: Pick<DelegationRow, 'principalId' | 'delegateId' | 'roles' | 'startsAt' | 'endsAt'>,
): DelegationSpec {
  return {
    delegatorId: row.principalId,
    delegateId: row.delegateId,
    roles: row.roles,
    from: row.startsAt.toISOString(),
    until: row.endsAt.toISOString(),
  };
}

function refused(refusal: Refusal | null): void {
  if (refusal) throw new HandoverError(refusal.code, refusal.message, refusal.details);
}

function eventData(row: DelegationRow): Record<string, unknown> {
  return {
    delegationId: row.id,
    principalId: row.principalId,
    delegateId: row.delegateId,
    roles: row.roles,
    from: row.startsAt.toISOString(),
    until: row.endsAt.toISOString(),
  };
}

/** Out of office: who may lend which roles to whom, for how long; the rules themselves are the domain's. */
@Injectable()
export class DelegationsService {
  constructor(private readonly db: Database) {}

  async create(by: Principal, delegatorId: string, body: CreateDelegationBody): Promise<NamedDelegationRow> {
    assertSelfOrAdmin(by, delegatorId, 'delegate the roles of this principal');
    const delegator = await this.db.principals.findById(delegatorId);
    if (!delegator || delegator.revokedAt) throw AppError.notFound('Principal', delegatorId);
    const delegate = await this.db.principals.findById(body.delegateId);
    if (!delegate || delegate.revokedAt) throw AppError.notFound('Principal', body.delegateId, 'delegateId');
    const now = new Date();
    const row: DelegationRow = {
      id: randomUUID(),
      principalId: delegatorId,
      delegateId: body.delegateId,
      roles: [...new Set(body.roles)],
      startsAt: body.from,
      endsAt: body.until,
      reason: body.reason ?? null,
      createdBy: by.id,
      createdAt: now,
      revokedAt: null,
      revokedBy: null,
    };
    const spec = specOf(row);
    refused(delegationValid(spec, delegator.roles));
    await this.db.delegations.create(
      row,
      (overlapping) => refused(delegationCycle(spec, overlapping.map(specOf))),
      [
        {
          ...eventJob(null, DELEGATION_CREATED_EVENT, eventData(row), now),
          onlyIfSubscribed: DELEGATION_CREATED_EVENT,
        },
      ],
    );
    return { ...row, principalName: delegator.name, delegateName: delegate.name };
  }

  /**
   * The delegations `principalId` gave or received. Itself and admins see them all; another principal sees
   * those between it and `principalId` (the delegate of one), and is refused when there are none.
   */
  async list(by: Principal, principalId: string, page: PageRequest): Promise<Page<NamedDelegationRow>> {
    const everything = by.id === principalId || holdsRole(by.roles, 'admin');
    if (everything && !(await this.db.principals.findById(principalId)))
      throw AppError.notFound('Principal', principalId);
    const found = await this.db.delegations.involving(principalId, page, everything ? null : by.id);
    if (!everything && found.items.length === 0 && page.cursor === undefined)
      throw new AppError(
        AppErrorCode.Forbidden,
        "Only the principal itself, its delegates or an admin may read this principal's delegations",
        { requiredRoles: ['admin'] },
      );
    return found;
  }

  /** Revoked at once: the delegate's next decision through it is refused. */
  async revoke(by: Principal, id: string): Promise<void> {
    const row = await this.db.delegations.findById(id);
    if (!row) throw AppError.notFound('Delegation', id);
    assertSelfOrAdmin(by, row.principalId, 'revoke this delegation (the delegator may)');
    if (row.revokedAt) return; // revoking again changes nothing
    const now = new Date();
    await this.db.delegations.revoke(id, by.id, now, [
      {
        ...eventJob(null, DELEGATION_REVOKED_EVENT, { ...eventData(row), revokedBy: by.id }, now),
        onlyIfSubscribed: DELEGATION_REVOKED_EVENT,
      },
    ]);
  }

  inForceFor(delegateId: string, at: Date): Promise<DelegationInForce[]> {
    return this.db.delegations.inForceFor(delegateId, at);
  }
}

function assertSelfOrAdmin(by: Principal, id: string, what: string): void {
  if (by.id === id || holdsRole(by.roles, 'admin')) return;
  throw new AppError(AppErrorCode.Forbidden, `Only an admin or the delegator itself may ${what}`, {
    requiredRoles: ['admin'],
  });
}
