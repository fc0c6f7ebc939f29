import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Someone or something that calls the API. Only a hash of the token is kept. A principal that signs in with
 * OpenID Connect has its issuer and subject here, and a token hash nothing can match.
 */
@Entity({ name: 'principals' })
@Index('principals_oidc_key', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class PrincipalEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'principals_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  /** Hex SHA-256 of the bearer token: tokens are 256-bit random, so a fast hash is enough. */
  @Index('principals_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  /** Hex SHA-256 of the read-only calendar feed token (GET /v1/calendar.ics only); null: none issued. */
  @Index('principals_feed_token_hash_key', { unique: true })
  @Column({ name: 'feed_token_hash', type: 'text', nullable: true })
  feedTokenHash!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'oidc_issuer', type: 'text', nullable: true })
  oidcIssuer!: string | null;

  @Column({ name: 'oidc_subject', type: 'text', nullable: true })
  oidcSubject!: string | null;
}
