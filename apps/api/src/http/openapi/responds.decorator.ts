import { ApiResponse, type HeaderObject, type SchemaObject } from '@nestjs/swagger';
import { FASTIFY_ROUTE_SCHEMA_METADATA } from '@nestjs/platform-fastify/constants.js';
import { type FastifySchema } from 'fastify';
import { type z } from 'zod';
import { type JsonSchema, toOpenApiSchema, toSerializerSchema } from './json-schema.js';

const header = (description: string, required: boolean, schema: SchemaObject): HeaderObject => ({
  description,
  required,
  schema,
});

/** Response headers the API sets, each documented once. */
export const RESPONSE_HEADERS = {
  ETag: header('The deliverable\'s version, quoted: `"3"`. Send it back as If-Match.', true, {
    type: 'string',
    pattern: '^"\\d+"$',
  }),
  'Retry-After': header('Seconds to wait before trying again', true, { type: 'string', pattern: '^\\d+$' }),
  'Set-Cookie': header(
    'The queue board session: `baton_queues=<id>; HttpOnly; SameSite=Strict; Path=/admin/queues; ' +
      'Max-Age=3600` (and Secure over https)',
    true,
    { type: 'string', pattern: '^baton_queues=[A-Za-z0-9_-]+;' },
  ),
  'Content-Disposition': header('A document to save rather than show: `attachment; filename="..."`', false, {
    type: 'string',
    pattern: '^attachment; filename="[^"]+"$',
  }),
  'Idempotent-Replayed': header(
    'Present, `true`, when this is the first answer to the same Idempotency-Key sent again',
    false,
    { type: 'string', enum: ['true'] },
  ),
};
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Response headers by reference to the document's components (completeDocument adds them there). */
export const headerRefs = (names: readonly ResponseHeaderName[]) =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

export interface RespondsOptions {
  /** Headers this response carries. */
  headers?: readonly ResponseHeaderName[];
  /** The media type when it is not JSON (the schema then documents it, and Fastify does not serialise). */
  mediaType?: string;
}

/** A handler that answers T: a method decorator of this type refuses (at compile time) one that does not. */
type Handler<T> = (...args: never[]) => T | Promise<T>;
export type ResponseDecorator<T> = <H extends Handler<T>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<H>,
) => TypedPropertyDescriptor<H>;

/**
 * One response of an operation, from its zod schema: documented in the OpenAPI document (the schema is
 * converted there, named ones becoming components) and, for JSON, serialised by Fastify with the same
 * schema compiled by fast-json-stringify. The handler must return the schema's input type. No schema: a
 * response without a body (204).
 */
export function Responds<S extends z.ZodType>(
  status: number,
  description: string,
  schema: S,
  options?: RespondsOptions,
): ResponseDecorator<z.input<S>>;
export function Responds(
  status: number,
  description: string,
  schema?: undefined,
  options?: RespondsOptions,
): ResponseDecorator<unknown>;
export function Responds(
  status: number,
  description: string,
  schema?: z.ZodType,
  options: RespondsOptions = {},
): ResponseDecorator<unknown> {
  return (target, key, descriptor) => {
    const headers = options.headers?.length ? headerRefs(options.headers) : undefined;
    ApiResponse({
      status,
      description,
      ...(headers ? { headers } : {}),
      ...(schema && !options.mediaType ? { standardSchema: schema } : {}),
      ...(schema && options.mediaType
        ? { content: { [options.mediaType]: { schema: toOpenApiSchema(schema, 'output').schema } } }
        : {}),
    })(target, key, descriptor);
    if (schema && !options.mediaType) {
      const handler = descriptor.value!;
      const routeSchema = (Reflect.getMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, handler) ??
        {}) as FastifySchema;
      Reflect.defineMetadata(
        FASTIFY_ROUTE_SCHEMA_METADATA,
        {
          ...routeSchema,
          response: { ...(routeSchema.response as object | undefined), [status]: toSerializerSchema(schema) },
        },
        handler,
      );
    }
    return descriptor;
  };
}

/**
 * The schemas that responses documented here rather than by Nest name (what a streamed frame carries, a
 * negotiated JSON answer): createOpenApiDocument adds them to its components.
 */
export const EXTRA_COMPONENTS: Record<string, JsonSchema> = {};

/**
 * A response served as JSON (`schema`) or, by the request's Accept header, as one of `alternatives` (each a
 * JSON Schema of the text or bytes sent, such as `{ type: 'string', contentMediaType: 'application/pdf' }`).
 * The handler negotiates and returns the body already serialised (a string of JSON, or bytes), so that
 * what it sends is exactly what it made (a signature over it holds); Fastify does not serialise it again.
 */
export function RespondsNegotiated<S extends z.ZodType>(
  status: number,
  description: string,
  schema: S,
  alternatives: Record<string, JsonSchema>,
  options: Pick<RespondsOptions, 'headers'> = {},
): ResponseDecorator<string | Buffer> {
  const json = toOpenApiSchema(schema, 'output');
  Object.assign(EXTRA_COMPONENTS, json.components);
  const headers = options.headers?.length ? headerRefs(options.headers) : undefined;
  const content = Object.fromEntries([
    ['application/json', { schema: json.schema }],
    ...Object.entries(alternatives).map(([mediaType, alternative]) => [mediaType, { schema: alternative }]),
  ]) as Record<string, { schema: SchemaObject }>;
  return (target, key, descriptor) => {
    ApiResponse({ status, description, ...(headers ? { headers } : {}), content })(target, key, descriptor);
    return descriptor;
  };
}

/**
 * A response the handler streams itself (it hijacks the reply), such as server-sent events: documented as
 * `mediaType`, a text whose framing `frames` describes, each frame carrying an `item` (a named schema, made a
 * component of the document and referred to by `x-item-schema`, for clients that generate types from it).
 */
export function RespondsStream(
  status: number,
  description: string,
  mediaType: string,
  frames: string,
  item: z.ZodType,
): MethodDecorator {
  const converted = toOpenApiSchema(item, 'output');
  Object.assign(EXTRA_COMPONENTS, converted.components);
  return ApiResponse({
    status,
    description,
    content: {
      [mediaType]: {
        schema: { type: 'string', description: frames },
        'x-item-schema': converted.schema,
      } as { schema: SchemaObject },
    },
  });
}
