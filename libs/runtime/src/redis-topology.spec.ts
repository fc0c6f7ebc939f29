import { describe, expect, it } from '@jest/globals';
import { reconnectOnReadOnly, redisReach } from './redis-topology.js';

describe('how Baton reaches Redis', () => {
  it('reaches one Redis by its URL, as given', () => {
    expect(redisReach({ backend: 'redis', url: 'redis://:pw@10.0.0.1:6380/2', origin: 'env' })).toEqual({
      mode: 'standalone',
      url: 'redis://:pw@10.0.0.1:6380/2',
    });
  });

  it('reaches a cluster through its seed nodes, with the first URL’s credentials and TLS on every node', () => {
    const reach = redisReach({
      backend: 'redis',
      url: 'rediss://baton:s%40cret@node-a:7001',
      origin: 'env',
      topology: {
        mode: 'cluster',
        nodes: ['rediss://baton:s%40cret@node-a:7001', 'rediss://node-b', 'redis://[::1]:7003'],
      },
    });
    expect(reach).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'node-a', port: 7001 },
        { host: 'node-b', port: 6379 },
        { host: '::1', port: 7003 },
      ],
      redisOptions: { username: 'baton', password: 's@cret', tls: { servername: 'node-a' } },
      // Mid-failover CLUSTER INFO says fail: a ready check then strands BullMQ's reconnect (see the comment).
      clusterOptions: { enableReadyCheck: false },
    });
  });

  it('reaches the master the Sentinels name, following their announcements, with REDIS_URL’s credentials and /N', () => {
    const reach = redisReach({
      backend: 'redis',
      url: 'redis://:pw@ignored:1/3',
      origin: 'env',
      topology: { mode: 'sentinel', sentinels: [{ host: '10.0.0.5', port: 26379 }], name: 'baton-master' },
    });
    expect(reach).toMatchObject({
      mode: 'sentinel',
      options: {
        sentinels: [{ host: '10.0.0.5', port: 26379 }],
        name: 'baton-master',
        password: 'pw',
        db: 3,
        failoverDetector: true,
      },
    });
    expect(
      redisReach({
        backend: 'redis',
        url: '',
        origin: 'env',
        topology: { mode: 'sentinel', sentinels: [], name: 'm' },
      }),
    ).toMatchObject({ mode: 'sentinel', options: { name: 'm' } });
  });

  it('reconnects and resends a command a demoted master refused, and nothing else', () => {
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadOnly(new Error('ERR wrong number of arguments'))).toBe(false);
  });
});
