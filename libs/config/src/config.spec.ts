import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { clusterSafePrefix, ConfigError, defaultQueuePrefix, loadConfig } from './config.js';

/** What loadConfig says is wrong with `env`, one problem a line; empty when it takes it. */
function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    return (error as ConfigError).problems.join('\n');
  }
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.queuePrefix).toBeUndefined();
    expect(config.dataDir.endsWith('.baton')).toBe(true);
    expect(config.outboundDeny).toContain('169.254.0.0/16');
  });

  it('gives each installation a queue prefix of its own unless BATON_QUEUE_PREFIX names one', () => {
    expect(defaultQueuePrefix('0b6f3c5e-2f1a-4c1e-9d7a-1f2e3d4c5b6a')).toBe('baton-0b6f3c5e2f1a');
    expect(loadConfig({ BATON_QUEUE_PREFIX: '{baton}' }).queuePrefix).toBe('{baton}');
    expect(loadConfig({ BATON_QUEUE_PREFIX: '' }).queuePrefix).toBeUndefined();
  });

  it('reads a single Redis, a Redis Cluster (seed nodes, prefix in a hash tag) and Sentinel', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisTopology: null,
    });
    const cluster = loadConfig({
      BATON_REDIS_MODE: 'cluster',
      REDIS_URL: 'redis://127.0.0.1:7001, redis://127.0.0.1:7002',
    });
    expect(cluster.redisTopology).toEqual({
      mode: 'cluster',
      nodes: ['redis://127.0.0.1:7001', 'redis://127.0.0.1:7002'],
    });
    expect(cluster.redisUrl).toBe('redis://127.0.0.1:7001');
    expect(clusterSafePrefix('baton-0b6f3c5e2f1a', cluster.redisTopology)).toBe('{baton-0b6f3c5e2f1a}');
    expect(clusterSafePrefix('{baton}', cluster.redisTopology)).toBe('{baton}');
    expect(clusterSafePrefix('acme{baton}', cluster.redisTopology)).toBe('acme{baton}');
    // An empty tag is no tag: Redis hashes the whole key.
    expect(clusterSafePrefix('a{}b', cluster.redisTopology)).toBe('{a{}b}');
    expect(clusterSafePrefix('baton-0b6f3c5e2f1a', null)).toBe('baton-0b6f3c5e2f1a');
    expect(
      loadConfig({
        BATON_REDIS_MODE: 'sentinel',
        BATON_REDIS_SENTINELS: '10.0.0.5:26379,[fd00::7]:26380, sentinel-c:26379',
        BATON_REDIS_SENTINEL_NAME: 'baton-master',
      }).redisTopology,
    ).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: 'fd00::7', port: 26380 },
        { host: 'sentinel-c', port: 26379 },
      ],
      name: 'baton-master',
    });
  });

  it('refuses Redis settings that do not go together, saying what is missing', () => {
    expect(problems({ REDIS_URL: 'redis://a:7001,redis://b:7002' })).toMatch(
      /REDIS_URL: several URLs are the seed nodes of a Redis Cluster: set BATON_REDIS_MODE=cluster/,
    );
    expect(problems({ BATON_REDIS_MODE: 'cluster' })).toMatch(
      /REDIS_URL: BATON_REDIS_MODE=cluster needs REDIS_URL naming one or more seed nodes.*cannot run on PostgreSQL/,
    );
    expect(problems({ BATON_REDIS_MODE: 'cluster', REDIS_URL: 'redis://a:7001/3' })).toMatch(
      /database 0 only/,
    );
    expect(problems({ BATON_REDIS_MODE: 'cluster', REDIS_URL: 'http://a:7001' })).toMatch(/REDIS_URL/);
    expect(problems({ BATON_REDIS_MODE: 'sentinel' }).split('\n')).toEqual([
      'BATON_REDIS_SENTINELS: BATON_REDIS_MODE=sentinel needs the Sentinels: host:port,...',
      "BATON_REDIS_SENTINEL_NAME: BATON_REDIS_MODE=sentinel needs the master's name",
    ]);
    expect(
      problems({ BATON_REDIS_SENTINELS: 'a:26379', BATON_REDIS_SENTINEL_NAME: 'm' }).split('\n'),
    ).toEqual([
      'BATON_REDIS_SENTINELS: needs BATON_REDIS_MODE=sentinel',
      'BATON_REDIS_SENTINEL_NAME: needs BATON_REDIS_MODE=sentinel',
    ]);
    expect(
      problems({ BATON_REDIS_MODE: 'sentinel', BATON_REDIS_SENTINELS: 'a', BATON_REDIS_SENTINEL_NAME: 'm' }),
    ).toMatch(/BATON_REDIS_SENTINELS.0: expected host:port/);
    expect(problems({ BATON_REDIS_MODE: 'replicas' })).toMatch(/BATON_REDIS_MODE/);
  });

  it('reads which proxies to believe for the client address', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ BATON_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ BATON_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ BATON_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ BATON_TRUST_PROXY: 'a proxy' })).toThrow(/BATON_TRUST_PROXY/);
  });

  it('reads the public base URL without its trailing slash, and refuses one with a query', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ BATON_PUBLIC_URL: 'https://baton.example.com/ops/' }).publicUrl).toBe(
      'https://baton.example.com/ops',
    );
    expect(() => loadConfig({ BATON_PUBLIC_URL: 'https://baton.example.com/?a=1' })).toThrow(
      /BATON_PUBLIC_URL/,
    );
    expect(() => loadConfig({ BATON_PUBLIC_URL: 'ftp://baton.example.com' })).toThrow(/BATON_PUBLIC_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BATON_QUEUE_PREFIX: 'a:b' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/BATON_QUEUE_PREFIX/);
  });

  it('parses the outbound deny list', () => {
    expect(loadConfig({ BATON_OUTBOUND_DENY: '10.0.0.0/8, 127.0.0.0/8' }).outboundDeny).toEqual([
      '10.0.0.0/8',
      '127.0.0.0/8',
    ]);
  });

  it('leaves OIDC off unless BATON_OIDC_ISSUER is set, and reads its settings', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(
      loadConfig({
        BATON_OIDC_ISSUER: 'https://idp.example/realms/baton',
        BATON_OIDC_AUDIENCE: 'baton, baton-cli',
        BATON_OIDC_ROLES_CLAIM: 'realm_access.roles',
      }).oidc,
    ).toEqual({
      issuer: 'https://idp.example/realms/baton',
      jwksUrl: null,
      audience: ['baton', 'baton-cli'],
      rolesClaim: 'realm_access.roles',
      clockSkewSeconds: 30,
      clientId: null,
    });
    expect(
      loadConfig({
        BATON_OIDC_ISSUER: 'https://idp.example/realms/baton',
        BATON_OIDC_CLIENT_ID: 'baton-console',
      }).oidc?.clientId,
    ).toBe('baton-console');
  });

  it('refuses OIDC settings that would fetch keys insecurely or without an issuer', () => {
    expect(problems({ BATON_OIDC_ISSUER: 'http://idp.example' })).toMatch(/BATON_OIDC_ISSUER.*https/);
    expect(problems({ BATON_OIDC_ISSUER: 'https://idp.example?tenant=1' })).toMatch(/BATON_OIDC_ISSUER/);
    expect(problems({ BATON_OIDC_JWKS_URL: 'https://idp.example/keys' })).toMatch(
      /BATON_OIDC_JWKS_URL: needs BATON_OIDC_ISSUER/,
    );
    expect(problems({ BATON_OIDC_ISSUER: 'https://idp.example', BATON_OIDC_ROLES_CLAIM: 'a..b' })).toMatch(
      /BATON_OIDC_ROLES_CLAIM/,
    );
    expect(problems({ BATON_OIDC_ISSUER: 'http://127.0.0.1:8080' })).toBe('');
    expect(problems({ BATON_OIDC_CLIENT_ID: 'baton-console' })).toMatch(
      /BATON_OIDC_CLIENT_ID: needs BATON_OIDC_ISSUER/,
    );
    expect(
      problems({ BATON_OIDC_ISSUER: 'https://idp.example', BATON_OIDC_CLIENT_ID: 'baton console' }),
    ).toMatch(/BATON_OIDC_CLIENT_ID: must be printable ASCII without spaces/);
  });

  it('reads BATON_EVIDENCE_KEY as an Ed25519 PKCS#8 PEM, and says plainly what else it was', () => {
    const pem = (type: 'ed25519' | 'ec', format: 'pkcs8' | 'sec1' = 'pkcs8'): string =>
      type === 'ed25519'
        ? generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
        : generateKeyPairSync('ec', { namedCurve: 'P-256' })
            .privateKey.export({ type: format, format: 'pem' })
            .toString();
    expect(loadConfig({}).evidenceKey).toBeNull();
    const key = pem('ed25519');
    expect(loadConfig({ BATON_EVIDENCE_KEY: key }).evidenceKey).toBe(key);
    // One line with \n for the breaks, as many secret stores hand it over.
    expect(loadConfig({ BATON_EVIDENCE_KEY: key.trim().replace(/\n/g, '\\n') }).evidenceKey).toBe(key);
    expect(problems({ BATON_EVIDENCE_KEY: pem('ec') })).toMatch(
      /BATON_EVIDENCE_KEY: must be an Ed25519 private key as PKCS#8 PEM.*it is an ec key/,
    );
    expect(problems({ BATON_EVIDENCE_KEY: pem('ec', 'sec1') })).toMatch(
      /BATON_EVIDENCE_KEY: .*not a PKCS#8 PEM block/,
    );
    expect(problems({ BATON_EVIDENCE_KEY: 'secret' })).toMatch(
      /BATON_EVIDENCE_KEY: .*not a PKCS#8 PEM block/,
    );
    expect(
      problems({ BATON_EVIDENCE_KEY: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
    ).toMatch(/BATON_EVIDENCE_KEY: .*does not decode/);
  });
});
