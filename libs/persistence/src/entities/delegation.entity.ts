import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Out of office: `principal_id` lets `delegate_id` decide with `roles` for it from `starts_at` until
 * `ends_at` (exclusive), unless revoked. Read by who gave it and by who received it, newest first.
 */
@Entity({ name: 'delegations' })
@Index('delegations_principal_id_created_at_id_idx', ['principalId', 'createdAt', 'id'])
@Index('delegations_delegate_id_created_at_id_idx', ['delegateId', 'createdAt', 'id'])
export class DelegationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'delegations_pkey' })
  id!: string;

  /** The delegator: whose roles are lent, and for whom the delegate's decisions count. */
  @Column({ name: 'principal_id', type: 'uuid' })
  principalId!: string;

  @Column({ name: 'delegate_id', type: 'uuid' })
  delegateId!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Who created it: the delegator, or an admin for it. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;
}
