// The signed evidence pack (API.md, "Evidence pack"): a deliverable walked through its handover, its pack
// fetched and verified offline with node:crypto alone, as an auditor would; one changed byte named by the
// verifier (npm run verify-pack, run as a child process); the key kept across restarts and agreed by two
// processes starting at once; BATON_EVIDENCE_KEY; the PDF read back with pdfjs-dist. A scratch database
// of its own (and another for the key tests).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { deliverableIn, FIXTURE_CRITERIA, type FixtureActors } from '../support/deliverable-states.js';
import { createPrincipal, createProject, createService, unique } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { checkAnswer } from '../support/openapi-contract.js';
import { scratchDatabase } from '../support/scratch-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
let actors: FixtureActors;
let auditor: ApiClient;
let refs: { projectId: string; serviceId: string };
/** A deliverable walked to early life support, with an incident, an action and a decision. */
let walkedId: string;
let work: string;

// ---- The rule of API.md, written here with node:crypto alone (no Baton code) ----

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
    .join(',')}}`;
}

/** Verifies a pack as API.md says: the base64 Ed25519 signature of the canonical JSON without `signature`. */
function verifiesOffline(pack: any, jwks: any): boolean {
  const jwk = jwks.keys.find((key: any) => key.kid === pack.signature.keyId);
  if (!jwk) return false;
  const { signature, ...unsigned } = pack;
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  return verify(null, Buffer.from(canonical(unsigned)), key, Buffer.from(signature.value, 'base64'));
}

const thumbprint = (x: string): string =>
  createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');

// ---- Helpers ----

async function packOf(client: ApiClient, id: string): Promise<{ text: string; pack: any }> {
  const response = await fetch(`${client.baseUrl}/v1/deliverables/${id}/evidence-pack`, {
    headers: { authorization: `Bearer ${client.token}` },
  });
  const text = await response.text();
  await checkAnswer(
    client.baseUrl,
    'GET',
    `/v1/deliverables/${id}/evidence-pack`,
    response.status,
    response.headers,
    text,
  );
  expect([response.status, response.headers.get('content-type')]).toEqual([
    200,
    'application/json; charset=utf-8',
  ]);
  return { text, pack: JSON.parse(text) };
}

async function pdfOf(client: ApiClient, id: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
  const path = `/v1/deliverables/${id}/evidence-pack`;
  const response = await fetch(`${client.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${client.token}`, accept: 'application/pdf' },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  await checkAnswer(client.baseUrl, 'GET', path, response.status, response.headers, 'pdf');
  expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  return { bytes, headers: response.headers };
}

/** The text of each page of a PDF, as pdfjs-dist reads it. */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({
    // A copy: pdfjs takes the buffer it is given over (the caller's would read as empty afterwards).
    data: bytes.slice(),
    isEvalSupported: false,
    standardFontDataUrl: join(ROOT, 'node_modules/pdfjs-dist/standard_fonts/'),
  }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(
      content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''),
    );
  }
  await document.destroy();
  return pages;
}

async function verifyPackCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/verify-pack.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/** `text` with one byte changed: the character `at` places after the start of `marker` becomes `to`. */
function oneByte(text: string, marker: string, at: number, to: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker} in the pack`);
  const index = start + at;
  expect(to).not.toBe(text[index]);
  return text.slice(0, index) + to + text.slice(index + 1);
}

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({
    env: { DATABASE_URL: scratch.url, BATON_QUEUE_PREFIX: unique('baton_evidence') },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
  const [pmo, smo, owner, reader] = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('auditor'), ['auditor']),
  ]);
  actors = { pmo: pmo.client, smo: smo.client, owner: owner.client };
  auditor = reader.client;
  const template = await smo.client.post('/v1/checklists', {
    name: unique('evidence'),
    changeTypes: ['new_service'],
    tiers: [4],
    criteria: FIXTURE_CRITERIA,
  });
  expect(template.status).toBe(201);
  refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 4) };
  walkedId = await deliverableIn(actors, refs, 'early_life_support');
  for (const [rest, body] of [
    ['/incidents', { reference: 'INC-7', priority: 'P3', summary: 'Slow report after cut-over' }],
    ['/actions', { title: 'Tune the nightly batch' }],
  ] as const) {
    const answer = await actors.smo.post(`/v1/deliverables/${walkedId}${rest}`, body);
    expect([rest, answer.status]).toEqual([rest, rest === '/actions' ? 201 : 200]);
  }
  work = await mkdtemp(join(tmpdir(), 'baton-evidence-'));
}, 90_000);

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the evidence pack', () => {
  it('holds the deliverable, service, project and whole history as their GETs serve them, signed as API.md says', async () => {
    const { pack } = await packOf(auditor, walkedId);
    const jwks = (await new ApiClient(baton.url, null).get('/v1/evidence-keys')).body;
    expect(verifiesOffline(pack, jwks)).toBe(true);

    const [deliverable, history] = await Promise.all([
      auditor.get(`/v1/deliverables/${walkedId}`),
      auditor.get(`/v1/deliverables/${walkedId}/history`),
    ]);
    const [service, project] = await Promise.all([
      auditor.get(`/v1/services/${deliverable.body.serviceId}`),
      auditor.get(`/v1/projects/${deliverable.body.projectId}`),
    ]);
    expect(pack).toEqual({
      format: 'baton.evidence-pack/1',
      generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      deliverable: deliverable.body,
      service: service.body,
      project: project.body,
      history: history.body.items,
      chain: { verified: true, head: history.body.items.at(-1).hash },
      digests: {
        deliverable: createHash('sha256').update(canonical(deliverable.body)).digest('hex'),
        service: createHash('sha256').update(canonical(service.body)).digest('hex'),
        project: createHash('sha256').update(canonical(project.body)).digest('hex'),
        history: createHash('sha256').update(canonical(history.body.items)).digest('hex'),
        chain: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      signature: { alg: 'Ed25519', keyId: jwks.keys[0].kid, value: expect.any(String) },
    });
    expect(pack.deliverable.status).toBe('early_life_support');
    expect(pack.history.map((event: any) => event.action)).toEqual(
      expect.arrayContaining(['create', 'submit', 'decide', 'confirm', 'record_incident']),
    );
    expect(jwks.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        kid: thumbprint(jwks.keys[0].x),
        x: jwks.keys[0].x,
        use: 'sig',
        alg: 'EdDSA',
      },
    ]);
    // Another signature over the same content with one member changed does not verify.
    expect(verifiesOffline({ ...pack, chain: { ...pack.chain, verified: false } }, jwks)).toBe(false);
  });

  it('is verified by npm run verify-pack offline and online, which names the member one changed byte touched', async () => {
    const { text, pack } = await packOf(actors.pmo, walkedId);
    const jwks = (await new ApiClient(baton.url, null).get('/v1/evidence-keys')).body;
    const packFile = join(work, 'pack.json');
    const keysFile = join(work, 'keys.json');
    await writeFile(packFile, text);
    await writeFile(keysFile, JSON.stringify(jwks));

    const offline = await verifyPackCli([packFile, '--jwks', keysFile]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(new RegExp(`^OK: .*key ${pack.signature.keyId.replace(/[-_]/g, '.')}`));
    expect((await verifyPackCli([packFile, '--url', baton.url])).code).toBe(0);

    const fifth = pack.history[4];
    const fifthAction = `"seq":5,"at":"${fifth.at}","principalId":${JSON.stringify(fifth.principalId)},"action":"`;
    const cases: [string, string, string[]][] = [
      ['the title', oneByte(text, `"title":"${pack.deliverable.title}"`, 10, 'X'), ['deliverable changed']],
      ['a criterion status', oneByte(text, '"status":"passed"', 10, 'q'), ['deliverable changed']],
      ['the service name', oneByte(text, `"name":"${pack.service.name}"`, 9, 'Z'), ['service changed']],
      ['the project key', oneByte(text, `"key":"${pack.project.key}"`, 7, 'Q'), ['project changed']],
      [
        'the fifth event',
        oneByte(text, fifthAction, fifthAction.length, 'Q'),
        ['history[4] changed: its hash no longer matches'],
      ],
      [
        'the chain head',
        oneByte(text, `"head":"${pack.chain.head}"`, 8, pack.chain.head[0] === 'a' ? 'b' : 'a'),
        ['chain.head changed', 'chain changed'],
      ],
      [
        'generatedAt',
        oneByte(text, '"generatedAt":"', 15, pack.generatedAt[0] === '1' ? '2' : '1'),
        ['the signature does not match'],
      ],
      [
        'the signature',
        oneByte(text, `"value":"${pack.signature.value}"`, 12, pack.signature.value[3] === 'A' ? 'B' : 'A'),
        ['the signature does not match'],
      ],
    ];
    for (const [what, forged, findings] of cases) {
      expect(Buffer.byteLength(forged)).toBe(Buffer.byteLength(text));
      const file = join(work, 'forged.json');
      await writeFile(file, forged);
      const result = await verifyPackCli([file, '--jwks', keysFile]);
      expect([what, result.code]).toEqual([what, 1]);
      expect(result.stdout).toMatch(/^FORGED: /);
      for (const finding of findings)
        expect([what, result.stdout]).toEqual([what, expect.stringContaining(finding)]);
    }

    await writeFile(join(work, 'broken.json'), text.slice(0, -1));
    const unusable = [
      await verifyPackCli([join(work, 'broken.json'), '--jwks', keysFile]),
      await verifyPackCli([packFile]),
      await verifyPackCli([packFile, '--jwks', join(work, 'absent.json')]),
      await verifyPackCli([keysFile, '--jwks', keysFile]),
    ];
    expect(unusable.map((result) => result.code)).toEqual([2, 2, 2, 2]);
    expect(unusable.map((result) => result.stderr)).toEqual([
      expect.stringMatching(/^UNUSABLE: not JSON/),
      expect.stringMatching(/^UNUSABLE: give the keys/),
      expect.stringMatching(/^UNUSABLE: cannot read the key set/),
      expect.stringMatching(/^UNUSABLE: format is undefined/),
    ]);

    const otherKeys = { keys: [{ ...jwks.keys[0], kid: 'another' }] };
    await writeFile(join(work, 'other-keys.json'), JSON.stringify(otherKeys));
    const stranger = await verifyPackCli([packFile, '--jwks', join(work, 'other-keys.json')]);
    expect([stranger.code, stranger.stdout]).toEqual([
      1,
      expect.stringContaining(`no key ${pack.signature.keyId}`),
    ]);
  });

  it('tells with --current whether the live record has gone on since the pack was made', async () => {
    const id = await deliverableIn(actors, refs, 'draft');
    const { text, pack } = await packOf(auditor, id);
    const file = join(work, 'current.json');
    await writeFile(file, text);
    const token = { BATON_TOKEN: auditor.token! };
    const current = await verifyPackCli([file, '--url', baton.url, '--current'], token);
    expect([current.code, current.stdout]).toEqual([
      0,
      expect.stringContaining('current: the live record ends where this pack does'),
    ]);
    // One more recorded change: the pack is still as signed, and stale.
    const attested = await actors.pmo.post(`/v1/deliverables/${id}/readiness/runbook/attest`, {
      evidence: 'wiki/runbook',
    });
    expect(attested.status).toBe(200);
    const stale = await verifyPackCli([file, '--url', baton.url, '--current'], token);
    expect([stale.code, stale.stdout]).toEqual([
      3,
      expect.stringMatching(/^OK: [^]*\nstale: 1 event recorded/),
    ]);
    expect(stale.stdout).toContain('the latest: attest');
    expect(pack.history).toHaveLength(1);
    // Without a token to read the live record, or with one that may not: unusable input, said so.
    const tokenless = await verifyPackCli([file, '--url', baton.url, '--current'], { BATON_TOKEN: '' });
    expect([tokenless.code, tokenless.stderr]).toEqual([2, expect.stringContaining('set BATON_TOKEN')]);
    const refused = await verifyPackCli([file, '--url', baton.url, '--current'], { BATON_TOKEN: 'bat_nope' });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('answered 401')]);
  });

  it('reads as a PDF: title, statuses in PMO and SMO words, the chain head and key id on every page', async () => {
    const { pack } = await packOf(actors.smo, walkedId);
    const { bytes, headers } = await pdfOf(actors.smo, walkedId);
    expect(headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="evidence-pack-fixture-[0-9a-f]{8}-${walkedId.slice(0, 8)}\\.pdf"$`),
    );
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const pages = await pdfPages(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.join('\n');
    for (const text of [
      'Evidence pack',
      pack.deliverable.title,
      walkedId,
      pack.service.name,
      pack.project.key,
      'early life support (PMO: warranty, hypercare',
      'SMO: early life support)',
      'Runbooks published',
      'wiki/runbooks',
      'Acceptance gate, round 1',
      'service_owner',
      'INC-7',
      'Tune the nightly batch',
      'History',
      'record incident',
      pack.history[0].hash.slice(0, 16),
      'Chain verified',
    ])
      expect([text, all.includes(text)]).toEqual([text, true]);
    pages.forEach((page, index) => {
      expect([index, page]).toEqual([index, expect.stringContaining(`Chain head: ${pack.chain.head}`)]);
      expect([index, page]).toEqual([index, expect.stringContaining(`Key id: ${pack.signature.keyId}`)]);
      expect([index, page]).toEqual([index, expect.stringContaining(`Page ${index + 1} of ${pages.length}`)]);
    });
  });

  it('negotiates by Accept: JSON by default and for wildcards, PDF when preferred, 406 for neither', async () => {
    const path = `/v1/deliverables/${walkedId}/evidence-pack`;
    const typeFor = async (accept: string) =>
      (await auditor.get(path, { accept })).headers.get('content-type');
    expect(await typeFor('*/*')).toBe('application/json; charset=utf-8');
    expect(await typeFor('application/*')).toBe('application/json; charset=utf-8');
    expect(await typeFor('application/pdf, */*;q=0.1')).toBe('application/pdf');
    expect(await typeFor('application/pdf, */*')).toBe('application/pdf');
    expect(await typeFor('application/json;q=0.5, application/pdf')).toBe('application/pdf');
    expect(await typeFor('application/pdf;q=0, */*')).toBe('application/json; charset=utf-8');
    for (const accept of ['text/html', 'text/csv, image/*', 'application/json;q=0, application/pdf;q=0']) {
      const refused = await auditor.get(path, { accept });
      expect([accept, refused.status, refused.headers.get('content-type')]).toEqual([
        accept,
        406,
        'application/problem+json; charset=utf-8',
      ]);
      expect(refused.body).toMatchObject({
        status: 406,
        code: 'REQUEST.NOT_ACCEPTABLE',
        accepts: ['application/json', 'application/pdf'],
      });
    }
  });

  it('answers 404 for an unknown deliverable, 400 for a malformed id, 401 without a token', async () => {
    const unknown = await auditor.get('/v1/deliverables/7d1f0c52-8a0e-4b57-9a35-1c2e4b5f6a7d/evidence-pack');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'RESOURCE.NOT_FOUND']);
    const unknownPdf = await auditor.get(
      '/v1/deliverables/7d1f0c52-8a0e-4b57-9a35-1c2e4b5f6a7d/evidence-pack',
      {
        accept: 'application/pdf',
      },
    );
    expect(unknownPdf.status).toBe(404);
    expect((await auditor.get('/v1/deliverables/nope/evidence-pack')).status).toBe(400);
    expect((await auditor.as(null).get(`/v1/deliverables/${walkedId}/evidence-pack`)).status).toBe(401);
    expect((await auditor.as('not-a-token').get(`/v1/deliverables/${walkedId}/evidence-pack`)).status).toBe(
      401,
    );
    expect((await auditor.as(null).get('/v1/evidence-keys')).status).toBe(200);
  });
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timed(times: number, work: () => unknown): Promise<number> {
  const spent: number[] = [];
  for (let round = 0; round < times; round++) {
    const started = performance.now();
    await work();
    spent.push(performance.now() - started);
  }
  return median(spent);
}

describe('measured (figures printed, not asserted)', () => {
  it('a pack of 19 criteria and 200 history events: its sizes, and how long making and verifying it take', async () => {
    const criteria = Array.from({ length: 19 }, (_, index) => ({
      key: `criterion-${index + 1}`,
      title: `Readiness criterion ${index + 1}: runbooks, monitoring and support in place`,
      practice: 'service validation and testing',
      mandatory: index < 10,
      kind: 'manual',
    }));
    const template = await actors.smo.post('/v1/checklists', {
      name: unique('measured'),
      changeTypes: ['major_change'],
      tiers: [4],
      criteria,
    });
    expect(template.status).toBe(201);
    const created = await actors.pmo.post('/v1/deliverables', {
      ...refs,
      title: 'Measured: payments platform cut-over',
      changeType: 'major_change',
      targetGoLive: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    });
    const id: string = created.body.id;
    const step = async (client: ApiClient, rest: string, body: unknown): Promise<void> => {
      const answer = await client.post(`/v1/deliverables/${id}${rest}`, body);
      expect([rest, answer.status]).toEqual([rest, 200]);
    };
    for (const criterion of criteria)
      await step(actors.pmo, `/readiness/${criterion.key}/attest`, {
        evidence: `https://wiki.example/payments/${criterion.key} (reviewed by the service owner)`,
      });
    // 1 creation + 19 attestations + 90 holds and resumes = 200 events.
    for (let cycle = 0; cycle < 90; cycle++) {
      await step(actors.smo, '/hold', { reason: `Waiting for the change board, cycle ${cycle + 1}` });
      await step(actors.smo, '/resume', {});
    }
    const { text, pack } = await packOf(auditor, id);
    expect([pack.deliverable.readiness.criteria.length, pack.history.length]).toEqual([19, 200]);
    const { bytes } = await pdfOf(auditor, id);
    const pageCount = (await pdfPages(bytes)).length;
    const jwks = (await new ApiClient(baton.url, null).get('/v1/evidence-keys')).body;
    const packFile = join(work, 'measured.json');
    const keysFile = join(work, 'measured-keys.json');
    await writeFile(packFile, text);
    await writeFile(keysFile, JSON.stringify(jwks));

    const verifier = await import(join(ROOT, 'scripts/verify-pack.mjs'));
    const RUNS = 31;
    const signatureOnly = await timed(RUNS, () => expect(verifiesOffline(JSON.parse(text), jwks)).toBe(true));
    const full = await timed(RUNS, () =>
      expect(verifier.verifyPack(verifier.parsePack(text), jwks).ok).toBe(true),
    );
    const cli = await timed(5, async () =>
      expect((await verifyPackCli([packFile, '--jwks', keysFile])).code).toBe(0),
    );
    const makeJson = await timed(11, () => packOf(auditor, id));
    const makePdf = await timed(11, () => pdfOf(auditor, id));
    console.info(
      [
        'evidence pack, 19 criteria and 200 history events:',
        `  JSON ${Buffer.byteLength(text)} bytes; PDF ${bytes.byteLength} bytes, ${pageCount} pages`,
        `  verify (median of ${RUNS}): signature only ${signatureOnly.toFixed(2)} ms; ` +
          `signature, chain and digests (verify-pack's verifyPack) ${full.toFixed(2)} ms`,
        `  npm run verify-pack as a process (median of 5): ${cli.toFixed(0)} ms`,
        `  served (median of 11, over HTTP on this machine): JSON ${makeJson.toFixed(1)} ms, PDF ${makePdf.toFixed(1)} ms`,
      ].join('\n'),
    );
  });
});

