// The OpenAPI document as an integrator takes it: it validates with a maintained parser, every schema in it
// is valid JSON Schema 2020-12 (the dialect OpenAPI 3.1 declares), every operation documents its success,
// its problems and the headers the API sets and reads, and openapi-typescript generates client types from
// it that compile. (Every answer of every end-to-end test is checked against it too: test/support.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validate } from '@readme/openapi-parser';
import ts from 'typescript';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import { Contract, createAjv } from '../support/openapi-contract.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

let baton: BatonProcess;
let document: any;
let operations: { method: string; path: string; operation: any }[];

beforeAll(async () => {
  baton = await startBaton();
  const served = await new ApiClient(baton.url, null).get('/docs-json');
  expect(served.status).toBe(200);
  document = served.body;
  operations = Object.entries(document.paths as Record<string, any>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, operation: item[method] })),
  );
});

afterAll(async () => {
  await baton?.stop();
});

const name = ({ method, path }: { method: string; path: string }) => `${method.toUpperCase()} ${path}`;
const resolve = (node: any, section: 'headers' | 'parameters'): any =>
  typeof node?.$ref === 'string' ? document.components[section][node.$ref.split('/').pop()] : node;

/** Every schema object the document holds: components, parameters, headers, bodies and responses. */
function schemasOf(doc: any): { where: string; schema: unknown }[] {
  const found: { where: string; schema: unknown }[] = [];
  for (const [key, schema] of Object.entries(doc.components?.schemas ?? {}))
    found.push({ where: `components.schemas.${key}`, schema });
  for (const [key, header] of Object.entries<any>(doc.components?.headers ?? {}))
    found.push({ where: `components.headers.${key}`, schema: header.schema });
  for (const [key, parameter] of Object.entries<any>(doc.components?.parameters ?? {}))
    found.push({ where: `components.parameters.${key}`, schema: parameter.schema });
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? [])
        if (parameter.schema)
          found.push({ where: `${at} parameter ${parameter.name}`, schema: parameter.schema });
      for (const [type, media] of Object.entries<any>(operation.requestBody?.content ?? {}))
        found.push({ where: `${at} request ${type}`, schema: media.schema });
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        for (const [type, media] of Object.entries<any>(response.content ?? {}))
          found.push({ where: `${at} ${status} ${type}`, schema: media.schema });
        for (const [header, value] of Object.entries<any>(response.headers ?? {}))
          if (value.schema) found.push({ where: `${at} ${status} header ${header}`, schema: value.schema });
      }
    }
  }
  return found;
}

