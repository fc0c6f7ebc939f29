import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The approval and early-life-support policy of a service tier; a tier without a row uses the built-in default. */
@Entity({ name: 'policies' })
@Check('policies_tier_check', 'tier BETWEEN 1 AND 4')
export class PolicyEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'policies_pkey' })
  tier!: number;

  @Column({ type: 'jsonb' })
  policy!: object;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
