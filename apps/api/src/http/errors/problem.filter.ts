import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { AppError } from '@baton/errors';
import { HandoverError, isStatus } from '@baton/handover';
import { isConnectionError } from '@baton/persistence';
import { appErrorStatus, handoverErrorStatus } from './error-status.js';
import { type Problem, problem, ReplayedProblem } from './problem.js';
import { bodyTooLarge } from '../limits/request-body.js';

/** Fastify's own errors (body parsing, limits) carry a code and a status. */
interface FastifyError extends Error {
  code: string;
  statusCode: number;
}

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error &&
    typeof (error as Partial<FastifyError>).statusCode === 'number' &&
    typeof (error as Partial<FastifyError>).code === 'string'
  );
}

/** Maps every error to application/problem+json, in one place. Anything unexpected is a 500 and logged. */
export function toProblem(error: unknown, logger: Logger, log = true): Problem {
  if (error instanceof ReplayedProblem) return error.problem;
  if (error instanceof HandoverError) {
    // The domain names the deliverable's status `status`; problem documents call it `state` (API.md).
    const { status: state, ...details } = error.details;
    return problem(handoverErrorStatus(error.code), error.message, error.code, {
      ...details,
      ...(isStatus(state) ? { state } : {}),
    });
  }
  if (error instanceof AppError) {
    return problem(appErrorStatus(error.code), error.message, error.code, { ...error.details });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail =
      typeof response === 'object' && response !== null && 'message' in response
        ? String(response.message)
        : error.message;
    return problem(status, detail);
  }
  if (isFastifyError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const detail =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.name === 'SyntaxError'
        ? `The request body is not valid JSON: ${error.message}`
        : error.message;
    return problem(error.statusCode, detail, `HTTP.${error.code}`);
  }
  if (isConnectionError(error)) {
    if (log) logger.warn(`A dependency is unreachable: ${(error as Error).message}`);
    return problem(503, 'A dependency of Baton is unreachable; try again shortly', 'DEPENDENCY.UNAVAILABLE');
  }
  if (log) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'An unexpected error occurred; it has been logged');
}

export function sendProblem(reply: FastifyReply, body: Problem): void {
  if (body.status === 503 && !reply.hasHeader('retry-after')) void reply.header('Retry-After', '5');
  void reply.status(body.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(body);
}

/** Every error of the HTTP layer, Fastify's own (body parsing, limits) too: Nest routes them all here. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(private readonly bodyLimit: number) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const tooLarge = isFastifyError(error) && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    sendProblem(
      host.switchToHttp().getResponse<FastifyReply>(),
      tooLarge ? bodyTooLarge(this.bodyLimit) : toProblem(error, this.logger),
    );
  }
}
