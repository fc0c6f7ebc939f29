import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Database, type PrincipalRow } from '@baton/persistence';
import { AppError, AppErrorCode } from '@baton/errors';
import { ExpiringSet } from './expiring-set.js';
import { looksLikeJwt, type OidcIdentity, oidcPrincipalId, type OidcVerifier } from './oidc.js';

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

const sameRoles = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((role, index) => role === b[index]);

/** How a bearer token was looked up: found, unknown, or unknown without asking the database again. */
export type TokenLookup = 'found' | 'unknown' | 'unknown_cached';

/** How long a token found unknown is answered 401 from memory: a flood of made-up tokens costs no queries. */
const UNKNOWN_TOKEN_MS = 10_000;
const UNKNOWN_TOKENS_KEPT = 10_000;

/**
 * Bearer tokens to principals; tokens exist in clear only in the response that creates them. Every request
 * with a known token reads the principal from the database (no cache of principals): a revoked or replaced
 * token fails at once, in every process. Only unknown tokens are remembered, briefly: a token is random and
 * shown once when it is made, so one that was unknown a moment ago cannot have become valid since.
 */
export class Access {
  private readonly unknown = new ExpiringSet(UNKNOWN_TOKENS_KEPT, UNKNOWN_TOKEN_MS);

  constructor(
    private readonly db: Database,
    private readonly oidc: OidcVerifier | null = null,
    private readonly observe: (lookup: TokenLookup) => void = () => undefined,
  ) {}

  /**
   * The principal a bearer token belongs to; null for an unknown or revoked one. A JWT, when OIDC is on, is
   * verified instead, and may throw the AppError that says why it is refused.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (this.oidc && looksLikeJwt(token)) return this.signIn(await this.oidc.verify(token));
    const hash = hashToken(token);
    if (this.unknown.has(hash)) {
      this.observe('unknown_cached');
      return null;
    }
    const row = await this.db.principals.findByTokenHash(hash);
    if (!row) this.unknown.add(hash);
    this.observe(row ? 'found' : 'unknown');
    if (!row || row.revokedAt) return null;
    // The lookup was by hash; compare again in constant time for good measure.
    if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return null;
    return toPrincipal(row);
  }

  /**
   * The principal of a verified OIDC identity, created at its first sign-in; its name, e-mail and roles follow
   * the latest token. Revoking it (DELETE /v1/principals/:id) shuts that issuer and subject out.
   */
  private async signIn(identity: OidcIdentity): Promise<Principal | null> {
    const key = {
      id: oidcPrincipalId(identity.issuer, identity.subject),
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    };
    const fields = { name: identity.name, email: identity.email, roles: identity.roles };
    let row = await this.db.principals.findById(key.id);
    if (!row) {
      await this.db.principals.insertIfAbsent({
        ...key,
        ...fields,
        // Not the SHA-256 hex of anything: no bearer token can ever match it.
        tokenHash: `oidc:${randomBytes(32).toString('hex')}`,
        revokedAt: null,
        createdAt: new Date(),
      });
      row = await this.db.principals.findById(key.id);
    }
    if (!row || row.oidcIssuer !== key.oidcIssuer || row.oidcSubject !== key.oidcSubject || row.revokedAt)
      return null;
    if (row.name !== fields.name || row.email !== fields.email || !sameRoles(row.roles, fields.roles)) {
      await this.db.principals.refreshOidc(key, fields);
      row = { ...row, ...fields };
    }
    return toPrincipal(row);
  }

  /** One principal, revoked or not; 404 when none has this id. */
  async principal(id: string): Promise<PrincipalRow> {
    const row = await this.db.principals.findById(id);
    if (!row) throw AppError.notFound('Principal', id);
    return row;
  }

  /**
   * Revokes a principal: its token answers 401 from now on. Revoking again changes nothing. The bootstrap
   * admin cannot be revoked, so that an installation always keeps one way in.
   */
  async revoke(id: string): Promise<void> {
    if (id === ADMIN_PRINCIPAL_ID) {
      throw new AppError(
        AppErrorCode.PrincipalProtected,
        'The bootstrap admin principal cannot be revoked; rotate its token instead',
        { principalId: id },
      );
    }
    if (await this.db.principals.revoke(id, new Date())) return;
    await this.principal(id);
  }

  /** A new token for the principal, shown once; the old one stops working at once. */
  async rotateToken(id: string): Promise<{ row: PrincipalRow; token: string }> {
    const token = generateToken();
    if (await this.db.principals.replaceToken(id, hashToken(token)))
      return { row: await this.principal(id), token };
    const row = await this.principal(id);
    if (row.revokedAt) {
      throw new AppError(AppErrorCode.PrincipalRevoked, `Principal ${id} is revoked; it gets no new token`, {
        principalId: id,
      });
    }
    throw new AppError(
      AppErrorCode.PrincipalUsesOidc,
      `Principal ${id} signs in with OpenID Connect; it has no Baton token to rotate`,
      { principalId: id },
    );
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
      oidcIssuer: null,
      oidcSubject: null,
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
      oidcIssuer: null,
      oidcSubject: null,
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
