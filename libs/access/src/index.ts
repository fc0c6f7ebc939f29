// @baton/access: who is calling. Bearer tokens (hashed, revocable, rotatable) and OpenID Connect JWTs.
export {
  Access,
  ADMIN_PRINCIPAL_ID,
  FEED_TOKEN_PREFIX,
  generateFeedToken,
  generateToken,
  hashToken,
  type Principal,
  type TokenLookup,
} from './access.js';
export { ExpiringSet } from './expiring-set.js';
export {
  claimAt,
  looksLikeJwt,
  OIDC_ALGORITHMS,
  OIDC_PRINCIPAL_NAMESPACE,
  oidcPrincipalId,
  OidcVerifier,
  rolesFrom,
  type OidcIdentity,
  type OidcOptions,
} from './oidc.js';
