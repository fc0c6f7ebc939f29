import { Logger } from '@nestjs/common';
import { type Access } from '@baton/access';
import { holdsAnyRole } from '@baton/handover';
import { type Queues } from '@baton/queues';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import { sendProblem } from '../errors/problem.filter.js';
import { problem } from '../errors/problem.js';

export const QUEUE_BOARD_COOKIE = 'baton_queues';
const BOARD_PATH = '/admin/queues';

/** bull-board's page: its own scripts, inline styles (style attributes and a <style>), a <base>, its API. */
const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const GOOGLE_FONTS = /<link[^>]*href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>/g;
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Hop-by-hop and length headers: the outer reply sets its own. */
const NOT_FORWARDED = new Set([
  'host',
  'authorization',
  'cookie',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
]);

/** Who may use the board: an admin, by its token, or by a session the console opened for it. */
export interface QueueBoardGate {
  access: Pick<Access, 'authenticate' | 'principal'>;
  principalOfSession: (id: string) => string | null;
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

async function rolesOf(request: FastifyRequest, gate: QueueBoardGate): Promise<string[] | null> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return (await gate.access.authenticate(bearer[1]))?.roles ?? null;
  const session = cookie(request.headers.cookie, QUEUE_BOARD_COOKIE);
  const principalId = session ? gate.principalOfSession(session) : null;
  if (!principalId) return null;
  // Asked again on every request: a principal revoked (or no longer admin) loses the board at once.
  const row = await gate.access.principal(principalId).catch(() => null);
  return row && !row.revokedAt ? row.roles : null;
}

const refusalPage = (title: string, text: string): string => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Baton: ${title}</title></head>
<body><h1>${title}</h1><p>${text}</p></body>
</html>
`;

function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403): FastifyReply {
  const detail =
    status === 401
      ? 'The queue board needs the admin token (Authorization: Bearer), or a session: open it from the admin page of the console'
      : 'The queue board is for admins only';
  if (/\btext\/html\b/i.test(request.headers.accept ?? '')) {
    return reply
      .code(status)
      .headers({ 'content-security-policy': BOARD_CSP, 'cache-control': 'no-store' })
      .type('text/html; charset=utf-8')
      .send(
        status === 401
          ? refusalPage(
              'Sign in first',
              'Open the queues from the console: its admin page signs you in to them.',
            )
          : refusalPage('Admins only', 'The queues are for admins; ask one to open them for you.'),
      );
  }
  sendProblem(reply, problem(status, detail, status === 401 ? 'AUTH.UNAUTHENTICATED' : 'AUTH.FORBIDDEN'));
  return reply;
}

/** bull-board over every queue of Baton, in a Fastify instance of its own, made at the first request. */
async function createBoard(queues: Queues): Promise<FastifyInstance> {
  const [{ fastify }, { createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('fastify'),
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
  ]);
  const server = new FastifyAdapter();
  server.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.names().map((name) => new BullMQAdapter(queues.get(name))),
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'Baton queues' } },
  });
  const board = fastify();
  await board.register(server.registerPlugin(), { prefix: BOARD_PATH });
  await board.ready();
  return board;
}

/**
 * bull-board at /admin/queues behind the admin role. Its modules (some 140 ms to load) and its Fastify
 * instance are made at the first request that passes the gate, never at start; requests are handed to it
 * in memory (inject) and its answers sent on with a CSP that lets its page run.
 */
export function registerQueueBoard(fastify: FastifyInstance, gate: QueueBoardGate, queues: Queues): void {
  const logger = new Logger('QueueBoard');
  let board: Promise<FastifyInstance> | null = null;
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const roles = await rolesOf(request, gate);
    if (roles === null) return refuse(request, reply, 401);
    if (!holdsAnyRole(roles, ['admin'])) return refuse(request, reply, 403);
    board ??= createBoard(queues).catch((error: unknown) => {
      board = null;
      throw error;
    });
    const app = await board.catch((error: unknown) => {
      logger.error(`bull-board failed to load: ${(error as Error).message}`);
      throw error;
    });
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !NOT_FORWARDED.has(name)),
    ) as Record<string, string>;
    const answer = await app.inject({
      method: request.method,
      url: request.url,
      headers,
      ...(request.body === undefined || request.body === null
        ? {}
        : { payload: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) }),
    });
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!NOT_FORWARDED.has(name) && value !== undefined) void reply.header(name, value);
    }
    // Its page asks Google for fonts: left out, a self-hosted board calls no third party (the CSP would refuse it).
    const body = String(answer.headers['content-type']).startsWith('text/html')
      ? answer.body.replace(GOOGLE_FONTS, '')
      : answer.rawPayload;
    return reply.code(answer.statusCode).header('content-security-policy', BOARD_CSP).send(body);
  };
  for (const url of [BOARD_PATH, `${BOARD_PATH}/*`]) fastify.route({ method: METHODS, url, handler });
}
