import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DeliverableEntity } from './deliverable.entity.js';

/**
 * A deliverable's readiness criteria as rows, written with each change that touches them (the handover
 * snapshot holds the same facts for the machine's guards): for queries across deliverables.
 */
@Entity({ name: 'deliverable_criteria' })
export class DeliverableCriterionEntity {
  @PrimaryColumn({
    name: 'deliverable_id',
    type: 'uuid',
    primaryKeyConstraintName: 'deliverable_criteria_pkey',
  })
  deliverableId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'deliverable_criteria_pkey' })
  key!: string;

  @ManyToOne(() => DeliverableEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'deliverable_id',
    foreignKeyConstraintName: 'deliverable_criteria_deliverable_id_fkey',
  })
  deliverable?: DeliverableEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  practice!: string;

  @Column({ type: 'boolean' })
  mandatory!: boolean;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  evidence!: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;
}
