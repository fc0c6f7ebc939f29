import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A versioned readiness checklist: posting a name that exists makes its next version. */
@Entity({ name: 'checklist_templates' })
@Index('checklist_templates_name_version_key', ['name', 'version'], { unique: true })
@Index('checklist_templates_created_at_id_idx', ['createdAt', 'id'])
export class ChecklistTemplateEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'checklist_templates_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'change_types', type: 'text', array: true })
  changeTypes!: string[];

  @Column({ type: 'smallint', array: true })
  tiers!: number[];

  @Column({ type: 'jsonb' })
  criteria!: object;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
