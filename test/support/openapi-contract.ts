// The contract as an integrator holds Baton to it: every answer the tests receive is checked against the
// OpenAPI document served by the Baton that gave it (/docs-json, fetched once per base URL). An answer with
// a status the operation does not declare, another media type, a body its schema refuses or a required
// header missing fails the test that received it.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

type Json = Record<string, any>;

const COMPONENTS = '#/components/schemas/';
const SCHEMA_BASE = 'https://baton.test/openapi/schemas/';

/** Ajv for the document's dialect (JSON Schema 2020-12, OpenAPI 3.1), with the formats it names. */
export function createAjv(strict: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict, allErrors: true, validateFormats: true });
  formats.default(ajv);
  return ajv;
}

/** `$ref`s into the document's components, made absolute so that Ajv resolves them among its schemas. */
function absoluteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(absoluteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const result: Json = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith(COMPONENTS)
        ? SCHEMA_BASE + child.slice(COMPONENTS.length)
        : absoluteRefs(child);
  }
  return result;
}

interface DocumentedResponse {
  content: Record<string, ValidateFunction | null>;
  requiredHeaders: string[];
  /** Each documented header's schema, for the value when the header is sent. */
  headers: Record<string, ValidateFunction>;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  responses: Map<string, DocumentedResponse>;
}

/** The operations of one served document, each response's schema compiled for its dialect. */
export class Contract {
  readonly operations: Operation[] = [];

  constructor(readonly document: Json) {
    if (document.openapi !== '3.1.0') throw new Error(`The document declares OpenAPI ${document.openapi}`);
    const ajv = createAjv(true);
    for (const [name, schema] of Object.entries((document.components?.schemas ?? {}) as Json))
      ajv.addSchema(absoluteRefs(schema) as Json, SCHEMA_BASE + name);
    const headers = (document.components?.headers ?? {}) as Json;
    const resolveHeader = (header: Json): Json =>
      typeof header.$ref === 'string' ? headers[header.$ref.split('/').pop()!] : header;
    for (const [template, item] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
        const segments = template.split('/');
        const responses = new Map<string, DocumentedResponse>();
        for (const [status, response] of Object.entries((operation as Json).responses as Json)) {
          const content: Record<string, ValidateFunction | null> = {};
          for (const [mediaType, media] of Object.entries((response.content ?? {}) as Json))
            content[baseMediaType(mediaType)] = media.schema
              ? ajv.compile(absoluteRefs(media.schema) as Json)
              : null;
          const documentedHeaders = Object.entries((response.headers ?? {}) as Json).map(
            ([name, header]) => [name, resolveHeader(header as Json)] as const,
          );
          const requiredHeaders = documentedHeaders
            .filter(([, header]) => header?.required === true)
            .map(([name]) => name);
          const headerSchemas: Record<string, ValidateFunction> = {};
          for (const [name, header] of documentedHeaders)
            if (header?.schema) headerSchemas[name] = ajv.compile(header.schema as Json);
          responses.set(status, { content, requiredHeaders, headers: headerSchemas });
        }
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(
            `^${segments.map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : escapeRegExp(part))).join('/')}$`,
          ),
          literalSegments: segments.filter((part) => !part.startsWith('{')).length,
          responses,
        });
      }
    }
    // `/v1/principals/me` before `/v1/principals/{id}`: the most literal template that matches wins.
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  operation(method: string, path: string): Operation | undefined {
    const bare = path.split('?')[0];
    return this.operations.find((op) => op.method === method && op.pattern.test(bare));
  }

  /** What does not hold in one answer, or null when it is as documented (or not a documented operation). */
  mismatch(method: string, path: string, status: number, headers: Headers, text: string): string | null {
    const operation = this.operation(method.toUpperCase(), path);
    if (!operation) return null;
    const where = `${method.toUpperCase()} ${path} (${operation.template}) answered ${status}`;
    const documented =
      operation.responses.get(String(status)) ??
      operation.responses.get(`${String(status)[0]}XX`) ??
      operation.responses.get('default');
    if (!documented) {
      return `${where}, a status the document does not declare (it declares ${[...operation.responses.keys()].join(', ')})`;
    }
    const missingHeaders = documented.requiredHeaders.filter((name) => !headers.has(name));
    if (missingHeaders.length > 0)
      return `${where} without the header(s) it documents: ${missingHeaders.join(', ')}`;
    const mediaTypes = Object.keys(documented.content);
    if (text.length === 0) {
      return mediaTypes.length === 0
        ? null
        : `${where} with no body; the document gives ${mediaTypes.join(', ')}`;
    }
    if (mediaTypes.length === 0) return `${where} with a body, where the document declares none`;
    const mediaType = baseMediaType(headers.get('content-type') ?? '');
    if (!(mediaType in documented.content)) {
      return `${where} as ${mediaType || 'no content type'}; the document gives ${mediaTypes.join(', ')}`;
    }
    const validate = documented.content[mediaType];
    if (!validate) return null;
    let body: unknown = text;
    if (mediaType.endsWith('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        return `${where} with a body that is not JSON: ${text.slice(0, 200)}`;
      }
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 8)
      .map(
        (error) =>
          `  ${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
      );
    return `${where} with a body its documented schema refuses:\n${errors.join('\n')}\nbody: ${text.slice(0, 1500)}`;
  }
}

const baseMediaType = (value: string): string => value.split(';')[0].trim().toLowerCase();
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const contracts = new Map<string, Promise<Contract>>();

/** The document the Baton at `baseUrl` serves, fetched and compiled once (a failed fetch is tried again). */
export function contractOf(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetchContract(baseUrl);
    contracts.set(baseUrl, contract);
    contract.catch(() => contracts.delete(baseUrl));
  }
  return contract;
}

async function fetchContract(baseUrl: string): Promise<Contract> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(`${baseUrl}/docs-json`);
    // A Baton under a test's tight rate limit: the document waits like any client would.
    if (response.status === 429 && attempt < 5) {
      const wait = Number(response.headers.get('retry-after') ?? '1');
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 10) * 1000));
      continue;
    }
    if (response.status !== 200) throw new Error(`GET ${baseUrl}/docs-json answered ${response.status}`);
    return new Contract((await response.json()) as Json);
  }
}

/** How many answers were checked against a document, and how many could not be (no document to fetch). */
export const contractCounts = { checked: 0, undocumented: 0, unchecked: 0 };

/**
 * Checks one answer against the document of the Baton that gave it; throws, naming the request, the status
 * and what does not hold, when it is not as documented.
 */
export async function checkAnswer(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  headers: Headers,
  text: string,
): Promise<void> {
  let contract: Contract;
  try {
    contract = await contractOf(baseUrl);
  } catch {
    // The Baton went away with this answer (a test that kills it): nothing to check against.
    contractCounts.unchecked += 1;
    return;
  }
  if (!contract.operation(method.toUpperCase(), path)) {
    contractCounts.undocumented += 1;
    return;
  }
  const mismatch = contract.mismatch(method, path, status, headers, text);
  if (mismatch) throw new Error(`The answer is not as /docs-json documents it: ${mismatch}`);
  contractCounts.checked += 1;
}
