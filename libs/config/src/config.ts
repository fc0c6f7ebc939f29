import { resolve } from 'node:path';
import { checkedConfigSchema } from './config.schema.js';

export interface BatonConfig {
  port: number;
  host: string;
  /** Unset: the embedded default starts a PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * Unset: 127.0.0.1:6379 if it answers, else a redis-server in `dataDir`, else BullMQ's PostgreSQL backend.
   * With a cluster, its first seed node; with Sentinel, the master's credentials, `/N` and TLS (host unused).
   */
  redisUrl: string | undefined;
  /** Redis beyond a single server (BATON_REDIS_MODE); null: one Redis at `redisUrl`. */
  redisTopology: RedisTopology | null;
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

export interface HostPort {
  host: string;
  port: number;
}

/** How a Redis that is more than one server is reached: a cluster through its seed nodes, or Sentinel. */
export type RedisTopology =
  | {
      mode: 'cluster';
      /** REDIS_URL's seed nodes (redis:// URLs): any one that answers tells the client the rest. */
      nodes: string[];
    }
  | {
      mode: 'sentinel';
      sentinels: HostPort[];
      /** The master's name as the Sentinels know it. */
      name: string;
    };

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

/**
 * The queue prefix to use on `topology`. On a Redis Cluster every key of a queue must hash to one slot
 * (BullMQ's scripts touch several keys at once): a prefix without a hash tag is wrapped in one, `baton-x`
 * becoming `{baton-x}`, so every key Baton writes (all queues, the reconciler's sentinel key, rate limits)
 * lives in that prefix's slot. Elsewhere the prefix is used as it is.
 */
export function clusterSafePrefix(prefix: string, topology: RedisTopology | null): string {
  if (topology?.mode !== 'cluster' || hasHashTag(prefix)) return prefix;
  return `{${prefix}}`;
}

/** Whether Redis Cluster hashes keys starting with `prefix` by a tag in it: a non-empty `{...}`, the first one. */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
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
    redisUrl: raw.REDIS_URL?.[0],
    redisTopology:
      raw.BATON_REDIS_MODE === 'cluster'
        ? { mode: 'cluster', nodes: raw.REDIS_URL ?? [] }
        : raw.BATON_REDIS_MODE === 'sentinel'
          ? {
              mode: 'sentinel',
              sentinels: raw.BATON_REDIS_SENTINELS ?? [],
              name: raw.BATON_REDIS_SENTINEL_NAME ?? '',
            }
          : null,
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
