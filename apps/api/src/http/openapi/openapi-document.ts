import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type ParameterObject, SwaggerModule } from '@nestjs/swagger';
import { problemSchema } from '../errors/problem.js';
import { isZodSchema, toOpenApiSchema } from './json-schema.js';
import { headerRefs, RESPONSE_HEADERS, EXTRA_COMPONENTS } from './responds.decorator.js';

/** The dialect every schema of the document is written in: JSON Schema 2020-12, as zod emits it. */
export const OPENAPI_VERSION = '3.1.0';

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
/** The health probes: never rate limited nor refused while stopping. */
const isProbe = (path: string): boolean => path === '/health' || path.startsWith('/health/');

/** The problems an operation may answer, and which operations may answer each. */
const PROBLEMS: {
  status: string;
  description: string;
  applies: (operation: OperationFacts) => boolean;
  headers?: (keyof typeof RESPONSE_HEADERS)[];
}[] = [
  {
    status: '400',
    description: 'Malformed or invalid input (a malformed id too)',
    applies: (op) => op.hasInput,
  },
  { status: '401', description: 'No token, or one unknown or revoked', applies: (op) => op.authenticated },
  {
    status: '403',
    description: 'The role is missing, or separation of duties refuses',
    applies: (op) => op.authenticated,
  },
  {
    status: '404',
    description: 'An id that names nothing (in the path or the body)',
    applies: (op) => op.hasPathParameters || op.hasBody,
  },
  {
    status: '406',
    description: 'The Accept header names none of the media types this operation serves',
    applies: (op) => op.negotiated,
  },
  {
    status: '409',
    description: 'Not possible in the current state, a write conflict, a second decision in one round',
    applies: (op) => op.mutating,
  },
  {
    status: '412',
    description: 'If-Match names another version of the deliverable',
    applies: (op) => op.ifMatch,
  },
  { status: '413', description: 'A body over the limit (1 MiB by default)', applies: (op) => op.mutating },
  { status: '415', description: 'A body that is not JSON', applies: (op) => op.hasBody },
  {
    status: '422',
    description: 'An Idempotency-Key used before with another request',
    applies: (op) => op.mutating,
  },
  {
    status: '429',
    description: 'Rate limited: try again after Retry-After seconds',
    applies: (op) => !isProbe(op.path),
    headers: ['Retry-After'],
  },
  {
    status: '500',
    description: 'An unexpected fault (logged); never an answer to input',
    applies: () => true,
  },
  {
    status: '503',
    description:
      'A dependency (PostgreSQL, the queues) is down, or this api is stopping (SERVICE.STOPPING: nothing ran, send it again): try again after Retry-After seconds',
    applies: () => true,
    headers: ['Retry-After'],
  },
];

interface OperationFacts {
  path: string;
  mutating: boolean;
  authenticated: boolean;
  hasBody: boolean;
  hasInput: boolean;
  hasPathParameters: boolean;
  ifMatch: boolean;
  /** A success is served in more than one media type, chosen by the Accept header. */
  negotiated: boolean;
}

interface Parameter {
  name: string;
  in: string;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }
  >;
}

const IDEMPOTENCY_KEY_REF = { $ref: '#/components/parameters/Idempotency-Key' };
const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry: the same key and request within 24 h get the first answer again ' +
    '(with Idempotent-Replayed: true) and change nothing; the same key with another request is 422',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
};

/**
 * Nest's scanner with every zod schema (request bodies, queries, responses) converted by toOpenApiSchema,
 * then what every operation shares: the problem responses, Idempotency-Key on mutations, the headers
 * of replays and of 429 and 503. Fails when an operation documents no success response.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion(OPENAPI_VERSION)
    .setTitle('Baton')
    .setDescription(
      'Handover of project deliverables into live service: one record and one workflow for the PMO and the SMO. ' +
        'Errors are application/problem+json (RFC 9457). Mutations honour Idempotency-Key; mutations of a ' +
        'deliverable honour If-Match with the version its ETag gives.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A Baton token, or an OIDC JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    standardSchemaConverter: (schema, { schemaType }) =>
      isZodSchema(schema) ? toOpenApiSchema(schema, schemaType) : undefined,
  });
  return completeDocument(document);
}

function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const problem = toOpenApiSchema(problemSchema, 'output');
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...problem.components, ...EXTRA_COMPONENTS },
    headers: { ...document.components?.headers, ...RESPONSE_HEADERS },
    parameters: { ...document.components?.parameters, 'Idempotency-Key': IDEMPOTENCY_KEY },
  };
  const problemContent = { 'application/problem+json': { schema: problem.schema } };
  const missing: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const operation = value as Operation;
      const parameters = operation.parameters ?? [];
      const facts: OperationFacts = {
        path,
        mutating: MUTATING.has(method),
        authenticated: (operation.security ?? []).length > 0,
        hasBody: operation.requestBody !== undefined,
        hasInput: operation.requestBody !== undefined || parameters.some((p) => p.in !== 'header'),
        hasPathParameters: parameters.some((p) => p.in === 'path'),
        ifMatch: parameters.some((p) => p.in === 'header' && p.name === 'If-Match'),
        negotiated: Object.entries(operation.responses).some(
          ([status, response]) => status.startsWith('2') && Object.keys(response.content ?? {}).length > 1,
        ),
      };
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      if (!successes.some((status) => status === '204' || operation.responses[status].content))
        missing.push(`${method.toUpperCase()} ${path}`);
      if (facts.mutating && facts.authenticated) {
        operation.parameters = [...parameters, IDEMPOTENCY_KEY_REF as unknown as Parameter];
        for (const status of successes) {
          const response = operation.responses[status];
          response.headers = { ...response.headers, ...headerRefs(['Idempotent-Replayed']) };
        }
      }
      for (const { status, description, applies, headers = [] } of PROBLEMS) {
        if (!applies(facts) || operation.responses[status]) continue;
        const replayed = facts.mutating && facts.authenticated ? (['Idempotent-Replayed'] as const) : [];
        const names = [...headers, ...replayed];
        operation.responses[status] = {
          description,
          ...(names.length > 0 ? { headers: headerRefs(names) } : {}),
          content: problemContent,
        };
      }
    }
  }
  if (missing.length > 0)
    throw new Error(`These operations document no success response (see Responds): ${missing.join(', ')}`);
  return document;
}
