import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError, AppErrorCode } from '@baton/errors';
import { type FastifyRequest } from 'fastify';

/** If-Match with a deliverable version, quoted or bare (`"3"`, `3`, `W/"3"`); undefined when absent. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new AppError(AppErrorCode.Invalid, 'If-Match must be a deliverable version, e.g. "3"', {
      errors: [{ path: 'If-Match', message: 'must be a version number, quoted or bare' }],
    });
  }
  return Number(match[1]);
}

export const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number | undefined => {
    const header: string | string[] | undefined = context.switchToHttp().getRequest<FastifyRequest>().headers[
      'if-match'
    ];
    return parseIfMatch(typeof header === 'string' || header === undefined ? header : header[0]);
  },
);

/** How If-Match is documented on every deliverable mutation. */
export const IF_MATCH_DOC = {
  name: 'If-Match',
  required: false,
  description: 'The version last seen, quoted or bare: a mismatch is 412',
};
