import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * This installation: one row, made by the migration that creates the table. Its id names the installation's
 * queues in a Redis that several installations share (the default BATON_QUEUE_PREFIX) and stamps its jobs.
 */
@Entity({ name: 'installation' })
@Check('installation_one_row', '"one"')
export class InstallationEntity {
  /** Always true: the primary key allows one row. */
  @PrimaryColumn({ type: 'boolean', default: true, primaryKeyConstraintName: 'installation_pkey' })
  one!: boolean;

  @Column({ type: 'uuid' })
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
