import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a UUID, lower-cased; anything else is 400. */
export function parseUuidParam(name: string, value: string | undefined): string {
  if (value !== undefined && UUID.test(value)) return value.toLowerCase();
  throw new AppError(AppErrorCode.Invalid, `The path parameter ${name} is not a UUID`, {
    errors: [{ path: name, message: 'must be a UUID' }],
  });
}

class ParseUuid implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    return parseUuidParam(this.name, value);
  }
}

/** How a UUID path parameter is documented. */
export const uuidParamDoc = (name: string) => ({ name, format: 'uuid', type: 'string' }) as const;

/** A path parameter that must be a UUID: anything else is 400, before any lookup. */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, key, index) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam(uuidParamDoc(name))(target, key!, descriptor);
    Param(name, new ParseUuid(name))(target, key, index);
  };
}
