import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A change freeze: no go-live is scheduled into one of its occurrences without an override. The first
 * occurrence is `starts_at` to `ends_at`; `rrule` repeats it in `time_zone`'s wall-clock time.
 */
@Entity({ name: 'freeze_windows' })
@Index('freeze_windows_created_at_id_idx', ['createdAt', 'id'])
export class FreezeWindowEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'freeze_windows_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  /** An RFC 5545 RRULE, or null for one occurrence. */
  @Column({ type: 'text', nullable: true })
  rrule!: string | null;

  /** The IANA time zone whose wall clock the occurrences keep. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  /** Service tiers it applies to; with scope_service_ids both null, it applies to every service. */
  @Column({ name: 'scope_tiers', type: 'smallint', array: true, nullable: true })
  scopeTiers!: number[] | null;

  @Column({ name: 'scope_service_ids', type: 'uuid', array: true, nullable: true })
  scopeServiceIds!: string[] | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
