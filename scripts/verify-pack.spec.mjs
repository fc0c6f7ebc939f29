// The verifier's pure parts: its canonical JSON and audit hash are the server's (checked against
// @baton/commands on generated values), and each check names what changed.
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { auditHash as serverAuditHash, canonicalJson as serverCanonicalJson } from '@baton/commands';
import {
  auditHash,
  canonicalJson,
  chainFindings,
  changedMembers,
  compareWithLive,
  parseArgs,
  parsePack,
  sha256Hex,
  UnusableInput,
  verifyPack,
} from './verify-pack.mjs';

const event = (seq, prevHash, data = {}) => {
  const content = {
    seq,
    at: `2026-12-0${seq}T10:00:00.000Z`,
    principalId: null,
    action: seq === 1 ? 'create' : 'attest',
    fromStatus: seq === 1 ? null : 'draft',
    toStatus: 'draft',
    data,
  };
  return { ...content, prevHash, hash: auditHash(prevHash, content) };
};

function chainOf(length) {
  const events = [];
  for (let seq = 1; seq <= length; seq++) events.push(event(seq, events.at(-1)?.hash ?? null, { n: seq }));
  return events;
}

function signedPack(overrides = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = 'test-key';
  const history = chainOf(3);
  const members = {
    deliverable: { id: 'd1', title: 'Payments', status: 'draft' },
    service: { id: 's1', name: 'Payments' },
    project: { id: 'p1', key: 'PAY' },
    history,
    chain: { verified: true, head: history.at(-1).hash },
    ...overrides,
  };
  const unsigned = {
    format: 'baton.evidence-pack/1',
    generatedAt: '2026-12-02T10:00:00.000Z',
    ...members,
    digests: Object.fromEntries(
      ['deliverable', 'service', 'project', 'history', 'chain'].map((name) => [
        name,
        sha256Hex(canonicalJson(members[name])),
      ]),
    ),
  };
  const value = sign(null, Buffer.from(canonicalJson(unsigned)), privateKey).toString('base64');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    pack: { ...unsigned, signature: { alg: 'Ed25519', keyId: kid, value } },
    jwks: { keys: [{ ...jwk, kid, use: 'sig', alg: 'EdDSA' }] },
  };
}

describe('the verifier reimplements the server rule', () => {
  it('writes canonical JSON as @baton/commands does', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'é"' }], a: null })).toBe(
      '{"a":null,"b":[2,{"c":"é\\"","d":1}]}',
    );
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === serverCanonicalJson(value)));
  });

  it('hashes audit events as @baton/commands does', () => {
    fc.assert(
      fc.property(
        fc.option(fc.stringMatching(/^[0-9a-f]{64}$/)),
        fc.record({
          seq: fc.nat(),
          at: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          principalId: fc.option(fc.uuid()),
          action: fc.string(),
          fromStatus: fc.option(fc.string()),
          toStatus: fc.string(),
          data: fc.dictionary(fc.string(), fc.jsonValue()),
        }),
        (prevHash, content) => auditHash(prevHash, content) === serverAuditHash(prevHash, content),
      ),
    );
  });
});

describe('chainFindings', () => {
  it('finds nothing in a chain that holds', () => {
    const history = chainOf(4);
    expect(chainFindings(history, { head: history[3].hash })).toEqual([]);
  });

  it('names the event whose content changed, and a head that is not the last hash', () => {
    const history = chainOf(4);
    history[2] = { ...history[2], data: { n: 99 } };
    expect(chainFindings(history, { head: history[3].hash })).toEqual([
      'history[2] changed: its hash no longer matches',
    ]);
    expect(chainFindings(chainOf(2), { head: 'f'.repeat(64) })).toEqual([
      "chain.head changed: it is not the last event's hash",
    ]);
  });

  it('names an event taken out (seq and link) and a changed hash (and the link after it)', () => {
    const history = chainOf(4);
    expect(chainFindings([history[0], history[2], history[3]], { head: history[3].hash })).toEqual([
      'history[1] changed: its seq is 3, not 2',
      'history[1] changed: its prevHash does not link to the event before',
      'history[2] changed: its seq is 4, not 3',
    ]);
    const rehashed = chainOf(3);
    rehashed[1] = { ...rehashed[1], hash: '0'.repeat(64) };
    expect(chainFindings(rehashed, { head: rehashed[2].hash })).toEqual([
      'history[1] changed: its hash no longer matches',
      'history[2] changed: its prevHash does not link to the event before',
    ]);
  });
});

