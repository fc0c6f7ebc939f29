import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Effects of a transition, committed with it and moved to BullMQ by the relay. The outbox id is the job id,
 * so a relay that runs twice enqueues once.
 */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL' })
@Index('outbox_unfinished_idx', ['createdAt', 'id'], {
  where: 'published_at IS NOT NULL AND done_at IS NULL',
})
@Index('outbox_done_idx', ['doneAt'], { where: 'done_at IS NOT NULL' })
@Index('outbox_events_idx', ['txid', 'id'], { where: "job_name = 'deliver-event'::text" })
export class OutboxEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'outbox_pkey' })
  id!: string;

  @Column({ name: 'deliverable_id', type: 'uuid', nullable: true })
  deliverableId!: string | null;

  @Column({ type: 'text' })
  queue!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  /** When set, the job is delayed until then. */
  @Column({ name: 'run_at', type: 'timestamptz', nullable: true })
  runAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /**
   * The id of the transaction that wrote it (baton_transaction_id(), the default: no statement names it): event
   * rows are served to the live stream in this order, once no older transaction still runs (event.store.ts).
   */
  @Column({ type: 'bigint', default: () => 'baton_transaction_id()' })
  txid!: string;

  /** When its job finished (set by the worker); published rows not finished are the jobs Redis holds. */
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  /** The request id of the work that wrote it: its job runs under it (logs, and what the job writes). */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  /** The W3C traceparent of the work that wrote it (tracing on): its job's span is a child of it. */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;
}
