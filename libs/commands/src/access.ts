import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Database, type PrincipalRow } from '@baton/persistence';

/** The admin principal created at first start has this fixed id, so replicas starting together agree. */
export const ADMIN_PRINCIPAL_ID = '00000000-0000-4000-8000-000000000001';

export interface Principal {
  id: string;
  name: string;
  roles: string[];
  email: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `bat_${randomBytes(32).toString('base64url')}`;
}

function toPrincipal(row: PrincipalRow): Principal {
  return { id: row.id, name: row.name, roles: row.roles, email: row.email };
}

/** Bearer tokens to principals; tokens exist in clear only in the response that creates them. */
export class Access {
  constructor(private readonly db: Database) {}

  async authenticate(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    const row = await this.db.principals.findByTokenHash(hash);
    if (!row || row.revokedAt) return null;
    // The lookup was by hash; compare again in constant time for good measure.
    if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return null;
    return toPrincipal(row);
  }

  async createPrincipal(input: {
    name: string;
    roles: string[];
    email?: string | null;
  }): Promise<{ principal: Principal; token: string; createdAt: Date }> {
    const token = generateToken();
    const row: PrincipalRow = {
      id: randomUUID(),
      name: input.name,
      roles: [...new Set(input.roles)],
      email: input.email ?? null,
      tokenHash: hashToken(token),
      revokedAt: null,
      createdAt: new Date(),
    };
    await this.db.principals.insert(row);
    return { principal: toPrincipal(row), token, createdAt: row.createdAt };
  }

  /**
   * Makes sure the admin principal exists. With `token` (BATON_ADMIN_TOKEN) its token is set to that one;
   * without, a token is generated only when the admin is new, and returned so it can be shown once.
   */
  async ensureAdmin(token: string | undefined): Promise<{ generatedToken: string | null }> {
    const generated = token ? null : generateToken();
    const row: PrincipalRow = {
      id: ADMIN_PRINCIPAL_ID,
      name: 'admin',
      roles: ['admin'],
      email: null,
      tokenHash: hashToken(token ?? generated!),
      revokedAt: null,
      createdAt: new Date(),
    };
    const inserted = await this.db.principals.insertIfAbsent(row);
    if (inserted) return { generatedToken: generated };
    if (token) {
      const existing = await this.db.principals.findById(ADMIN_PRINCIPAL_ID);
      if (existing?.tokenHash !== row.tokenHash)
        await this.db.principals.setTokenHash(ADMIN_PRINCIPAL_ID, row.tokenHash);
    }
    return { generatedToken: null };
  }
}
