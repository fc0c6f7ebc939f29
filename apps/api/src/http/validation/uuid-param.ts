import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class ParseUuid implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (UUID.test(value)) return value.toLowerCase();
    throw new AppError(AppErrorCode.Invalid, `The path parameter ${this.name} is not a UUID`, {
      errors: [{ path: this.name, message: 'must be a UUID' }],
    });
  }
}

/** A path parameter that must be a UUID: anything else is 400, before any lookup. */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, key, index) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, format: 'uuid', type: 'string' })(target, key!, descriptor);
    Param(name, new ParseUuid(name))(target, key, index);
  };
}
