import { z } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

export const COMPONENT_REF = '#/components/schemas/';

/** What a zod schema becomes in the document: its schema (a $ref when it is named) and the components it names. */
export interface ConvertedSchema {
  schema: JsonSchema;
  components: Record<string, JsonSchema>;
}

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isZodSchema = (value: unknown): value is z.ZodType => value instanceof z.ZodType;

/** zod writes the safe-integer range on every integer; it tells a client nothing. */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
}

function mapSchemas(value: unknown, visit: (schema: JsonSchema) => JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((item) => mapSchemas(item, visit));
  if (!isSchema(value)) return value;
  const mapped: JsonSchema = {};
  for (const [key, child] of Object.entries(value)) mapped[key] = mapSchemas(child, visit);
  return visit(mapped);
}

/**
 * The one conversion of the API's zod schemas, for requests (`input`: what a client may send) and responses
 * (`output`: what the server sends), to JSON Schema draft 2020-12. A schema named with `.meta({ id })`
 * becomes a component of the document and is referred to by `$ref`.
 */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): ConvertedSchema {
  const converted = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    // Transforms and refinements have no JSON Schema; what they accept is the input type, documented.
    unrepresentable: 'any',
    override: dropSafeIntegerBounds,
  }) as JsonSchema;
  const { $schema: _dialect, $defs, ...root } = converted;
  const toComponents = (node: JsonSchema): JsonSchema =>
    typeof node.$ref === 'string' && node.$ref.startsWith('#/$defs/')
      ? { ...node, $ref: COMPONENT_REF + node.$ref.slice('#/$defs/'.length) }
      : node;
  const components: Record<string, JsonSchema> = {};
  for (const [name, definition] of Object.entries(isSchema($defs) ? $defs : {}))
    components[name] = mapSchemas(definition, toComponents) as JsonSchema;
  return { schema: mapSchemas(root, toComponents) as JsonSchema, components };
}

/**
 * The response schema Fastify compiles with fast-json-stringify, from the same zod schema: components
 * inlined (the route schema stands alone), `additionalProperties: false` dropped (the serializer writes
 * only the properties it knows anyway, and inside `anyOf` it would refuse the object instead) and
 * "X or null" written as a type list, which the serializer writes without trying each branch.
 */
export function toSerializerSchema(schema: z.ZodType): JsonSchema {
  // Many routes answer with the same schema (every handover action with the deliverable): convert it once.
  let converted = serializerSchemas.get(schema);
  if (!converted) {
    converted = serializerSchemaOf(schema);
    serializerSchemas.set(schema, converted);
  }
  return converted;
}

const serializerSchemas = new WeakMap<z.ZodType, JsonSchema>();

function serializerSchemaOf(schema: z.ZodType): JsonSchema {
  const { schema: root, components } = toOpenApiSchema(schema, 'output');
  const inline = (node: unknown, depth: number): unknown => {
    if (depth > 64) throw new Error('A response schema nests too deep (a cycle?) to serialise');
    if (Array.isArray(node)) return node.map((item) => inline(item, depth + 1));
    if (!isSchema(node)) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith(COMPONENT_REF)) {
      const { $ref, ...rest } = node;
      const target = components[$ref.slice(COMPONENT_REF.length)];
      if (!target) throw new Error(`Unknown component ${$ref}`);
      return inline({ ...target, ...rest }, depth + 1);
    }
    const result: JsonSchema = {};
    for (const [key, child] of Object.entries(node)) {
      if (key === 'additionalProperties' && child === false) continue;
      result[key] = inline(child, depth + 1);
    }
    return orNullAsTypeList(result);
  };
  return inline(root, 0) as JsonSchema;
}

function orNullAsTypeList(schema: JsonSchema): JsonSchema {
  const { anyOf, ...rest } = schema;
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return schema;
  const [value, none] = anyOf as unknown[];
  if (!isSchema(value) || !isSchema(none) || none.type !== 'null' || Object.keys(none).length !== 1)
    return schema;
  if (typeof value.type !== 'string' || 'anyOf' in value || 'oneOf' in value || 'const' in value)
    return schema;
  return { ...rest, ...value, type: [value.type, 'null'] };
}
