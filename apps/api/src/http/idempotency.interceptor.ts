import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { AppError, AppErrorCode } from '@baton/errors';
import { canonicalJson } from '@baton/commands';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { Database, type IdempotencyRecord } from '@baton/persistence';
import { type FastifyReply } from 'fastify';
import { from, mergeMap, type Observable, of, catchError } from 'rxjs';
import { type AuthenticatedRequest } from '../auth/auth.decorators.js';
import { toProblem } from './errors/problem.filter.js';
import { type Problem, ReplayedProblem } from './errors/problem.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TTL_MS = 24 * 3600 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

const SHOWN_ONCE = 'baton:shown-once';

/** Members of a route's answer that hold a secret besides `token` (a feed URL with its token in it). */
export const ShownOnce = (...members: string[]): MethodDecorator => SetMetadata(SHOWN_ONCE, members);

/** A new token is shown once: a replay answers with `token: null` rather than keeping the token at rest. */
function withoutSecrets(body: unknown, members: readonly string[] = []): unknown {
  if (body === undefined) return null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const secrets = ['token', ...members].filter((member) => member in body);
  if (secrets.length === 0) return body;
  const kept: Record<string, unknown> = { ...body };
  for (const member of secrets) kept[member] = null;
  return kept;
}

/**
 * Idempotency-Key on mutating requests (API.md): the same key and body within 24 h get the first answer
 * again and change nothing; the same key with another body is 422; a second request while the first runs
 * waits for its answer. Keys belong to the principal that sent them. Answers of 5xx are not kept, so a
 * client may retry those. A request holds its key for a lease of twice the request timeout: one that dies
 * without answering (its process killed) leaves the key to the next retry once the lease is over.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  private readonly leaseMs: number;
  /** How long a request waits for the answer of another holding its key: within its own timeout. */
  private readonly waitMs: number;

  constructor(
    private readonly db: Database,
    private readonly reflector: Reflector,
    @Inject(BATON_CONFIG) config: BatonConfig,
  ) {
    this.leaseMs = 2 * config.requestTimeoutMs;
    this.waitMs = Math.min(10_000, config.requestTimeoutMs / 2);
  }

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
    const identity = {
      principalId: request.principal.id,
      key,
      method: request.method,
      path: request.url,
      bodyHash: createHash('sha256')
        .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
        .digest('hex'),
    };
    const claim = await this.claimOrReplay(identity, reply);
    if ('replay' in claim) return of(claim.replay);

    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const etag = reply.getHeader('etag');
        await this.db.idempotency.complete(
          claim,
          {
            status: successStatus,
            body: withoutSecrets(
              body,
              this.reflector.get<string[] | undefined>(SHOWN_ONCE, context.getHandler()),
            ),
            headers: typeof etag === 'string' ? { etag } : {},
          },
          TTL_MS,
        );
        return body;
      }),
      catchError((error: unknown) =>
        from(
          (async () => {
            const problem = toProblem(error, this.logger, false);
            if (problem.status >= 500) await this.db.idempotency.release(claim);
            else
              await this.db.idempotency.complete(
                claim,
                { status: problem.status, body: problem, headers: {} },
                TTL_MS,
              );
            throw error;
          })(),
        ),
      ),
    );
  }

  /**
   * This request's claim on the key; or the first request's answer, once it has one. While another request
   * holds the key, waits for its answer up to waitMs (claiming the key should that request's lease run out).
   */
  private async claimOrReplay(
    request: { principalId: string; key: string; method: string; path: string; bodyHash: string },
    reply: FastifyReply,
  ): Promise<{ principalId: string; key: string; claimedAt: Date } | { replay: unknown }> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const now = new Date();
      if (await this.db.idempotency.claim({ ...request, now, leaseMs: this.leaseMs }))
        return { principalId: request.principalId, key: request.key, claimedAt: now };
      const record = await this.db.idempotency.find(request.principalId, request.key);
      if (record && record.bodyHash !== request.bodyHash) {
        throw new AppError(
          AppErrorCode.IdempotencyKeyReused,
          'This Idempotency-Key was used for another request (a different method, path or body)',
        );
      }
      if (record?.status === 'done') return { replay: this.replay(record, reply) };
      if (Date.now() > deadline) {
        throw new AppError(
          AppErrorCode.Conflict,
          'A request with this Idempotency-Key is still running; try again shortly',
        );
      }
      // Gone meanwhile (its request failed with a 5xx): the next claim takes it at once.
      if (record) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private replay(record: IdempotencyRecord, reply: FastifyReply): unknown {
    void reply.header('Idempotent-Replayed', 'true');
    for (const [name, value] of Object.entries(record.responseHeaders ?? {})) void reply.header(name, value);
    if ((record.responseStatus ?? 200) >= 400) throw new ReplayedProblem(record.responseBody as Problem);
    // The first answer as it was kept, not through the route's compiled serializer: one kept before a
    // response schema changed is sent as it was first sent, not refused as a fault. (Null: a 204.)
    if (record.responseBody !== null) {
      void reply
        .serializer((payload: unknown) => JSON.stringify(payload))
        .header('Content-Type', 'application/json; charset=utf-8');
    }
    return record.responseBody;
  }
}
