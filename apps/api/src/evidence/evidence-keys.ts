import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database, type EvidenceKeyRow, type NewEvidenceKey } from '@baton/persistence';

/** A public key as the JWKS lists it (RFC 8037: an Ed25519 key is an OKP key). */
export interface EvidenceJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  kid: string;
  x: string;
  use: 'sig';
  alg: 'EdDSA';
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** The base64url SHA-256 JWK thumbprint (RFC 7638): the required members, sorted, no spaces. */
export function jwkThumbprint(x: string): string {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

/** The public half of an Ed25519 private key: the JWK's `x`. */
function publicX(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('Not an Ed25519 key');
  return jwk.x;
}

function describeKey(privateKey: KeyObject, keepPrivate: boolean): NewEvidenceKey {
  const x = publicX(privateKey);
  return {
    kid: jwkThumbprint(x),
    x,
    privateKey: keepPrivate ? privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() : null,
  };
}

/**
 * The key that signs evidence packs: BATON_EVIDENCE_KEY when set (only its public half is recorded), else
 * the one this installation made at its first start and keeps in PostgreSQL. Taken once, when the api
 * starts; every key ever taken stays listed, so old packs still verify.
 */
@Injectable()
export class EvidenceKeys implements OnApplicationBootstrap {
  private key: SigningKey | null = null;

  constructor(
    private readonly db: Database,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const row = this.config.evidenceKey
      ? await this.db.evidenceKeys.given(
          describeKey(createPrivateKey({ key: this.config.evidenceKey, format: 'pem' }), false),
        )
      : await this.db.evidenceKeys.generated(() =>
          describeKey(generateKeyPairSync('ed25519').privateKey, true),
        );
    this.key = {
      kid: row.kid,
      privateKey: createPrivateKey({ key: row.privateKey ?? this.config.evidenceKey!, format: 'pem' }),
    };
  }

  /** The id of the key packs are signed with now. */
  get keyId(): string {
    return this.signingKey().kid;
  }

  /** The base64 Ed25519 signature of `text` (UTF-8) and the id of the key that made it. */
  sign(text: string): { keyId: string; value: string } {
    const key = this.signingKey();
    return {
      keyId: key.kid,
      value: sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64'),
    };
  }

  /** Every key ever used, this process's first, then the most recently activated. */
  async jwks(): Promise<{ keys: EvidenceJwk[] }> {
    const current = this.signingKey().kid;
    const rows = await this.db.evidenceKeys.all();
    const ordered = [
      ...rows.filter((row) => row.kid === current),
      ...rows.filter((row) => row.kid !== current),
    ];
    return { keys: ordered.map(toJwk) };
  }

  private signingKey(): SigningKey {
    if (!this.key) throw new Error('The evidence key is not loaded yet');
    return this.key;
  }
}

const toJwk = (row: EvidenceKeyRow): EvidenceJwk => ({
  kty: 'OKP',
  crv: 'Ed25519',
  kid: row.kid,
  x: row.x,
  use: 'sig',
  alg: 'EdDSA',
});
