import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'projects' })
@Index('projects_created_at_id_idx', ['createdAt', 'id'])
export class ProjectEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'projects_pkey' })
  id!: string;

  @Index('projects_key_key', { unique: true })
  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  methodology!: string;

  @Column({ name: 'manager_name', type: 'text', nullable: true })
  managerName!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
