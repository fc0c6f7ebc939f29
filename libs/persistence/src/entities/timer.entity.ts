import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A durable timer: this row is the intent, a BullMQ delayed job (job id = timer id) the alarm clock. A job
 * whose row is no longer `scheduled` does nothing, so a timer fires once however often its job runs.
 */
@Entity({ name: 'timers' })
@Index('timers_deliverable_id_idx', ['deliverableId'])
@Index('timers_scheduled_due_at_idx', ['dueAt'], { where: "status = 'scheduled'" })
export class TimerEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'timers_pkey' })
  id!: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** scheduled, sent (fired), cancelled */
  @Column({ type: 'text' })
  status!: string;

  /** The ELS period an els_period_end timer closes. */
  @Column({ type: 'integer', nullable: true })
  period!: number | null;

  /** Repeats every this long after firing (ISO 8601 duration), until cancelled. */
  @Column({ name: 'repeat_every', type: 'text', nullable: true })
  repeatEvery!: string | null;

  /** For readiness reminders: the offset before go-live this one stands for. */
  @Column({ type: 'text', nullable: true })
  before!: string | null;

  /** The criterion (attestation_expiry) or action (action_due) a timer of one item is about. */
  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