describe('the evidence key', () => {
  let keys: Awaited<ReturnType<typeof scratchDatabase>>;
  const running: BatonProcess[] = [];
  const start = async (env: Record<string, string> = {}): Promise<BatonProcess> => {
    const started = await startBaton({
      app: 'api',
      env: { DATABASE_URL: keys.url, BATON_QUEUE_PREFIX: 'baton_evidence_keys', ...env },
    });
    running.push(started);
    return started;
  };
  const jwksOf = async (process: BatonProcess) =>
    (await new ApiClient(process.url, null).get('/v1/evidence-keys')).body;
  const stop = async (process: BatonProcess): Promise<void> => {
    await process.stop();
    running.splice(running.indexOf(process), 1);
  };

  beforeAll(async () => {
    keys = await scratchDatabase();
  });

  afterAll(async () => {
    await Promise.all(running.map((process) => process.stop()));
    await keys?.drop();
  });

  it('is made once by two processes starting together, kept in PostgreSQL and the same after a restart', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    const [a, b] = await Promise.all([jwksOf(first), jwksOf(second)]);
    expect(a.keys).toHaveLength(1);
    expect(b).toEqual(a);
    const kid: string = a.keys[0].kid;

    const client = new pg.Client({ connectionString: keys.url });
    await client.connect();
    const rows = (await client.query('SELECT kid, private_key FROM evidence_keys')).rows;
    await client.end();
    expect(rows).toEqual([{ kid, private_key: expect.stringMatching(/^-----BEGIN PRIVATE KEY-----\n/) }]);

    await Promise.all([stop(first), stop(second)]);
    const again = await start();
    expect((await jwksOf(again)).keys.map((key: any) => key.kid)).toEqual([kid]);
    await stop(again);
  }, 120_000);

  it('signs with BATON_EVIDENCE_KEY when set, lists the keys used before, and refuses a key that is not Ed25519 PKCS#8', async () => {
    const made = generateKeyPairSync('ed25519');
    const pem = made.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const x = made.publicKey.export({ format: 'jwk' }).x!;
    const before = await start();
    const generated: string = (await jwksOf(before)).keys[0].kid;
    await stop(before);

    const given = await start({ BATON_EVIDENCE_KEY: pem });
    const jwks = await jwksOf(given);
    expect(jwks.keys.map((key: any) => key.kid)).toEqual([thumbprint(x), generated]);
    expect(jwks.keys[0].x).toBe(x);
    const givenAdmin = new ApiClient(given.url, given.adminToken);
    const smo = await createPrincipal(givenAdmin, unique('smo'), ['smo']);
    const pmo = await createPrincipal(givenAdmin, unique('pmo'), ['pmo']);
    const deliverable = await pmo.client.post('/v1/deliverables', {
      projectId: await createProject(pmo.client),
      serviceId: await createService(smo.client),
      title: 'Signed with the given key',
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const { pack } = await packOf(pmo.client, deliverable.body.id);
    expect(pack.signature.keyId).toBe(thumbprint(x));
    expect(verifiesOffline(pack, jwks)).toBe(true);
    await stop(given);

    // The given key's private half is the operator's: only its public half is recorded.
    const client = new pg.Client({ connectionString: keys.url });
    await client.connect();
    const rows = (
      await client.query('SELECT kid, private_key FROM evidence_keys WHERE kid = $1', [thumbprint(x)])
    ).rows;
    await client.end();
    expect(rows).toEqual([{ kid: thumbprint(x), private_key: null }]);

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await expect(start({ BATON_EVIDENCE_KEY: ec.toString() })).rejects.toThrow(
      /BATON_EVIDENCE_KEY: must be an Ed25519 private key as PKCS#8 PEM .*it is an ec key/,
    );
  });
});
