import { describe, expect, it } from '@jest/globals';
import { codeChallenge, randomString } from './oidc';

describe('PKCE (RFC 7636)', () => {
  // The expected challenge was computed independently: node:crypto's SHA-256 of the verifier, base64url.
  it('derives the S256 challenge: base64url of the SHA-256 of the verifier, unpadded', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mJ92IgB6q9gZnqxYzUSh-G9Ph5jLTw')).toBe(
      'CByzdZ_taDc-rKt4rjl447P8pxkJRiIxsrewonaafqE',
    );
  });

  it('makes verifiers of the allowed characters and length, different every time', () => {
    const verifier = randomString(48);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(randomString(48)).not.toBe(verifier);
  });
});
