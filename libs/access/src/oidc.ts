import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError, AppErrorCode } from '@baton/errors';

/** What BATON_OIDC_* configure (libs/config's OidcConfig has this shape). */
export interface OidcOptions {
  issuer: string;
  /** Unset: the `jwks_uri` of the issuer's discovery document. */
  jwksUrl: string | null;
  audience: string[] | null;
  rolesClaim: string;
  clockSkewSeconds: number;
}

/** Who a verified token names, as a Baton principal will hold it. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  roles: string[];
}

/** Asymmetric only: an HMAC secret would have to be shared with Baton, and `none` is no signature. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ROLE = /^[a-z][a-z0-9_]{0,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const FETCH_TIMEOUT_MS = 5000;
/** After a failed discovery, requests answer 503 at once for this long instead of asking the issuer again. */
const DISCOVERY_RETRY_MS = 5000;
const MAX_ROLES = 32;

/** Namespace of the UUID v5 ids of OIDC principals (a constant: changing it would orphan their audit trail). */
export const OIDC_PRINCIPAL_NAMESPACE = '5b0f3c1e-8c1d-4c55-9b3f-6a2e1f0d7c42';

/**
 * The principal id of an (issuer, subject) pair: a UUID v5 in OIDC_PRINCIPAL_NAMESPACE of the JSON text
 * `[issuer, subject]`. The same person keeps the same id across sign-ins, processes and restarts.
 */
export function oidcPrincipalId(issuer: string, subject: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(OIDC_PRINCIPAL_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(JSON.stringify([issuer, subject]), 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Three base64url parts with a JOSE header: Baton's own tokens (`bat_...`) never look like this. */
export function looksLikeJwt(token: string): boolean {
  if (!JWT_SHAPE.test(token)) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}

/** The claim `path` names: a claim of that exact name if there is one (`https://x/roles`), else a dotted path. */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Roles from an array or a space-separated string; what is not a Baton role name (lower_snake) is left out. */
export function rolesFrom(value: unknown): string[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  const roles = names.filter((name): name is string => typeof name === 'string' && ROLE.test(name));
  return [...new Set(roles)].slice(0, MAX_ROLES);
}

/** Text fit for a column: no control characters (PostgreSQL refuses NUL), trimmed, bounded. */
function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\p{Cc}/gu, '').trim();
  return text.length > 0 ? text.slice(0, max) : null;
}

const unauthenticated = (detail: string): AppError => new AppError(AppErrorCode.Unauthenticated, detail);

/**
 * Verifies bearer JWTs of one OpenID Connect issuer against its published keys. Keys are fetched from the
 * configured JWKS URL, or from the `jwks_uri` of the issuer's own discovery document, and from nowhere else:
 * nothing in a token (`iss`, `jku`, `x5u`) chooses where Baton fetches. One instance per process, so the key
 * set is fetched once and cached (jose: refreshed after 10 minutes, or sooner for an unknown `kid`, at most
 * every 30 seconds).
 */
export class OidcVerifier {
  private keys: JWTVerifyGetKey | null = null;
  private discovery: Promise<JWTVerifyGetKey> | null = null;
  private retryAt = 0;
  private lastFailure = '';

  constructor(
    private readonly options: OidcOptions,
    private readonly warn: (line: string) => void = () => undefined,
  ) {
    if (options.jwksUrl) this.keys = remoteKeys(new URL(options.jwksUrl));
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** The identity a valid token names; else an AppError: 401 for the token, 403 without roles, 503 for the issuer. */
  async verify(token: string): Promise<OidcIdentity> {
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        ...(this.options.audience ? { audience: this.options.audience } : {}),
        algorithms: OIDC_ALGORITHMS,
        clockTolerance: this.options.clockSkewSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    return this.identity(payload);
  }

  private identity(payload: JWTPayload): OidcIdentity {
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length > 255 || cleanText(subject, 255) !== subject)
      throw unauthenticated('The token has no usable "sub" claim');
    const roles = rolesFrom(claimAt(payload, this.options.rolesClaim));
    if (roles.length === 0) {
      throw new AppError(
        AppErrorCode.Forbidden,
        `The token is valid, but its "${this.options.rolesClaim}" claim names no Baton role`,
        { rolesClaim: this.options.rolesClaim },
      );
    }
    const email = cleanText(payload.email, 320);
    return {
      issuer: this.options.issuer,
      subject,
      name:
        cleanText(payload.name, 200) ?? cleanText(payload.preferred_username, 200) ?? subject.slice(0, 200),
      // An address the provider has not verified could be anyone's: notifications would go to them.
      email: email && EMAIL.test(email) && payload.email_verified !== false ? email : null,
      roles,
    };
  }

  /** The token's fault is 401; failing to fetch or read the issuer's keys is 503 (try again). */
  private refusal(error: unknown): AppError {
    if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed)
      return unauthenticated(`The token was refused: ${error.message}`);
    if (error instanceof errors.JOSEAlgNotAllowed)
      return unauthenticated(`The token must be signed with ${OIDC_ALGORITHMS.join(' or ')}`);
    if (
      error instanceof errors.JWSSignatureVerificationFailed ||
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys
    )
      return unauthenticated("The token's signature does not verify with the issuer's keys");
    if (
      error instanceof errors.JWSInvalid ||
      error instanceof errors.JWTInvalid ||
      error instanceof errors.JOSENotSupported
    )
      return unauthenticated('The token is not a valid signed JWT');
    this.warn(`OIDC: the issuer's keys could not be fetched or read: ${describe(error)}`);
    return new AppError(AppErrorCode.Unavailable, "The identity provider's keys cannot be fetched now");
  }

  private async keySet(): Promise<JWTVerifyGetKey> {
    if (this.keys) return this.keys;
    if (!this.discovery && Date.now() < this.retryAt) throw this.discoveryUnavailable();
    this.discovery ??= this.discover().then(
      (keys) => {
        this.keys = keys;
        return keys;
      },
      (error: unknown) => {
        this.discovery = null;
        this.retryAt = Date.now() + DISCOVERY_RETRY_MS;
        this.lastFailure = describe(error);
        this.warn(`OIDC discovery failed: ${this.lastFailure}`);
        throw this.discoveryUnavailable();
      },
    );
    return this.discovery;
  }

  private discoveryUnavailable(): AppError {
    return new AppError(
      AppErrorCode.Unavailable,
      `The identity provider's discovery document cannot be used now: ${this.lastFailure}`,
    );
  }

  /** OpenID Connect Discovery 1.0: the document must name this issuer, and its JWKS must be on its origin. */
  private async discover(): Promise<JWTVerifyGetKey> {
    const issuer = this.options.issuer;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    const document: unknown = await response.json();
    if (typeof document !== 'object' || document === null) throw new Error(`${url} is not a JSON object`);
    const { issuer: named, jwks_uri: jwksUri } = document as Record<string, unknown>;
    if (named !== issuer) throw new Error(`${url} names the issuer ${JSON.stringify(named)}, not ${issuer}`);
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri))
      throw new Error(`${url} has no usable jwks_uri`);
    const jwks = new URL(jwksUri);
    if (jwks.origin !== new URL(issuer).origin) {
      throw new Error(
        `its jwks_uri ${jwks.href} is not on the issuer's origin; set BATON_OIDC_JWKS_URL to trust it`,
      );
    }
    return remoteKeys(jwks);
  }
}

function remoteKeys(url: URL): JWTVerifyGetKey {
  return createRemoteJWKSet(url, { timeoutDuration: FETCH_TIMEOUT_MS });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
