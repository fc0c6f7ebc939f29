import { resolve } from 'node:path';
import { checkedConfigSchema } from './config.schema.js';

export interface BatonConfig {
  port: number;
  host: string;
  /** Unset: the embedded default starts a PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  /** Unset: 127.0.0.1:6379 if it answers, else a redis-server in `dataDir`, else BullMQ's PostgreSQL backend. */
  redisUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** BullMQ's key prefix; unset: `baton-` and this installation's id (see `defaultQueuePrefix`). */
  queuePrefix: string | undefined;
  outboundDeny: string[];
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `json` (one object per line) or `pretty` (for a person); unset: pretty on a terminal, else json. */
  logFormat: 'json' | 'pretty';
  /**
   * OpenTelemetry traces: off (`none`) unless OTEL_TRACES_EXPORTER names `otlp` or `console`. The exporter reads
   * the standard OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout) itself; `serviceName` is
   * OTEL_SERVICE_NAME, else each process's own (baton, baton-api, baton-worker).
   */
  tracing: {
    exporter: 'none' | 'otlp' | 'console';
    protocol: 'http/protobuf' | 'http/json';
    serviceName: string | null;
  };
  bodyLimit: number;
  dbPoolSize: number;
  relayIntervalMs: number;
  /** How often the worker checks that Redis still holds what PostgreSQL says is pending. */
  reconcileIntervalMs: number;
  /** /metrics without a token (for a scraper inside a private network); else it needs the admin token. */
  metricsPublic: boolean;
  /** Per principal (or per address without a valid token), per api process. */
  rateLimit: { perSecond: number; burst: number };
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (rate limits per address): none
   * (false), all (true), this many hops, or these addresses and CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Origins allowed by CORS; empty: no cross-origin access (closed by default). */
  corsOrigins: string[];
  requestTimeoutMs: number;
  /**
   * A graceful stop: the api serves `drainDelayMs` more with readiness at 503 (for a load balancer to notice),
   * then refuses new requests and lets those running finish; every process stops within `stopTimeoutMs` after.
   */
  stop: { drainDelayMs: number; timeoutMs: number };
  webhooks: { maxAttempts: number; backoffMs: number; timeoutMs: number };
  /** E-mail notifications go out through this SMTP server when set. */
  smtp: { url: string; from: string } | null;
  /**
   * The installation's public base URL without a trailing slash (BATON_PUBLIC_URL), for the links it hands out
   * (the calendar feed URL, links to the console); null: each request's own scheme and Host.
   */
  publicUrl: string | null;
  /** The console's built files (index.html, assets/); unset: dist/console beside the compiled api. */
  consoleDir: string | undefined;
  /** The Ed25519 key (PKCS#8 PEM) that signs evidence packs; null: the one Baton made and keeps in PostgreSQL. */
  evidenceKey: string | null;
  /** Bearer JWTs from this OpenID Connect issuer are accepted besides Baton's own tokens, when set. */
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  /** Must equal the tokens' `iss`; its discovery document names the JWKS unless `jwksUrl` is set. */
  issuer: string;
  jwksUrl: string | null;
  /** When set, a token's `aud` must name one of these. */
  audience: string[] | null;
  /** Claim name or dotted path (`realm_access.roles`) holding the roles: an array or a space-separated string. */
  rolesClaim: string;
  clockSkewSeconds: number;
  /** The console's client id at the issuer: set, the console offers sign-in with OIDC. */
  clientId: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * The queue prefix of an installation that sets none: its own, so that installations sharing a Redis never
 * take each other's jobs. Twelve hex digits of the installation id (48 bits) keep keys short.
 */
export function defaultQueuePrefix(installationId: string): string {
  return `baton-${installationId.replace(/-/g, '').slice(0, 12)}`;
}

/** Reads and validates the environment once, at start. */
export function loadConfig(env: Record<string, string | undefined> = process.env): BatonConfig {
  const parsed = checkedConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = parsed.data;
  return {
    port: raw.PORT,
    host: raw.HOST,
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    dataDir: resolve(raw.BATON_DATA_DIR),
    adminToken: raw.BATON_ADMIN_TOKEN,
    queuePrefix: raw.BATON_QUEUE_PREFIX,
    outboundDeny: raw.BATON_OUTBOUND_DENY,
    logLevel: raw.BATON_LOG_LEVEL,
    logFormat: raw.BATON_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    tracing: {
      exporter: raw.OTEL_SDK_DISABLED === 'true' ? 'none' : (raw.OTEL_TRACES_EXPORTER[0] ?? 'none'),
      protocol: raw.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? raw.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
      serviceName: raw.OTEL_SERVICE_NAME ?? null,
    },
    bodyLimit: raw.BATON_BODY_LIMIT,
    dbPoolSize: raw.BATON_DB_POOL_SIZE,
    relayIntervalMs: raw.BATON_RELAY_INTERVAL_MS,
    reconcileIntervalMs: raw.BATON_RECONCILE_INTERVAL_MS,
    metricsPublic: raw.BATON_METRICS_PUBLIC === 'true',
    rateLimit: { perSecond: raw.BATON_RATE_LIMIT, burst: raw.BATON_RATE_BURST },
    trustProxy: raw.BATON_TRUST_PROXY,
    corsOrigins: raw.BATON_CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
    requestTimeoutMs: raw.BATON_REQUEST_TIMEOUT_MS,
    stop: { drainDelayMs: raw.BATON_DRAIN_DELAY_MS, timeoutMs: raw.BATON_STOP_TIMEOUT_MS },
    webhooks: {
      maxAttempts: raw.BATON_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: raw.BATON_WEBHOOK_BACKOFF_MS,
      timeoutMs: raw.BATON_WEBHOOK_TIMEOUT_MS,
    },
    publicUrl: raw.BATON_PUBLIC_URL === undefined ? null : raw.BATON_PUBLIC_URL.replace(/\/+$/, ''),
    consoleDir: raw.BATON_CONSOLE_DIR === undefined ? undefined : resolve(raw.BATON_CONSOLE_DIR),
    evidenceKey: raw.BATON_EVIDENCE_KEY ?? null,
    smtp: raw.BATON_SMTP_URL ? { url: raw.BATON_SMTP_URL, from: raw.BATON_SMTP_FROM } : null,
    oidc: raw.BATON_OIDC_ISSUER
      ? {
          issuer: raw.BATON_OIDC_ISSUER,
          jwksUrl: raw.BATON_OIDC_JWKS_URL ?? null,
          audience: raw.BATON_OIDC_AUDIENCE?.length ? raw.BATON_OIDC_AUDIENCE : null,
          rolesClaim: raw.BATON_OIDC_ROLES_CLAIM,
          clockSkewSeconds: raw.BATON_OIDC_CLOCK_SKEW_SECONDS,
          clientId: raw.BATON_OIDC_CLIENT_ID ?? null,
        }
      : null,
  };
}
