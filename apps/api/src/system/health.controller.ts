import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Database } from '@baton/persistence';
import { QueueName, Queues } from '@baton/queues';
import { type FastifyReply } from 'fastify';
import { type z } from 'zod';
import { Public } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { healthResponse } from './system.responses.js';

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('system')
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly queues: Queues,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: '200 when PostgreSQL and the queue backend (Redis) answer, else 503' })
  @Responds(200, 'PostgreSQL and the queues answer', healthResponse)
  @Responds(503, 'PostgreSQL or the queues do not answer', healthResponse, { headers: ['Retry-After'] })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<z.input<typeof healthResponse>> {
    const [postgres, queue] = await Promise.all([
      check(() => this.db.ping()),
      check(() => this.queues.get(QueueName.Timers).getJobCounts('wait')),
    ]);
    const ok = postgres === 'up' && queue === 'up';
    if (!ok) void reply.status(503).header('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, queue } };
  }
}
