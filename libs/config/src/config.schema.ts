import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/** Comma-separated CIDR list, e.g. "169.254.0.0/16,fd00:ec2::254/128". */
const cidrList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'expected a CIDR such as 169.254.0.0/16')));

/** Link-local and cloud metadata addresses: refused by default for probes and webhooks (API.md). */
export const DEFAULT_OUTBOUND_DENY = '169.254.0.0/16,fe80::/10,100.100.100.200/32,fd00:ec2::254/128';

const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An https URL; plain http only on loopback (a local test identity provider). */
const secureUrl = z.url({ protocol: /^https?$/ }).refine((text) => {
  const url = new URL(text);
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}, 'must be an https URL (http only for localhost)');

/** OpenID Connect: issuer identifiers have no query or fragment (OpenID Connect Discovery 1.0, section 2). */
const oidcIssuer = secureUrl.refine((text) => {
  const url = new URL(text);
  return url.search === '' && url.hash === '';
}, 'must be an issuer URL without query or fragment');

/** A claim name, or a dotted path into nested claims (`realm_access.roles`). */
const claimPath = z
  .string()
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a claim name or a dotted path such as realm_access.roles');

const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

/** `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/, 'expected host:port, e.g. 10.0.0.5:26379')
  .transform((text) => {
    const at = text.lastIndexOf(':');
    return { host: text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(text.slice(at + 1)) };
  })
  .refine((address) => address.port > 0 && address.port < 65536, 'the port must be 1 to 65535');

/** One Redis URL, or several (a Redis Cluster's seed nodes) separated by commas. */
const redisUrls = commaList.pipe(
  z.array(z.url({ protocol: /^rediss?$/, error: 'expected redis:// or rediss:// URLs' })).min(1),
);

/**
 * An Ed25519 private key as PKCS#8 PEM (`openssl genpkey -algorithm ed25519`). A variable written on one
 * line with `\n` for its line breaks is read as well.
 */
const ed25519Pkcs8Pem = z
  .string()
  .transform((text) => (text.includes('\n') ? text : text.replace(/\\n/g, '\n')).trim() + '\n')
  .superRefine((pem, context) => {
    const fail = (why: string): void =>
      context.addIssue({
        code: 'custom',
        message: `must be an Ed25519 private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----, e.g. from openssl genpkey -algorithm ed25519): ${why}`,
      });
    if (!/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/.test(pem)) {
      fail('not a PKCS#8 PEM block');
      return;
    }
    try {
      const type = createPrivateKey({ key: pem, format: 'pem' }).asymmetricKeyType;
      if (type !== 'ed25519') fail(`it is an ${type ?? 'unknown'} key`);
    } catch {
      fail('the PEM does not decode to a private key');
    }
  });

/** OTLP over HTTP, as protobuf (the specification's default) or JSON; Baton does not ship the gRPC exporter. */
const otlpProtocol = z.enum(['http/protobuf', 'http/json'], {
  error: 'expected http/protobuf or http/json (Baton does not ship the gRPC exporter)',
});

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** One redis:// or rediss:// URL; for BATON_REDIS_MODE=cluster, one or more seed nodes, comma-separated. */
  REDIS_URL: z.preprocess(emptyAsUndefined, redisUrls.optional()),
  BATON_DATA_DIR: z.string().min(1).default('./.baton'),
  BATON_ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16).max(200).optional()),
  BATON_QUEUE_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_{}.-]+$/, 'letters, digits, _ . - and {} (Redis Cluster hash tags) only')
      .optional(),
  ),
  BATON_REDIS_MODE: z.preprocess(
    emptyAsUndefined,
    z.enum(['standalone', 'cluster', 'sentinel']).default('standalone'),
  ),
  BATON_REDIS_SENTINELS: z.preprocess(
    emptyAsUndefined,
    commaList
      .pipe(z.array(hostPort).min(1, 'expected host:port of one or more Sentinels, comma-separated'))
      .optional(),
  ),
  BATON_REDIS_SENTINEL_NAME: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.-]+$/, "the master's name as the Sentinels know it (sentinel monitor <name> ...)")
      .optional(),
  ),
  BATON_OUTBOUND_DENY: z.preprocess((value) => value ?? DEFAULT_OUTBOUND_DENY, cidrList),
  BATON_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** `json`: one JSON object per line (pino); `pretty`: lines for a person. Unset: pretty on a terminal, else json. */
  BATON_LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty']).optional()),
  /** OpenTelemetry's own switches (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). */
  OTEL_SDK_DISABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false')),
  /** Traces go nowhere unless this names an exporter: `otlp` (to OTEL_EXPORTER_OTLP_ENDPOINT), `console`. */
  OTEL_TRACES_EXPORTER: z.preprocess(
    emptyAsUndefined,
    commaList
      .pipe(
        z
          .array(z.enum(['otlp', 'console', 'none']), {
            error: 'expected otlp, console or none (Baton has no other trace exporter)',
          })
          .max(1, 'one exporter: otlp, console or none'),
      )
      .default(['none']),
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(emptyAsUndefined, otlpProtocol.optional()),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.preprocess(emptyAsUndefined, otlpProtocol.optional()),
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUndefined, z.string().min(1).max(200).optional()),
  BATON_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  BATON_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  BATON_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  BATON_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  BATON_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BATON_SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^smtps?$/ }).optional()),
  BATON_SMTP_FROM: z.string().min(3).default('Baton <baton@localhost>'),
  BATON_RATE_LIMIT: z.coerce.number().min(0.1).max(100_000).default(50),
  BATON_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(200),
  BATON_CORS_ORIGINS: z.string().default(''),
  BATON_TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .union([
        z.enum(['true', 'false']).transform((flag) => flag === 'true'),
        z.coerce.number().int().min(1).max(10),
        commaList.pipe(
          z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'expected addresses or CIDRs')).min(1),
        ),
      ])
      .default(false),
  ),
  BATON_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** After SIGTERM, how long an api keeps serving while its readiness already says 503. */
  BATON_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** After SIGTERM (and the drain delay), how long a process may take to finish its work and stop. */
  BATON_STOP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  BATON_METRICS_PUBLIC: z.enum(['true', 'false']).default('false'),
  BATON_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(15_000),
  BATON_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  BATON_OIDC_ISSUER: z.preprocess(emptyAsUndefined, oidcIssuer.optional()),
  BATON_OIDC_JWKS_URL: z.preprocess(emptyAsUndefined, secureUrl.optional()),
  BATON_OIDC_AUDIENCE: z.preprocess(emptyAsUndefined, commaList.optional()),
  BATON_OIDC_ROLES_CLAIM: z.preprocess(emptyAsUndefined, claimPath.default('roles')),
  BATON_OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /**
   * Where clients reach this installation (scheme, host, optional path prefix), for links it hands out: the
   * calendar feed's URL and its events' links to the console. Unset: taken from each request's Host.
   */
  BATON_PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/ })
      .refine((text) => {
        const url = new URL(text);
        return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
      }, 'must be a URL without query, fragment or credentials, e.g. https://baton.example.com')
      .optional(),
  ),
  /** Where the console's built files are (index.html, assets/): unset, dist/console beside the compiled api. */
  BATON_CONSOLE_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** Signs evidence packs; unset: a key Baton makes at first start and keeps in PostgreSQL. */
  BATON_EVIDENCE_KEY: z.preprocess(emptyAsUndefined, ed25519Pkcs8Pem.optional()),
  /** The console's OAuth client at the issuer (a public client: authorization code with PKCE). */
  BATON_OIDC_CLIENT_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
});

