import { describe, expect, it } from '@jest/globals';
import { createLogger, prettyLine } from './logging.js';

function capture(format: 'json' | 'pretty', level: 'log' | 'debug' = 'log') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format,
    service: 'baton-test',
    destination: { write: (line) => lines.push(line) },
  });
  return { logger, lines };
}

describe('logs', () => {
  it('writes one JSON object per line with the level by name, an ISO time, the service and the fields', () => {
    const { logger, lines } = capture('json');
    logger.child({ requestId: 'r-42' }).warn({ context: 'Worker', job: 'fire-timer' }, 'slow job');
    logger.debug('not at log level');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'warn',
      service: 'baton-test',
      pid: process.pid,
      requestId: 'r-42',
      context: 'Worker',
      job: 'fire-timer',
      msg: 'slow job',
    });
    expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record).not.toHaveProperty('traceId'); // tracing is off
  });

  it('writes a line a person reads in the pretty format, with the fields after the message', () => {
    const { logger, lines } = capture('pretty', 'debug');
    logger.child({ requestId: 'r-42' }).info({ context: 'Http', status: 201 }, 'POST /v1/deliverables');
    logger.debug({ context: 'Relay' }, 'quiet');
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[Http\] POST \/v1\/deliverables {2}requestId=r-42 status=201\n$/,
    );
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG \[Relay\] quiet\n$/);
  });

  it('shows an error with its stack, and passes a line that is not JSON through', () => {
    const error = new Error('boom');
    const line = prettyLine(
      JSON.stringify({
        level: 'error',
        time: '2026-12-03T08:00:00.000Z',
        msg: 'failed',
        err: { message: 'boom', stack: error.stack },
      }),
    );
    expect(line.split('\n')[0]).toBe('08:00:00.000 ERROR failed');
    expect(line).toContain('Error: boom\n    at ');
    expect(prettyLine('plain')).toBe('plain');
  });
});
