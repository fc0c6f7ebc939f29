import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { AppError, AppErrorCode, canonicalJson } from '@baton/commands';
import { Database, type IdempotencyRecord } from '@baton/persistence';
import { type FastifyReply } from 'fastify';
import { from, mergeMap, type Observable, of, catchError } from 'rxjs';
import { type AuthenticatedRequest } from '../auth/auth.decorators.js';
import { toProblem } from './problem.filter.js';
import { type Problem, ReplayedProblem } from './problem.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TTL_MS = 24 * 3600 * 1000;
const WAIT_MS = 10_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** A new token is shown once: a replay answers with `token: null` rather than keeping the token at rest. */
function withoutSecrets(body: unknown): unknown {
  if (body === undefined) return null;
  if (body !== null && typeof body === 'object' && 'token' in body) return { ...body, token: null };
  return body;
}

/**
 * Idempotency-Key on mutating requests (API.md): the same key and body within 24 h get the first answer
 * again and change nothing; the same key with another body is 422; a second request while the first runs
 * waits for its answer. Keys belong to the principal that sent them. Answers of 5xx are not kept, so a
 * client may retry those.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly db: Database,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || header === undefined || !request.principal) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY.test(key)) {
      throw new AppError(AppErrorCode.Invalid, 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
        errors: [{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
      });
    }
    const principalId = request.principal.id;
    const path = request.url;
    const bodyHash = createHash('sha256')
      .update(`${request.method} ${path}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const claimed = await this.db.idempotency.claim({
      principalId,
      key,
      method: request.method,
      path,
      bodyHash,
      now: new Date(),
      ttlMs: TTL_MS,
    });
    if (!claimed) return of(await this.replay(principalId, key, bodyHash, reply));

    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const etag = reply.getHeader('etag');
        await this.db.idempotency.complete(principalId, key, {
          status: successStatus,
          body: withoutSecrets(body),
          headers: typeof etag === 'string' ? { etag } : {},
        });
        return body;
      }),
      catchError((error: unknown) =>
        from(
          (async () => {
            const problem = toProblem(error, this.logger, false);
            if (problem.status >= 500) await this.db.idempotency.release(principalId, key);
            else
              await this.db.idempotency.complete(principalId, key, {
                status: problem.status,
                body: problem,
                headers: {},
              });
            throw error;
          })(),
        ),
      ),
    );
  }

  private async replay(
    principalId: string,
    key: string,
    bodyHash: string,
    reply: FastifyReply,
  ): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    let record: IdempotencyRecord | null;
    for (;;) {
      record = await this.db.idempotency.find(principalId, key);
      if (!record) {
        throw new AppError(
          AppErrorCode.Conflict,
          'The request holding this Idempotency-Key failed; send it again',
        );
      }
      if (record.bodyHash !== bodyHash) {
        throw new AppError(
          AppErrorCode.IdempotencyKeyReused,
          'This Idempotency-Key was used for another request (a different method, path or body)',
        );
      }
      if (record.status === 'done') break;
      if (Date.now() > deadline) {
        throw new AppError(
          AppErrorCode.Conflict,
          'A request with this Idempotency-Key is still running; try again shortly',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    void reply.header('Idempotent-Replayed', 'true');
    for (const [name, value] of Object.entries(record.responseHeaders ?? {})) void reply.header(name, value);
    if ((record.responseStatus ?? 200) >= 400) throw new ReplayedProblem(record.responseBody as Problem);
    return record.responseBody;
  }
}
