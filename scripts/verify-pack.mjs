// Verifies a Baton evidence pack (API.md, "Evidence pack") with node:crypto alone: no Baton code, no
// network unless asked. The signature covers the whole pack; to say what changed when it fails, the audit
// chain is recomputed event by event and each member is checked against the digest table signed with it.
//
//   npm run verify-pack -- pack.json --jwks keys.json   keys saved beforehand from GET /v1/evidence-keys
//   npm run verify-pack -- pack.json --url BASE         fetches BASE/v1/evidence-keys
//   BATON_TOKEN=... npm run verify-pack -- pack.json --url BASE --current
//                                                        and compares the pack with the live record
//
// Exit code: 0 the pack is as signed (prints OK and the key id), 1 it is not (prints what changed), 2 the
// input is unusable (not a pack, no key set, a key set that cannot be read), 3 with --current: the pack is
// as signed but stale (the live record has gone on since it was made).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export const FORMAT = 'baton.evidence-pack/1';
/** The members the pack's digest table covers, in the order findings name them. */
export const DIGESTED = ['deliverable', 'service', 'project', 'history', 'chain'];

export class UnusableInput extends Error {}

/** JSON with keys sorted at every level and no spaces: what the audit hash and the signature cover. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

/** hex SHA-256 of (prevHash ?? "") followed by the canonical JSON of the event's hashed members. */
export function auditHash(prevHash, event) {
  const { seq, at, principalId, action, fromStatus, toStatus, data } = event;
  return sha256Hex(
    (prevHash ?? '') + canonicalJson({ seq, at, principalId, action, fromStatus, toStatus, data }),
  );
}

/** What does not hold in the history's chain, one finding per broken event, and against chain.head. */
export function chainFindings(history, chain) {
  if (!Array.isArray(history)) return ['history is not a list of events'];
  const findings = [];
  let prev = null;
  for (const [index, event] of history.entries()) {
    const at = `history[${index}]`;
    if (typeof event !== 'object' || event === null) {
      findings.push(`${at} is not an event`);
      continue;
    }
    if (event.seq !== index + 1) findings.push(`${at} changed: its seq is ${event.seq}, not ${index + 1}`);
    if (event.prevHash !== prev)
      findings.push(`${at} changed: its prevHash does not link to the event before`);
    if (auditHash(event.prevHash ?? null, event) !== event.hash)
      findings.push(`${at} changed: its hash no longer matches`);
    prev = event.hash;
  }
  const head = history.at(-1)?.hash ?? null;
  if (chain?.head !== head) findings.push("chain.head changed: it is not the last event's hash");
  return findings;
}

/** The members whose digest in the pack's table no longer matches them. */
export function changedMembers(pack) {
  const digests = pack.digests;
  if (typeof digests !== 'object' || digests === null) return [];
  return DIGESTED.filter((member) => digests[member] !== sha256Hex(canonicalJson(pack[member])));
}

/** The pack as read from its file: a JSON object in the pack's format, with its signature; else unusable. */
export function parsePack(text) {
  let pack;
  try {
    pack = JSON.parse(text);
  } catch (error) {
    throw new UnusableInput(`not JSON: ${error.message}`);
  }
  if (typeof pack !== 'object' || pack === null || Array.isArray(pack))
    throw new UnusableInput('not a JSON object');
  if (pack.format !== FORMAT)
    throw new UnusableInput(`format is ${JSON.stringify(pack.format)}, not ${FORMAT}`);
  const signature = pack.signature;
  if (
    typeof signature !== 'object' ||
    signature === null ||
    signature.alg !== 'Ed25519' ||
    typeof signature.keyId !== 'string' ||
    typeof signature.value !== 'string'
  )
    throw new UnusableInput('no signature { alg: "Ed25519", keyId, value }');
  return pack;
}

/** The Ed25519 keys of a JWKS by kid. */
export function keysOf(jwks) {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys))
    throw new UnusableInput('the key set is not a JWKS ({ keys: [...] })');
  const keys = new Map();
  for (const jwk of jwks.keys) {
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.kid !== 'string') continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }));
    } catch {
      // A key that does not decode verifies nothing; the pack's own key may still be there.
    }
  }
  return keys;
}

/**
 * Checks a parsed pack against a key set. `ok` when the signature holds and the chain it carries holds;
 * else `findings` says what changed (or, for a genuine pack, what it attests that does not hold).
 */
