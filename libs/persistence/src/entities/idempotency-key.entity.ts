import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A mutating request's Idempotency-Key: the first response is kept for 24 h and answered again. */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'principal_id', type: 'uuid', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  principalId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text' })
  path!: string;

  /** SHA-256 of the request body: the same key with another body is refused (422). */
  @Column({ name: 'body_hash', type: 'text' })
  bodyHash!: string;

  /** in_progress while the first request runs, then done. */
  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: object | null;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders!: object | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
