// Probes and webhooks call addresses users configure; BATON_OUTBOUND_DENY keeps them off internal ones. A
// name whose DNS answers an allowed address to the check and a denied one to the connection (rebinding)
// must not reach the denied address: the Baton here resolves *.rebind.test that way (rebinding-dns.mjs).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createPrincipal, createProject, createService, unique } from '../support/fixtures.js';
import { criterionOf, waitFor } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const REBINDING_DNS = fileURLToPath(new URL('../support/rebinding-dns.mjs', import.meta.url));

interface Listener {
  server: Server;
  port: number;
  hits: string[];
}

async function listen(host: string, port = 0): Promise<Listener> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => response.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

describe('outbound calls and DNS rebinding', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  /** What the name should reach: allowed. */
  let outside: Listener;
  /** The same port on an address BATON_OUTBOUND_DENY refuses: what a rebinding name would reach. */
  let inside: Listener;

  beforeAll(async () => {
    outside = await listen('127.0.0.1');
    inside = await listen('127.0.0.2', outside.port);
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: {
        DATABASE_URL: scratch.url,
        BATON_OUTBOUND_DENY: '169.254.0.0/16,127.0.0.2/32',
        BATON_RELAY_INTERVAL_MS: '100',
        NODE_OPTIONS: `--import=${REBINDING_DNS}`,
      },
    });
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
    for (const listener of [outside, inside]) await new Promise((resolve) => listener?.server.close(resolve));
  });

  it('probes and webhooks connect to the address they checked, never to the denied one', async () => {
    const admin = new ApiClient(baton.url, baton.adminToken);
    const [pmo, smo] = await Promise.all([
      createPrincipal(admin, unique('pmo'), ['pmo']),
      createPrincipal(admin, unique('smo'), ['smo']),
    ]);
    const hook = await admin.post('/v1/webhooks', {
      url: `http://hook.rebind.test:${outside.port}/hook`,
      events: ['*'],
      secret: 'rebinding-secret-0123456789',
    });
    expect(hook.status).toBe(201);
    const template = await smo.client.post('/v1/checklists', {
      name: unique('rebinding'),
      changeTypes: ['minor_change'],
      tiers: [4],
      criteria: [
        {
          key: 'health',
          title: 'Health endpoint answers',
          practice: 'monitoring and event management',
          mandatory: true,
          kind: 'automated',
          probeUrl: `http://probe.rebind.test:${outside.port}/health`,
        },
      ],
    });
    expect(template.status).toBe(201);
    const refs = {
      projectId: await createProject(pmo.client),
      serviceId: await createService(smo.client, 4),
    };
    const created = await pmo.client.post('/v1/deliverables', {
      ...refs,
      title: 'Rebinding',
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    expect((await pmo.client.post(`/v1/deliverables/${created.body.id}/submit`)).status).toBe(200);

    const probed = await waitFor(
      () => pmo.client.get(`/v1/deliverables/${created.body.id}`),
      (response) => criterionOf(response.body, 'health')?.status !== 'pending',
      'the probe to report',
      15_000,
    );
    await waitFor(
      () =>
        Promise.resolve(
          [...outside.hits, ...inside.hits].filter((hit) => hit.startsWith('POST /hook')).length,
        ),
      (delivered) => delivered >= 2,
      'webhook deliveries (create, submit)',
      15_000,
    );
    console.info(
      `reached: allowed address ${JSON.stringify(outside.hits)}, denied address ${JSON.stringify(inside.hits)}`,
    );
    expect(inside.hits).toEqual([]);
    expect(criterionOf(probed.body, 'health').status).toBe('passed');
    expect(outside.hits).toContain('GET /health');
  });
});
