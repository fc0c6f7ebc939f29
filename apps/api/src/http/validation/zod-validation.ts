import { type ArgumentMetadata, Body, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { AppError, AppErrorCode, type FieldError } from '@baton/errors';
import { z } from 'zod';

/** Turns zod issues into API.md's `errors: [{ path, message }]`, one entry per bad field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({ path: path ? `${path}.${key}` : key, message: 'unknown field' });
    } else {
      errors.push({ path, message: issue.message });
    }
  }
  return errors;
}

export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' | 'path',
  ) {}

  transform(value: unknown, _metadata: ArgumentMetadata): z.output<S> {
    const parsed = this.schema.safeParse(value ?? (this.where === 'body' ? {} : value));
    if (parsed.success) return parsed.data;
    throw new AppError(AppErrorCode.Invalid, `The request ${this.where} is not valid`, {
      errors: fieldErrors(parsed.error),
    });
  }
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

function methodDescriptor(target: object, key: string | symbol | undefined): PropertyDescriptor {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) throw new Error('ValidBody/ValidQuery decorate method parameters only');
  return descriptor;
}

/**
 * The body, validated by `schema` (unknown fields are errors), and documented in OpenAPI from the same schema.
 * No body (or an empty one) is read as `{}`: a body the schema accepts empty is documented as optional.
 */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    const required = !schema.safeParse({}).success;
    ApiBody({ schema: jsonSchema(schema), required })(target, key!, methodDescriptor(target, key));
    Body(new ZodPipe(schema, 'body'))(target, key, index);
  };
}

/** The query string, validated by `schema` (an object schema), each member documented as a query parameter. */
export function ValidQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    const descriptor = methodDescriptor(target, key);
    const shape = jsonSchema(schema) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      ApiQuery({ name, required: shape.required?.includes(name) ?? false, schema: property })(
        target,
        key!,
        descriptor,
      );
    }
    Query(new ZodPipe(schema, 'query'))(target, key, index);
  };
}
