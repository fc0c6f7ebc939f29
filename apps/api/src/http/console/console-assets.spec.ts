import { describe, expect, it } from '@jest/globals';
import { chooseEncoding, type ConsoleFile } from './console-assets.js';
import { consoleCsp, isApiPath } from './console-routes.js';

const file = (br: boolean, gzip: boolean): ConsoleFile => ({
  body: Buffer.from('x'),
  br: br ? Buffer.from('b') : null,
  gzip: gzip ? Buffer.from('g') : null,
  etag: '"e"',
  type: 'text/javascript; charset=utf-8',
});

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, as the file has them and the client takes them', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', file(true, true))).toBe('br');
    expect(chooseEncoding('gzip, br', file(false, true))).toBe('gzip');
    expect(chooseEncoding('gzip', file(true, true))).toBe('gzip');
    expect(chooseEncoding(undefined, file(true, true))).toBeNull();
    expect(chooseEncoding('identity', file(true, true))).toBeNull();
  });

  it('reads q=0 as a refusal, and * as any', () => {
    expect(chooseEncoding('br;q=0, gzip;q=0.5', file(true, true))).toBe('gzip');
    expect(chooseEncoding('*', file(true, true))).toBe('br');
    expect(chooseEncoding('*, br;q=0', file(true, true))).toBe('gzip');
  });
});

describe('what belongs to the API', () => {
  it('is /v1, /docs, /docs-json, /health, /metrics and /admin/queues, and what is under them', () => {
    for (const path of ['/v1', '/v1/inbox', '/docs', '/docs/index.html', '/docs-json', '/health', '/metrics'])
      expect(isApiPath(path)).toBe(true);
    expect(isApiPath('/admin/queues/api/queues')).toBe(true);
    for (const path of ['/', '/inbox', '/v1x', '/healthy', '/admin', '/deliverables/1'])
      expect(isApiPath(path)).toBe(false);
  });
});

describe('the console CSP', () => {
  it("lets the console talk to Baton, and to the OIDC issuer's origin when there is one", () => {
    expect(consoleCsp(null)).toContain("connect-src 'self';");
    expect(consoleCsp('https://idp.example:8443/realms/baton')).toContain(
      "connect-src 'self' https://idp.example:8443;",
    );
    expect(consoleCsp(null)).toContain("script-src 'self'; style-src 'self';");
  });
});
