import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A subscription: Baton POSTs the events it names to `url`, signed with `secret`. */
@Entity({ name: 'webhooks' })
@Index('webhooks_created_at_id_idx', ['createdAt', 'id'])
export class WebhookEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'webhooks_pkey' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Event types, or '*' for all. */
  @Column({ type: 'text', array: true })
  events!: string[];

  /** The HMAC key: needed in clear to sign, never served back. */
  @Column({ type: 'text' })
  secret!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