describe('the served OpenAPI document', () => {
  it('validates with @readme/openapi-parser', async () => {
    const result = await validate(structuredClone(document));
    if (!result.valid) throw new Error(result.errors.map((error) => error.message).join('\n\n'));
    expect(result.warnings).toEqual([]);
    console.info(
      `openapi: ${operations.length} operations, ${Object.keys(document.paths).length} paths validated`,
    );
  });

  it('is OpenAPI 3.1, and every schema in it is valid JSON Schema 2020-12 (no 3.0 forms)', () => {
    expect(document.openapi).toBe('3.1.0');
    const ajv = createAjv(true);
    const schemas = schemasOf(document);
    const problems: string[] = [];
    for (const { where, schema } of schemas) {
      if (!ajv.validateSchema(schema as object)) problems.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
      if (JSON.stringify(schema).includes('"nullable"')) problems.push(`${where}: nullable is OpenAPI 3.0`);
    }
    expect(problems).toEqual([]);
    // Compiling resolves every $ref and refuses unknown keywords (Ajv strict mode).
    expect(() => new Contract(document)).not.toThrow();
    expect(schemas.length).toBeGreaterThan(100);
  });

  it('documents a success response with a schema for every operation (or an explicit 204)', () => {
    const missing = operations.filter(({ operation }) => {
      const successes = Object.entries<any>(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      return !successes.some(
        ([status, response]) =>
          status === '204' ||
          Object.values<any>(response.content ?? {}).some((media) => media.schema !== undefined),
      );
    });
    expect(missing.map(name)).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(48);
  });

  it('documents problem responses (application/problem+json, the Problem schema) on every operation', () => {
    const without = operations.filter(({ operation }) => {
      const problems = Object.entries<any>(operation.responses).filter(([status]) =>
        /^[45]\d\d$/.test(status),
      );
      return (
        problems.length === 0 ||
        problems.some(
          ([, response]) =>
            response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem' &&
            response.content?.['application/json'] === undefined, // /health answers 503 with its own body
        )
      );
    });
    expect(without.map(name)).toEqual([]);
    expect(document.components.schemas.Problem).toMatchObject({
      required: ['type', 'title', 'status', 'detail'],
      properties: { errors: { type: 'array' }, state: { type: 'string' }, allowedActions: { type: 'array' } },
    });
  });

  it('declares the headers: Idempotency-Key on mutations, If-Match and ETag on deliverables, Retry-After, Idempotent-Replayed', () => {
    const problems: string[] = [];
    for (const op of operations) {
      const parameters = (op.operation.parameters ?? []).map((parameter: any) =>
        resolve(parameter, 'parameters'),
      );
      const header = (wanted: string) =>
        parameters.some((parameter: any) => parameter.in === 'header' && parameter.name === wanted);
      const responseHeader = (status: string, wanted: string) =>
        resolve(op.operation.responses[status]?.headers?.[wanted], 'headers')?.schema !== undefined;
      const mutating = op.method !== 'get';
      const onDeliverable = /^\/v1\/deliverables\/\{id\}(\/(?!history|reminders|evidence-pack).*)?$/.test(
        op.path,
      );
      if (mutating && !header('Idempotency-Key')) problems.push(`${name(op)}: no Idempotency-Key`);
      if (mutating && onDeliverable && !header('If-Match')) problems.push(`${name(op)}: no If-Match`);
      const success = Object.keys(op.operation.responses).find((status) => status.startsWith('2'))!;
      if ((onDeliverable || (op.path === '/v1/deliverables' && mutating)) && !responseHeader(success, 'ETag'))
        problems.push(`${name(op)}: no ETag on ${success}`);
      if (mutating && !responseHeader(success, 'Idempotent-Replayed'))
        problems.push(`${name(op)}: no Idempotent-Replayed on ${success}`);
      for (const status of ['429', '503'])
        if (op.operation.responses[status] && !responseHeader(status, 'Retry-After'))
          problems.push(`${name(op)}: no Retry-After on ${status}`);
      if (!op.path.startsWith('/health') && !op.operation.responses['429'])
        problems.push(`${name(op)}: no 429`);
    }
    expect(problems).toEqual([]);
  });

  it('describes what the deliverable serves, members API.md does not list included', () => {
    const { Deliverable, Criterion } = document.components.schemas;
    expect(Object.keys(Criterion.properties)).toEqual(
      expect.arrayContaining([
        'key',
        'status',
        'evidence',
        'updatedAt',
        'blocks',
        'probeUrl',
        'waiverReason',
      ]),
    );
    expect(Deliverable.properties.els.properties).toHaveProperty('exitRound');
    expect(Deliverable.properties.readiness.properties.criteria.items).toEqual({
      $ref: '#/components/schemas/Criterion',
    });
    expect(Deliverable.required).toEqual(
      expect.arrayContaining(['id', 'status', 'version', 'allowedActions']),
    );
  });

  it('is what the tests hold every answer to: the check refuses an answer that is not as documented', async () => {
    const contract = new Contract(document);
    const admin = new ApiClient(baton.url, baton.adminToken);
    const served = await admin.get('/v1/workflow');
    const json = (extra: Record<string, string> = {}) =>
      new Headers({ 'content-type': 'application/json; charset=utf-8', ...extra });
    const text = JSON.stringify(served.body);
    expect(contract.mismatch('GET', '/v1/workflow', 200, json(), text)).toBeNull();
    const checks: [string, string | null, string][] = [
      [
        'an undeclared status',
        contract.mismatch('GET', '/v1/workflow', 418, json(), text),
        'does not declare',
      ],
      [
        'another media type',
        contract.mismatch('GET', '/v1/workflow', 200, new Headers(), text),
        'no content type',
      ],
      [
        'a member the schema does not name',
        contract.mismatch('GET', '/v1/workflow', 200, json(), JSON.stringify({ ...served.body, extra: 1 })),
        'additionalProperties',
      ],
      [
        'a member of another type',
        contract.mismatch(
          'GET',
          '/v1/workflow',
          200,
          json(),
          JSON.stringify({ ...served.body, version: '1' }),
        ),
        '/version must be integer',
      ],
      [
        'a deliverable without its ETag',
        contract.mismatch('GET', `/v1/deliverables/${crypto.randomUUID()}`, 200, json(), '{}'),
        'without the header(s) it documents: ETag',
      ],
      [
        'a malformed ETag',
        contract.mismatch('GET', `/v1/deliverables/${crypto.randomUUID()}`, 200, json({ etag: 'W/x' }), '{}'),
        'ETag: W/x',
      ],
      [
        'a problem that is not one',
        contract.mismatch('GET', '/v1/workflow', 401, json(), '{"error":"no"}'),
        'application/problem+json',
      ],
    ];
    for (const [what, mismatch] of checks)
      expect({ what, refused: mismatch !== null }).toEqual({ what, refused: true });
  });

  it('is what Swagger UI at /docs is given (Swagger UI 5 reads OpenAPI 3.1)', async () => {
    const anonymous = new ApiClient(baton.url, null);
    const page = await anonymous.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const init = await anonymous.get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.body).toContain('"openapi": "3.1.0"');
    expect(init.body).toContain('"$ref": "#/components/schemas/Deliverable"');
  });

  it('gives openapi-typescript what it needs to generate client types, and they compile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-openapi-'));
    try {
      const source = join(dir, 'baton.openapi.json');
      const output = join(dir, 'baton-api.d.ts');
      await writeFile(source, JSON.stringify(document));
      const cli = join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
      const { stderr } = await promisify(execFile)(process.execPath, [cli, source, '-o', output], {
        cwd: dir,
      });
      expect(stderr).not.toMatch(/error|warn/i);
      // A client's use of the generated types: they must compile, and say what the API serves.
      const usage = join(dir, 'client.ts');
      await writeFile(
        usage,
        [
          `import type { components, paths } from './baton-api.js';`,
          `type Deliverable = components['schemas']['Deliverable'];`,
          `type Submitted = paths['/v1/deliverables/{id}/submit']['post']['responses'][200]['content']['application/json'];`,
          `export const exitRound = (d: Deliverable): number => d.els.exitRound;`,
          `export const same = (d: Submitted): Deliverable => d;`,
          `export const state = (p: components['schemas']['Problem']): string | undefined => p.state;`,
        ].join('\n'),
      );
      const program = ts.createProgram([usage], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: false,
        types: [],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
