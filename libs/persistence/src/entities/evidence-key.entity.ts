import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A key that signs evidence packs (Ed25519). Every key ever used stays, so a pack signed long ago still
 * verifies against GET /v1/evidence-keys. A key Baton made keeps its private half here; one given by
 * BATON_EVIDENCE_KEY does not (the operator keeps it): only its public half is recorded.
 */
@Entity({ name: 'evidence_keys' })
@Index('evidence_keys_activated_at_idx', ['activatedAt'])
export class EvidenceKeyEntity {
  /** The key id: the base64url SHA-256 JWK thumbprint of the public key (RFC 7638). */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'evidence_keys_pkey' })
  kid!: string;

  /** The public key: base64url of its 32 bytes (the JWK's `x`). */
  @Column({ type: 'text' })
  x!: string;

  /** PKCS#8 PEM; null for a key given by BATON_EVIDENCE_KEY. */
  @Column({ name: 'private_key', type: 'text', nullable: true })
  privateKey!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** When a process last took it as the key it signs with: the newest is listed first. */
  @Column({ name: 'activated_at', type: 'timestamptz', default: () => 'now()' })
  activatedAt!: Date;
}
