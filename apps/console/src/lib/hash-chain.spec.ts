import { describe, expect, it } from '@jest/globals';
import { canonicalJson, describeChain, verifyChain, type ChainEvent } from './hash-chain';

// Computed independently with node:crypto over the same events (as libs/commands hashes them).
const H1 = '5f81f1443ab7b740235b9920628367e9aa234c71e13b304520004a9a2866882a';
const H2 = '079fcef57040095182ede51050bd53d40b00034fce1e24f1c92b1fd9e9f85fc8';

function chain(): ChainEvent[] {
  const first = {
    seq: 1,
    at: '2026-11-27T10:00:00.000Z',
    principalId: null,
    action: 'create',
    fromStatus: null,
    toStatus: 'draft',
    data: { title: 'T', nested: { b: 2, a: [1, { d: null, c: 'é' }] } },
  };
  const second = {
    seq: 2,
    at: '2026-11-27T10:05:00.000Z',
    principalId: '7c1d3c1e-8d0a-4a57-9a43-7ad0fb0f5f3b',
    action: 'submit',
    fromStatus: 'draft',
    toStatus: 'readiness',
    data: {},
  };
  return [
    { ...first, prevHash: null, hash: H1 },
    { ...second, prevHash: H1, hash: H2 },
  ];
}

describe('canonical JSON', () => {
  it('sorts keys at every level, leaves out spaces and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('is what the server hashes (the example of libs/commands)', () => {
    const event = {
      seq: 1,
      at: '2026-11-27T10:00:00.000Z',
      principalId: null,
      action: 'create',
      fromStatus: null,
      toStatus: 'draft',
      data: { title: 'T' },
    };
    expect(canonicalJson(event)).toBe(
      '{"action":"create","at":"2026-11-27T10:00:00.000Z","data":{"title":"T"},"fromStatus":null,"principalId":null,"seq":1,"toStatus":"draft"}',
    );
  });
});

describe('verifying the chain with Web Crypto', () => {
  it('holds for an untouched chain and says so', async () => {
    const check = await verifyChain(chain());
    expect(check).toEqual({ valid: true, events: 2, head: chain()[1].hash });
    expect(describeChain(check)).toBe('Chain verified ✓ 2 events');
  });

  it('names the first event whose content changed', async () => {
    const [first, second] = chain();
    const check = await verifyChain([first, { ...second, data: { forged: true } }]);
    expect(check).toEqual({ valid: false, events: 2, seq: 2, reason: 'hash' });
    expect(describeChain(check)).toBe('Chain broken at event 2: its content does not match its hash');
  });

  it('finds a broken link and a missing event', async () => {
    const [first, second] = chain();
    expect(await verifyChain([first, { ...second, prevHash: 'f'.repeat(64) }])).toMatchObject({
      valid: false,
      seq: 2,
      reason: 'prev_hash',
    });
    expect(await verifyChain([second])).toMatchObject({ valid: false, seq: 2, reason: 'seq' });
  });

  it('holds for no events at all', async () => {
    expect(await verifyChain([])).toEqual({ valid: true, events: 0, head: null });
  });
});
