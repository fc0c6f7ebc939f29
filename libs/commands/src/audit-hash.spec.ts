import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { auditHash, canonicalJson, verifyChain } from './audit-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out spaces', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('audit chain', () => {
  const first = {
    seq: 1,
    at: '2026-11-27T10:00:00.000Z',
    principalId: null,
    action: 'create',
    fromStatus: null,
    toStatus: 'draft',
    data: { title: 'T' },
  };

  it('hashes the previous hash followed by the canonical event', () => {
    const expected = createHash('sha256')
      .update(
        '{"action":"create","at":"2026-11-27T10:00:00.000Z","data":{"title":"T"},"fromStatus":null,"principalId":null,"seq":1,"toStatus":"draft"}',
      )
      .digest('hex');
    expect(auditHash(null, first)).toBe(expected);
  });

  it('finds the first broken link', () => {
    const h1 = auditHash(null, first);
    const second = {
      ...first,
      seq: 2,
      action: 'submit',
      fromStatus: 'draft',
      toStatus: 'readiness',
      data: {},
    };
    const h2 = auditHash(h1, second);
    const chain = [
      { ...first, prevHash: null, hash: h1 },
      { ...second, prevHash: h1, hash: h2 },
    ];
    expect(verifyChain(chain)).toBeNull();
    expect(verifyChain([chain[0], { ...chain[1], data: { forged: true } }])).toEqual({
      seq: 2,
      reason: 'hash',
    });
    expect(verifyChain([{ ...chain[0], action: 'x' }, chain[1]])).toEqual({ seq: 1, reason: 'hash' });
  });
});
