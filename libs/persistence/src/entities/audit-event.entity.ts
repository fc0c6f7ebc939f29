import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeliverableEntity } from './deliverable.entity.js';

/** Append-only, hash-chained per deliverable: hash = SHA-256(prevHash ?? '' + canonical JSON of the event). */
@Entity({ name: 'audit_events' })
// The continual improvement register reads the lessons newest first across every deliverable.
@Index('audit_events_lessons_idx', ['at', 'deliverableId', 'seq'], { where: "action = 'record_lesson'" })
export class AuditEventEntity {
  @PrimaryColumn({ name: 'deliverable_id', type: 'uuid', primaryKeyConstraintName: 'audit_events_pkey' })
  deliverableId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'audit_events_pkey' })
  seq!: number;

  @ManyToOne(() => DeliverableEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'deliverable_id', foreignKeyConstraintName: 'audit_events_deliverable_id_fkey' })
  deliverable?: DeliverableEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'principal_id', type: 'uuid', nullable: true })
  principalId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ type: 'jsonb' })
  data!: object;

  @Column({ name: 'prev_hash', type: 'text', nullable: true })
  prevHash!: string | null;

  @Column({ type: 'text' })
  hash!: string;
}
