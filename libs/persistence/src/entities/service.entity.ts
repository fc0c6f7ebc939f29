import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An entry of the service catalogue that deliverables are handed over into. */
@Entity({ name: 'services' })
@Check('services_tier_check', 'tier BETWEEN 1 AND 4')
@Index('services_created_at_id_idx', ['createdAt', 'id'])
export class ServiceEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'services_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'smallint' })
  tier!: number;

  @Column({ name: 'owner_name', type: 'text', nullable: true })
  ownerName!: string | null;

  @Column({ name: 'support_group', type: 'text', nullable: true })
  supportGroup!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