describe('verifyPack', () => {
  it('accepts a pack as signed', () => {
    const { pack, jwks } = signedPack();
    expect(verifyPack(pack, jwks)).toEqual({ ok: true, signed: true, keyId: 'test-key', findings: [] });
  });

  it('names each member that changed by its digest', () => {
    const { pack, jwks } = signedPack();
    const forged = {
      ...pack,
      deliverable: { ...pack.deliverable, status: 'operational' },
      project: { id: 'p2' },
    };
    expect(changedMembers(forged)).toEqual(['deliverable', 'project']);
    expect(verifyPack(forged, jwks)).toMatchObject({
      ok: false,
      signed: false,
      findings: [
        'deliverable changed: its digest no longer matches',
        'project changed: its digest no longer matches',
      ],
    });
  });

  it('names the changed event rather than the whole history', () => {
    const { pack, jwks } = signedPack();
    const history = pack.history.map((item, index) => (index === 1 ? { ...item, action: 'waive' } : item));
    expect(verifyPack({ ...pack, history }, jwks).findings).toEqual([
      'history[1] changed: its hash no longer matches',
    ]);
  });

  it('says the signature does not match when only an unlisted member changed', () => {
    const { pack, jwks } = signedPack();
    expect(verifyPack({ ...pack, generatedAt: '2020-01-01T00:00:00.000Z' }, jwks).findings).toEqual([
      'the signature does not match: format, generatedAt, the digest table or the signature itself changed',
    ]);
  });

  it('refuses a key set without the signing key, and a genuine pack that attests a broken chain', () => {
    const { pack } = signedPack();
    const { jwks: other } = signedPack();
    expect(verifyPack(pack, { keys: [{ ...other.keys[0], kid: 'test-key' }] })).toMatchObject({
      ok: false,
      signed: false,
    });
    expect(verifyPack(pack, { keys: [] }).findings[0]).toMatch(/^no key test-key in the key set/);
    const broken = signedPack({ chain: { verified: false, head: null } });
    const history = broken.pack.history;
    const result = verifyPack(broken.pack, broken.jwks);
    expect(history.length).toBe(3);
    expect(result).toMatchObject({ ok: false, signed: true });
    expect(result.findings).toEqual([
      "chain.head changed: it is not the last event's hash",
      'chain.verified is false: Baton found the stored audit chain broken when it made this pack',
    ]);
  });
});

describe('input', () => {
  it('reads a pack, or says why it cannot', () => {
    const { pack } = signedPack();
    expect(parsePack(JSON.stringify(pack))).toEqual(pack);
    expect(() => parsePack('{')).toThrow(UnusableInput);
    expect(() => parsePack('[]')).toThrow(/not a JSON object/);
    expect(() => parsePack('{"format":"other"}')).toThrow(/format is "other"/);
    expect(() => parsePack(JSON.stringify({ ...pack, signature: { alg: 'RS256' } }))).toThrow(/no signature/);
  });

  it('takes one pack and one source of keys', () => {
    expect(parseArgs(['p.json', '--jwks', 'k.json'])).toEqual({
      file: 'p.json',
      jwks: 'k.json',
      url: null,
      current: false,
    });
    expect(parseArgs(['--url', 'http://baton', 'p.json', '--current'])).toEqual({
      file: 'p.json',
      jwks: null,
      url: 'http://baton',
      current: true,
    });
    expect(() => parseArgs(['p.json', '--jwks', 'k', '--current'])).toThrow(/give --url BASE/);
    expect(() => parseArgs(['p.json'])).toThrow(/--jwks FILE/);
    expect(() => parseArgs(['p.json', '--jwks', 'k', '--url', 'u'])).toThrow(/--jwks FILE/);
    expect(() => parseArgs(['a.json', 'b.json', '--url', 'u'])).toThrow(/one pack at a time/);
    expect(() => parseArgs(['--jwks'])).toThrow(/needs a value/);
    expect(() => parseArgs(['p.json', '--keys', 'k'])).toThrow(/unknown option/);
  });
});

describe('compareWithLive', () => {
  const first = event(1, null);
  const second = event(2, first.hash);
  const third = event(3, second.hash, { key: 'runbook' });

  it('is current when the live record ends where the pack does', () => {
    expect(compareWithLive([first, second], [first, second]).state).toBe('current');
  });

  it('is stale when the live record has gone on, and says how far', () => {
    const stale = compareWithLive([first, second], [first, second, third]);
    expect(stale.state).toBe('stale');
    expect(stale.message).toMatch(
      /^stale: 1 event recorded since this pack was made \(the latest: attest at /,
    );
    expect(stale.message).toContain(third.hash);
  });

  it('differs when the pack holds an event the live record does not, or more events than it', () => {
    const other = event(2, first.hash, { key: 'other' });
    expect(compareWithLive([first, other], [first, second, third])).toEqual({
      state: 'differs',
      message: "history[1] is not the live record's event 2",
    });
    expect(compareWithLive([first, second, third], [first, second]).state).toBe('differs');
  });
});
