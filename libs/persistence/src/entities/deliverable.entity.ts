import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from './project.entity.js';
import { ServiceEntity } from './service.entity.js';

/**
 * One deliverable and its handover state. Every command rewrites `snapshot`, `version`, `updated_at`,
 * `audit_seq` and `audit_hash`: they stay out of every index so those updates can be HOT (the table is
 * created with fillfactor 80 to leave room on each page).
 */
@Entity({ name: 'deliverables' })
@Index('deliverables_created_at_id_idx', ['createdAt', 'id'])
@Index('deliverables_project_id_idx', ['projectId'])
@Index('deliverables_service_id_idx', ['serviceId'])
@Index('deliverables_status_idx', ['status'])
export class DeliverableEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'deliverables_pkey' })
  id!: string;

  @Column({ name: 'project_id', type: 'uuid' })
  projectId!: string;

  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'deliverables_project_id_fkey' })
  project?: ProjectEntity;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @ManyToOne(() => ServiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'deliverables_service_id_fkey' })
  service?: ServiceEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'change_type', type: 'text' })
  changeType!: string;

  @Column({ name: 'target_go_live', type: 'timestamptz' })
  targetGoLive!: Date;

  @Column({ type: 'text' })
  status!: string;

  /** The XState persisted snapshot, valid for `machine_version` only. */
  @Column({ type: 'jsonb' })
  snapshot!: object;

  @Column({ name: 'machine_version', type: 'integer' })
  machineVersion!: number;

  /** Optimistic concurrency: every change adds 1; writes check it in their WHERE clause. */
  @Column({ type: 'integer' })
  version!: number;

  /** The checklist template the criteria came from; null for the built-in default. */
  @Column({ name: 'checklist_id', type: 'uuid', nullable: true })
  checklistId!: string | null;

  /** Roles that can decide now: the approvers' inbox (`awaitingRole`). Changes only at gate entry and exit. */
  @Index('deliverables_awaiting_roles_idx', { synchronize: false }) // GIN, made by the migration
  @Column({ name: 'awaiting_roles', type: 'text', array: true, default: () => "'{}'" })
  awaitingRoles!: string[];

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  /** The head of this deliverable's audit chain, so an append needs no read of audit_events. */
  @Column({ name: 'audit_seq', type: 'integer' })
  auditSeq!: number;

  @Column({ name: 'audit_hash', type: 'text' })
  auditHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