/** The schema, plus the rules that span variables. */
/** Every environment variable Baton reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.shape);

export const checkedConfigSchema = configSchema.superRefine((raw, context) => {
  const problem = (path: string, message: string): void =>
    context.addIssue({ code: 'custom', path: [path], message });
  checkRedisTopology(raw, problem);
  if (raw.BATON_OIDC_ISSUER) return;
  for (const name of ['BATON_OIDC_JWKS_URL', 'BATON_OIDC_AUDIENCE', 'BATON_OIDC_CLIENT_ID'] as const) {
    if (raw[name] !== undefined) problem(name, 'needs BATON_OIDC_ISSUER');
  }
});

/**
 * What BATON_REDIS_MODE needs of the other Redis variables. Cluster and Sentinel name their servers: the
 * queues never fall back to a local Redis or to BullMQ's PostgreSQL backend there.
 */
function checkRedisTopology(
  raw: z.infer<typeof configSchema>,
  problem: (path: string, message: string) => void,
): void {
  const mode = raw.BATON_REDIS_MODE;
  const urls = raw.REDIS_URL ?? [];
  if (mode !== 'cluster' && urls.length > 1)
    problem('REDIS_URL', 'several URLs are the seed nodes of a Redis Cluster: set BATON_REDIS_MODE=cluster');
  if (mode !== 'sentinel') {
    for (const name of ['BATON_REDIS_SENTINELS', 'BATON_REDIS_SENTINEL_NAME'] as const) {
      if (raw[name] !== undefined) problem(name, 'needs BATON_REDIS_MODE=sentinel');
    }
  }
  switch (mode) {
    case 'standalone':
      return;
    case 'cluster':
      if (urls.length === 0)
        problem(
          'REDIS_URL',
          'BATON_REDIS_MODE=cluster needs REDIS_URL naming one or more seed nodes (redis://host:port, comma-separated); the queues cannot run on PostgreSQL or a local Redis in cluster mode',
        );
      for (const url of urls) {
        if (!['', '/', '/0'].includes(new URL(url).pathname))
          problem(
            'REDIS_URL',
            `a Redis Cluster has database 0 only: drop the ${new URL(url).pathname} from ${url}`,
          );
      }
      return;
    case 'sentinel':
      if (raw.BATON_REDIS_SENTINELS === undefined)
        problem('BATON_REDIS_SENTINELS', 'BATON_REDIS_MODE=sentinel needs the Sentinels: host:port,...');
      if (raw.BATON_REDIS_SENTINEL_NAME === undefined)
        problem('BATON_REDIS_SENTINEL_NAME', "BATON_REDIS_MODE=sentinel needs the master's name");
      if (urls.length > 1)
        problem(
          'REDIS_URL',
          'in sentinel mode REDIS_URL is one URL (credentials, /N and TLS of the master), if any',
        );
      return;
  }
}

export type RawConfig = z.infer<typeof configSchema>;
