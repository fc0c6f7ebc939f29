import { type ArgumentMetadata, Body, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { AppError, AppErrorCode, type FieldError } from '@baton/errors';
import { type z } from 'zod';

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

/**
 * The body, validated by `schema` (unknown fields are errors). Nest keeps the schema with the parameter, and
 * the OpenAPI document is written from it by the same conversion as every response (see openapi-document.ts).
 * No body (or an empty one) is read as `{}`: a body the schema accepts empty is documented as optional.
 */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body({ schema, pipes: [new ZodPipe(schema, 'body')] })(target, key, index);
    if (schema.safeParse({}).success) {
      const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
      if (!descriptor) throw new Error('ValidBody decorates method parameters only');
      ApiBody({ required: false })(target, key!, descriptor);
    }
  };
}

/** The query string, validated by `schema` (an object schema); each member is documented as a query parameter. */
export function ValidQuery(schema: z.ZodObject): ParameterDecorator {
  return Query({ schema, pipes: [new ZodPipe(schema, 'query')] });
}
