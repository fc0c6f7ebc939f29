import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaton } from '../support/baton-process.js';
import { createActors, createDeliverable, createProject, createService } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';

describe('restarts', () => {
  it('keeps every change across a restart and stops within 5 s of Ctrl+C', async () => {
    const first = await startBaton();
    const actors = await createActors(new ApiClient(first.url, first.adminToken));
    const deliverable = await createDeliverable(actors.pmo, {
      projectId: await createProject(actors.pmo),
      serviceId: await createService(actors.smo),
    });
    await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`);
    const stopping = Date.now();
    expect(await first.stop('SIGINT')).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);

    const second = await startBaton();
    try {
      const response = await new ApiClient(second.url, actors.pmo.token).get(
        `/v1/deliverables/${deliverable.id}`,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'readiness', version: 2, title: deliverable.title });
    } finally {
      await second.stop();
    }
  });

  it('runs on the embedded PostgreSQL with no DATABASE_URL, prints the admin token once, and keeps data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'baton-embedded-'));
    const env = {
      DATABASE_URL: undefined,
      BATON_ADMIN_TOKEN: undefined,
      BATON_DATA_DIR: dataDir,
      BATON_LOG_LEVEL: 'log',
    };
    const cold = await startBaton({ env, timeoutMs: 120_000 });
    let token: string;
    let serviceId: string;
    try {
      token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
      expect(cold.output()).toContain(token);
      const admin = new ApiClient(cold.url, token);
      expect((await admin.get('/health')).status).toBe(200);
      serviceId = await createService(admin, 2);
    } finally {
      expect(await cold.stop()).toBe(0);
    }
    const warm = await startBaton({ env, timeoutMs: 60_000 });
    try {
      expect(warm.output()).not.toContain(token);
      const response = await new ApiClient(warm.url, token).get(`/v1/services/${serviceId}`);
      expect(response.status).toBe(200);
      expect(response.body.tier).toBe(2);
    } finally {
      expect(await warm.stop()).toBe(0);
    }
  });
});
