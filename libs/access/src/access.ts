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

/** What every calendar feed token starts with: a feed token is told from an API token before any lookup. */
export const FEED_TOKEN_PREFIX = 'batcal_';

export function generateFeedToken(): string {
  return `${FEED_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function toPrincipal(row: PrincipalRow): Principal {
  return { id: row.id, name: row.name, roles: row.roles, email: row.email };
}

const sameRoles = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((role, index) => role === b[index]);

/**
 * How a bearer token was looked up: found in the database, known from memory, unknown, or unknown without
 * asking the database again.
 */
export type TokenLookup = 'found' | 'cached' | 'unknown' | 'unknown_cached';

/** How long a token found unknown is answered 401 from memory: a flood of made-up tokens costs no queries. */
const UNKNOWN_TOKEN_MS = 10_000;
const UNKNOWN_TOKENS_KEPT = 10_000;
/** How long an authenticated principal is kept in memory at most (changes are announced, and forgotten at once). */
const KNOWN_TOKEN_MS = 60_000;
const KNOWN_TOKENS_KEPT = 10_000;
/** The channel on which the database announces every change to a principal, with its old token hash. */
export const PRINCIPAL_CHANGES = 'baton_principals';

/**
 * Bearer tokens to principals; tokens exist in clear only in the response that creates them.
 *
 * A principal a token authenticated is remembered in memory for up to a minute, but only while this
 * process hears the database's announcements of principal changes (a trigger NOTIFYs every update or
 * delete of a principal with its token hash): a revoked or rotated token is forgotten in every process as
 * the change commits, and in this one before the call that made it returns. Without the announcements
 * (before `watch()`, or while its connection is down) every request reads the database. Unknown tokens are
 * remembered briefly too: a token is random and shown once when it is made, so one that was unknown a
 * moment ago cannot have become valid since.
 */
export class Access {
  private readonly unknown = new ExpiringSet(UNKNOWN_TOKENS_KEPT, UNKNOWN_TOKEN_MS);
  private readonly unknownFeeds = new ExpiringSet(UNKNOWN_TOKENS_KEPT, UNKNOWN_TOKEN_MS);
  private readonly known = new Map<string, { principal: Principal; until: number }>();
  /** True while the announcements of principal changes are heard: only then is a principal kept. */
  private watching = false;
  /** Announcements heard so far: a principal read while one arrived is not kept (it may be what changed). */
  private heard = 0;
  private unwatch: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly oidc: OidcVerifier | null = null,
    private readonly observe: (lookup: TokenLookup) => void = () => undefined,
  ) {}

  /** Starts hearing principal changes, which lets authenticated principals be kept in memory. */
  watch(warn: (line: string) => void = () => undefined): void {
    if (this.unwatch) return;
    this.unwatch = this.db.listen(
      PRINCIPAL_CHANGES,
      (tokenHash) => {
        this.heard += 1;
        if (tokenHash === undefined) {
          // (Re)connected: what changed while not listening is unknown, so nothing kept is trusted.
          this.known.clear();
          this.watching = true;
        } else {
          this.known.delete(tokenHash);
        }
      },
      (error) => {
        this.heard += 1;
        this.watching = false;
        this.known.clear();
        warn(`Principal changes are not heard (${error.message}): every request reads the database`);
      },
    );
  }

  async close(): Promise<void> {
    this.watching = false;
    this.known.clear();
    await this.unwatch?.();
    this.unwatch = null;
  }

  /**
   * The principal a bearer token belongs to; null for an unknown or revoked one. A JWT, when OIDC is on, is
   * verified instead, and may throw the AppError that says why it is refused.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (this.oidc && looksLikeJwt(token)) return this.signIn(await this.oidc.verify(token));
    const hash = hashToken(token);
    const now = Date.now();
    const known = this.watching ? this.known.get(hash) : undefined;
    if (known !== undefined && known.until > now) {
      this.observe('cached');
      return known.principal;
    }
    if (this.unknown.has(hash)) {
      this.observe('unknown_cached');
      return null;
    }
    const heard = this.watching ? this.heard : -1;
    const row = await this.db.principals.findByTokenHash(hash);
    if (!row) this.unknown.add(hash);
    this.observe(row ? 'found' : 'unknown');
    if (!row || row.revokedAt) return null;
    // The lookup was by hash; compare again in constant time for good measure.
    if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return null;
    const principal = toPrincipal(row);
    // Kept only if no announcement came between the read and now: none can have been missed.
    if (heard === this.heard && this.watching) this.remember(hash, principal, now);
    return principal;
  }

  /**
   * The principal a calendar feed token belongs to; null for an unknown, replaced or revoked one. Feed tokens
   * serve GET /v1/calendar.ics only (the guard asks this nowhere else), and are read from the database each
   * time: a calendar polls now and then, and a replaced or revoked feed must stop at once.
   */
  async authenticateFeed(token: string): Promise<Principal | null> {
    if (!token.startsWith(FEED_TOKEN_PREFIX)) return null;
    const hash = hashToken(token);
    if (this.unknownFeeds.has(hash)) return null;
    const row = await this.db.principals.findByFeedTokenHash(hash);
    if (!row?.feedTokenHash) this.unknownFeeds.add(hash);
    if (!row?.feedTokenHash || row.revokedAt) return null;
    if (!timingSafeEqual(Buffer.from(row.feedTokenHash), Buffer.from(hash))) return null;
    return toPrincipal(row);
  }

  /**
   * A new calendar feed token for the principal, shown once; the one it had stops working at once. 404 for
   * no such principal, 409 for a revoked one.
   */
  async issueFeedToken(id: string): Promise<string> {
    const token = generateFeedToken();
    if (await this.db.principals.replaceFeedToken(id, hashToken(token))) return token;
    await this.principal(id);
    throw new AppError(AppErrorCode.PrincipalRevoked, `Principal ${id} is revoked; it gets no feed token`, {
      principalId: id,
    });
  }

  private remember(hash: string, principal: Principal, now: number): void {
    this.known.delete(hash);
    this.known.set(hash, { principal, until: now + KNOWN_TOKEN_MS });
    while (this.known.size > KNOWN_TOKENS_KEPT) this.known.delete(this.known.keys().next().value!);
  }

  /** Forgets every token of this principal kept in this process (a change this process made). */
  private forget(principalId: string): void {
    for (const [hash, entry] of this.known) if (entry.principal.id === principalId) this.known.delete(hash);
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
        feedTokenHash: null,
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
    const revoked = await this.db.principals.revoke(id, new Date());
    // Forgotten here before the call returns; the announcement makes every process forget it.
    this.forget(id);
    if (!revoked) await this.principal(id);
  }

  /** A new token for the principal, shown once; the old one stops working at once. */
  async rotateToken(id: string): Promise<{ row: PrincipalRow; token: string }> {
    const token = generateToken();
    const replaced = await this.db.principals.replaceToken(id, hashToken(token));
    this.forget(id);
    if (replaced) return { row: await this.principal(id), token };
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
      feedTokenHash: null,
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
      feedTokenHash: null,
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
