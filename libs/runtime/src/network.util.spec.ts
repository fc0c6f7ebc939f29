import { describe, expect, it } from '@jest/globals';
import { listeningAt } from './network.util.js';
import { startLog } from './start-log.js';

const on = (port: number) => ({ address: () => ({ address: '0.0.0.0', family: 'IPv4', port }) });

describe('listeningAt', () => {
  it('says a wildcard binding is all interfaces, with a URL that works from this machine', () => {
    expect(listeningAt('0.0.0.0', on(3000))).toEqual({
      url: 'http://127.0.0.1:3000',
      scope: 'bound to all interfaces, 0.0.0.0:3000',
    });
    expect(listeningAt('::', on(3000))).toEqual({
      url: 'http://localhost:3000',
      scope: 'bound to all interfaces, [::]:3000',
    });
  });

  it('says a loopback binding is this machine only', () => {
    expect(listeningAt('127.0.0.1', on(41234))).toEqual({
      url: 'http://127.0.0.1:41234',
      scope: 'this machine only',
    });
    expect(listeningAt('localhost', on(80)).scope).toBe('this machine only');
    expect(listeningAt('::1', on(80))).toEqual({ url: 'http://[::1]:80', scope: 'this machine only' });
  });

  it('gives any other address as it is', () => {
    expect(listeningAt('10.1.2.3', on(3000))).toEqual({ url: 'http://10.1.2.3:3000', scope: null });
    expect(listeningAt('fd00::5', on(3000))).toEqual({ url: 'http://[fd00::5]:3000', scope: null });
  });
});

describe('startLog', () => {
  it('prints its lines at every level, debug lines at debug and verbose only', () => {
    for (const [level, lines] of [
      ['warn', ['[baton] Database: x\n']],
      ['log', ['[baton] Database: x\n']],
      ['debug', ['[baton] Database: x\n', '[baton] took 5 ms\n']],
      ['verbose', ['[baton] Database: x\n', '[baton] took 5 ms\n']],
    ] as const) {
      const written: string[] = [];
      const log = startLog({
        level,
        format: 'pretty',
        service: 'baton',
        write: (text) => written.push(text),
      });
      log('Database: x');
      log.debug('took 5 ms');
      expect(written).toEqual(lines);
      written.length = 0;
      log('');
      expect(written).toEqual(['[baton]\n']);
    }
  });

  it('writes JSON lines at info in the JSON format, at every level, and leaves blank lines out', () => {
    for (const level of ['warn', 'log', 'debug'] as const) {
      const written: string[] = [];
      const log = startLog({
        level,
        format: 'json',
        service: 'baton-api',
        write: (text) => written.push(text),
      });
      log('Database: x');
      log('');
      log.debug('took 5 ms');
      const records = written.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.map(({ level: at, context, service, msg }) => ({ at, context, service, msg }))).toEqual([
        { at: 'info', context: 'Baton', service: 'baton-api', msg: 'Database: x' },
        ...(level === 'debug'
          ? [{ at: 'info', context: 'Baton', service: 'baton-api', msg: 'took 5 ms' }]
          : []),
      ]);
    }
  });
});
