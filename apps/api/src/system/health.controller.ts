import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Database } from '@baton/persistence';
import { QueueName, Queues } from '@baton/queues';
import { type FastifyReply } from 'fastify';
import { type z } from 'zod';
import { Public } from '../auth/auth.decorators.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { HttpDrain } from '../http/lifecycle/http-drain.js';
import { healthResponse, livenessResponse, readinessResponse } from './system.responses.js';

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
    private readonly drain: HttpDrain,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: '200 when PostgreSQL and the queue backend (Redis) answer, else 503' })
  @Responds(200, 'PostgreSQL and the queues answer', healthResponse)
  @Responds(503, 'PostgreSQL or the queues do not answer', healthResponse, { headers: ['Retry-After'] })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<z.input<typeof healthResponse>> {
    const checks = await this.checks();
    const ok = checks.postgres === 'up' && checks.queue === 'up';
    if (!ok) void reply.status(503).header('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: 200 while this process takes requests and its dependencies answer',
    description:
      'For a load balancer or a Kubernetes readinessProbe: 503 once the process is stopping (SIGTERM), before it ' +
      'refuses requests, and while PostgreSQL or the queues do not answer.',
  })
  @Responds(200, 'Taking requests; PostgreSQL and the queues answer', readinessResponse)
  @Responds(503, 'Stopping, or PostgreSQL or the queues do not answer', readinessResponse, {
    headers: ['Retry-After'],
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<z.input<typeof readinessResponse>> {
    if (this.drain.draining) {
      void reply.status(503).header('Retry-After', '5');
      return { status: 'stopping', checks: null };
    }
    const checks = await this.checks();
    const ok = checks.postgres === 'up' && checks.queue === 'up';
    if (!ok) void reply.status(503).header('Retry-After', '5');
    return { status: ok ? 'ready' : 'unavailable', checks };
  }

  @Get('health/live')
  @Public()
  @ApiOperation({
    summary: 'Liveness: 200 while the process answers at all, stopping or not',
    description:
      'For a Kubernetes livenessProbe: it checks no dependency, so an outage of PostgreSQL or Redis never ' +
      'gets a healthy process restarted.',
  })
  @Responds(200, 'The process answers', livenessResponse)
  live(): z.input<typeof livenessResponse> {
    return { status: 'live', stopping: this.drain.draining };
  }

  private async checks(): Promise<{ postgres: 'up' | 'down'; queue: 'up' | 'down' }> {
    const [postgres, queue] = await Promise.all([
      check(() => this.db.ping()),
      check(() => this.queues.get(QueueName.Timers).getJobCounts('wait')),
    ]);
    return { postgres, queue };
  }
}
