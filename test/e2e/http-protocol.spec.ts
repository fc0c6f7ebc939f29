// How Baton speaks HTTP to the clients people really use: Node's fetch, curl, generated SDKs. Each test
// here is a fault found by using Baton as an integrator would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  ALL_CHANGE_TYPES,
  deliverableIn,
  FIXTURE_CRITERIA,
  type FixtureActors,
  type FixtureRefs,
} from '../support/deliverable-states.js';
import { createPrincipal, createProject, createService, unique } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let baton: BatonProcess;
let admin: ApiClient;
let actors: FixtureActors;
let refs: FixtureRefs;

beforeAll(async () => {
  scratch = await scratchDatabase();
  baton = await startBaton({ env: { DATABASE_URL: scratch.url } });
  admin = new ApiClient(baton.url, baton.adminToken);
  const [pmo, smo, owner] = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('smo'), ['smo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
  ]);
  actors = { pmo: pmo.client, smo: smo.client, owner: owner.client };
  const template = await actors.smo.post('/v1/checklists', {
    name: unique('protocol'),
    changeTypes: ALL_CHANGE_TYPES,
    tiers: [4],
    criteria: FIXTURE_CRITERIA,
  });
  expect(template.status).toBe(201);
  refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 4) };
});

afterAll(async () => {
  await baton?.stop();
  await scratch?.drop();
});

describe('actions whose body is optional', () => {
  const ACTIONS = [
    { action: 'submit', path: '/submit', from: 'draft', to: 'readiness', by: () => actors.pmo },
    { action: 'resume', path: '/resume', from: 'on_hold', to: 'draft', by: () => actors.smo },
    {
      action: 'confirm',
      path: '/go-live/confirm',
      from: 'scheduled',
      to: 'early_life_support',
      by: () => actors.smo,
    },
  ] as const;
  // What clients send for "no body": nothing at all; a JSON content type and no bytes (generated SDKs,
  // `fetch` with headers set once for all calls); and the empty object.
  const BODIES = [
    { name: 'no body and no Content-Type', headers: {} as Record<string, string>, body: undefined },
    {
      name: 'Content-Type: application/json and an empty body',
      headers: { 'content-type': 'application/json' },
      body: '',
    },
    {
      name: 'Content-Type: application/json; charset=utf-8 and an empty body',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '',
    },
    { name: 'the body {}', headers: { 'content-type': 'application/json' }, body: '{}' },
  ];

  for (const { action, path, from, to, by } of ACTIONS) {
    for (const { name, headers, body } of BODIES) {
      it(`${action} with ${name}`, async () => {
        const id = await deliverableIn(actors, refs, from);
        const response = await fetch(`${baton.url}/v1/deliverables/${id}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${by().token}`, ...headers },
          ...(body === undefined ? {} : { body }),
        });
        const answer = (await response.json()) as { status: string; title?: string; detail?: string };
        expect({ status: response.status, to: answer.status }).toEqual({ status: 200, to });
      });
    }
  }

  it('still refuses a body with members these actions do not take', async () => {
    const id = await deliverableIn(actors, refs, 'draft');
    const response = await actors.pmo.post(`/v1/deliverables/${id}/submit`, { force: true });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'force', message: 'unknown field' }]);
  });

  it('answers an empty body where one is required with the fields it lacks, not "Body cannot be empty"', async () => {
    const response = await actors.pmo.request('POST', '/v1/deliverables', '', {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['projectId', 'serviceId', 'title', 'changeType', 'targetGoLive']),
    );
  });

  it('documents the body of these actions as optional, and of the others as required', async () => {
    const document = (await admin.get('/docs-json')).body;
    const body = (path: string) => document.paths[`/v1/deliverables/{id}${path}`].post.requestBody;
    for (const { path } of ACTIONS) expect(body(path).required).toBe(false);
    expect(body('/hold').required).toBe(true);
    expect(body('/readiness/{key}/attest').required).toBe(true);
  });
});

describe('a body over the limit', () => {
  const MB3 = 3 * 1024 * 1024;

  /** A fresh Node process POSTs 3 MB with fetch and prints what it got: the status and the problem, or the error. */
  const CLIENT = `
    const [url, token, size] = process.argv.slice(1);
    const body = JSON.stringify({ title: 'x'.repeat(Number(size)) });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      console.log(JSON.stringify({ status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) }));
    } catch (error) {
      console.log(JSON.stringify({ error: String(error.cause?.code ?? error.cause ?? error) }));
    }`;

  function postFromFreshProcess(): Promise<any> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', CLIENT, `${baton.url}/v1/deliverables`, baton.adminToken, String(MB3)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('exit', () => {
        try {
          resolve(JSON.parse(out));
        } catch {
          reject(new Error(`client printed: ${out}`));
        }
      });
    });
  }

  it('reaches each of 20 fresh Node clients as a 413 problem document, not a reset connection', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => postFromFreshProcess()));
    const received = results.filter((result) => result.status === 413);
    console.info(
      `413 received by ${received.length} of 20 clients; others: ${JSON.stringify(results.filter((r) => r.status !== 413))}`,
    );
    expect(received).toHaveLength(20);
    for (const result of received) {
      expect(result.type).toMatch(/application\/problem\+json/);
      expect(result.body).toMatchObject({
        status: 413,
        title: expect.any(String),
        detail: expect.any(String),
      });
    }
  });

  it('answers curl, which asks "Expect: 100-continue", before it sends the body', async () => {
    const curl = await promisify(execFile)('curl', ['--version']).catch(() => null);
    if (!curl) {
      console.warn('Skipped: no curl on this machine');
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'baton-413-'));
    const file = join(dir, 'body.json');
    await writeFile(file, JSON.stringify({ title: 'x'.repeat(MB3) }));
    try {
      const { stdout } = await promisify(execFile)('curl', [
        '-sS',
        '-w',
        '\n%{http_code} %{size_upload}',
        '-H',
        `authorization: Bearer ${baton.adminToken}`,
        '-H',
        'content-type: application/json',
        '-H',
        'expect: 100-continue',
        '--data-binary',
        `@${file}`,
        `${baton.url}/v1/deliverables`,
      ]);
      const [json, codes] = stdout.split('\n');
      const [code, uploaded] = codes.split(' ').map(Number);
      expect(code).toBe(413);
      expect(JSON.parse(json)).toMatchObject({ status: 413 });
      // The answer came before the body: curl sent (almost) none of the 3 MB.
      expect(uploaded).toBeLessThan(MB3 / 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps serving after oversized bodies', async () => {
    expect((await admin.get('/v1/glossary')).status).toBe(200);
  });
});

describe('what the HTTP parser refuses before Baton sees a request', () => {
  it('answers a URL over 16 KB with a 431 problem document (the fuzzer found Fastify default JSON there)', async () => {
    const answer = await fetch(`${baton.url}/v1/services?limit=${'x'.repeat(20_000)}`, {
      headers: { authorization: `Bearer ${baton.adminToken}` },
    });
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await answer.json()).toMatchObject({
      status: 431,
      code: 'HTTP.HEADER_OVERFLOW',
      title: 'Request Header Fields Too Large',
    });
    expect((await admin.get('/v1/glossary')).status).toBe(200);
  });

  it('answers bytes that are not HTTP with a 400 problem document', async () => {
    const { host, port } = new URL(baton.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), host.split(':')[0], () => socket.write('HELLO baton\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toMatch(/content-type: application\/problem\+json/);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'HTTP.MALFORMED',
    });
  });
});