export function verifyPack(pack, jwks) {
  const keyId = pack.signature.keyId;
  const key = keysOf(jwks).get(keyId);
  const { signature, ...unsigned } = pack;
  let signed = false;
  if (key) {
    try {
      signed = verify(
        null,
        Buffer.from(canonicalJson(unsigned), 'utf8'),
        key,
        Buffer.from(signature.value, 'base64'),
      );
    } catch {
      signed = false;
    }
  }
  const chain = chainFindings(pack.history, pack.chain);
  const members = changedMembers(pack)
    // A changed event is named already; "history changed" would only repeat it.
    .filter((member) => !(member === 'history' && chain.some((finding) => finding.startsWith('history['))))
    .map((member) => `${member} changed: its digest no longer matches`);
  const findings = [...chain, ...members];
  if (!key)
    findings.unshift(
      `no key ${keyId} in the key set: it did not sign this pack, or the key set is another's`,
    );
  else if (!signed && findings.length === 0)
    findings.push(
      'the signature does not match: format, generatedAt, the digest table or the signature itself changed',
    );
  if (signed && pack.chain?.verified !== true)
    findings.push(
      'chain.verified is false: Baton found the stored audit chain broken when it made this pack',
    );
  return { ok: signed && findings.length === 0, signed, keyId, findings };
}

/**
 * How a pack's history stands against the live record's (GET .../history): the same events up to the pack's
 * head and nothing after (current), more events after it (stale), or another history (differs).
 */
export function compareWithLive(packed, live) {
  for (let index = 0; index < packed.length; index++) {
    if (live[index] === undefined)
      return {
        state: 'differs',
        message: `the live record has ${live.length} events, fewer than the pack's ${packed.length}`,
      };
    if (live[index].hash !== packed[index].hash)
      return {
        state: 'differs',
        message: `history[${index}] is not the live record's event ${live[index].seq}`,
      };
  }
  if (live.length === packed.length)
    return { state: 'current', message: 'current: the live record ends where this pack does' };
  const since = live.length - packed.length;
  const last = live.at(-1);
  return {
    state: 'stale',
    message:
      `stale: ${since} ${since === 1 ? 'event' : 'events'} recorded since this pack was made ` +
      `(the latest: ${last.action} at ${last.at}, status ${last.toStatus}; live head ${last.hash})`,
  };
}

async function liveHistory(pack, options) {
  const token = process.env.BATON_TOKEN;
  if (!token)
    throw new UnusableInput(
      '--current reads the live record: set BATON_TOKEN to a token that may read the deliverable',
    );
  const url = new URL(
    `/v1/deliverables/${encodeURIComponent(String(pack.deliverable?.id))}/history`,
    options.url,
  );
  let response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new UnusableInput(`cannot fetch ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok) throw new UnusableInput(`${url} answered ${response.status}`);
  const body = await response.json().catch(() => null);
  if (!Array.isArray(body?.items)) throw new UnusableInput(`${url} did not answer a history`);
  return body.items;
}

async function loadKeys(options) {
  if (options.jwks) {
    let text;
    try {
      text = await readFile(options.jwks, 'utf8');
    } catch (error) {
      throw new UnusableInput(`cannot read the key set ${options.jwks}: ${error.message}`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new UnusableInput(`the key set ${options.jwks} is not JSON`);
    }
  }
  const url = new URL('/v1/evidence-keys', options.url);
  let response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new UnusableInput(`cannot fetch ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok) throw new UnusableInput(`${url} answered ${response.status}`);
  return response.json().catch(() => {
    throw new UnusableInput(`${url} did not answer JSON`);
  });
}

export function parseArgs(argv) {
  const options = { file: null, jwks: null, url: null, current: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--current') options.current = true;
    else if (arg === '--jwks' || arg === '--url') {
      const value = argv[++index];
      if (!value) throw new UnusableInput(`${arg} needs a value`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) throw new UnusableInput(`unknown option ${arg}`);
    else if (options.file) throw new UnusableInput(`one pack at a time (${options.file}, ${arg})`);
    else options.file = arg;
  }
  if (!options.file)
    throw new UnusableInput('which pack? npm run verify-pack -- FILE (--jwks FILE | --url BASE)');
  if (!options.jwks === !options.url)
    throw new UnusableInput('give the keys: --jwks FILE (offline) or --url BASE');
  if (options.current && !options.url)
    throw new UnusableInput('--current compares with the live record: give --url BASE');
  return options;
}

async function main(argv) {
  try {
    const options = parseArgs(argv);
    let text;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      throw new UnusableInput(`cannot read ${options.file}: ${error.message}`);
    }
    const pack = parsePack(text);
    const result = verifyPack(pack, await loadKeys(options));
    if (result.ok) {
      console.log(
        `OK: ${options.file} is as signed by key ${result.keyId} (Ed25519): deliverable ${pack.deliverable?.id}, ` +
          `${pack.history.length} events, chain head ${pack.chain.head}`,
      );
      if (!options.current) return 0;
      const live = compareWithLive(pack.history, await liveHistory(pack, options));
      console.log(live.state === 'differs' ? `NOT OK: ${live.message}` : live.message);
      return { current: 0, stale: 3, differs: 1 }[live.state];
    }
    console.log(
      result.signed
        ? `NOT OK: ${options.file} is signed by key ${result.keyId}, but:`
        : `FORGED: ${options.file} is not as key ${result.keyId} signed it:`,
    );
    for (const finding of result.findings) console.log(`  - ${finding}`);
    return 1;
  } catch (error) {
    if (!(error instanceof UnusableInput)) throw error;
    console.error(`UNUSABLE: ${error.message}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
