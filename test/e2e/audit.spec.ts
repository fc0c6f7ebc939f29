import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
} from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

describe('the audit chain', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  let sql: pg.Client;
  let refs: { projectId: string; serviceId: string };

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await startBaton({ env: { DATABASE_URL: scratch.url } });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
    sql = new pg.Client({ connectionString: scratch.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await baton?.stop();
    await scratch?.drop();
  });

  const walk = async () => {
    const { id } = await createDeliverable(actors.pmo, refs);
    await actors.pmo.patch(`/v1/deliverables/${id}`, { description: 'first' });
    await actors.pmo.post(`/v1/deliverables/${id}/submit`);
    await actors.smo.post(`/v1/deliverables/${id}/hold`, { reason: 'budget' });
    await actors.smo.post(`/v1/deliverables/${id}/resume`);
    return id as string;
  };

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const id = await walk();
    await expect(
      sql.query(`UPDATE audit_events SET data = '{}' WHERE deliverable_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM audit_events WHERE deliverable_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only/);
    expect((await actors.smo.get(`/v1/deliverables/${id}/history`)).body.items).toHaveLength(5);
  });

  it('verifies an intact chain and names the first broken link of an altered one', async () => {
    const id = await walk();
    const intact = await actors.smo.get(`/v1/deliverables/${id}/history/verify`);
    expect(intact.status).toBe(200);
    expect(intact.body).toMatchObject({ deliverableId: id, valid: true, events: 5, firstBroken: null });

    // Someone with database access rewrites history, around the trigger.
    await sql.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    try {
      await sql.query(
        `UPDATE audit_events SET data = '{"reason":"nothing to see"}' WHERE deliverable_id = $1 AND seq = 4`,
        [id],
      );
      const altered = await actors.smo.get(`/v1/deliverables/${id}/history/verify`);
      expect(altered.body).toMatchObject({ valid: false, firstBroken: { seq: 4, reason: 'hash' } });

      await sql.query(`DELETE FROM audit_events WHERE deliverable_id = $1 AND seq >= 4`, [id]);
      const truncated = await actors.smo.get(`/v1/deliverables/${id}/history/verify`);
      expect(truncated.body).toMatchObject({
        valid: false,
        events: 3,
        firstBroken: { seq: 4, reason: 'head' },
      });

      await sql.query(`DELETE FROM audit_events WHERE deliverable_id = $1 AND seq = 2`, [id]);
      const gap = await actors.smo.get(`/v1/deliverables/${id}/history/verify`);
      expect(gap.body).toMatchObject({ valid: false, firstBroken: { seq: 3, reason: 'seq' } });
    } finally {
      await sql.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    }
  });

  it('answers 404 and 400 for ids that name nothing or are not ids', async () => {
    expect(
      (await actors.smo.get('/v1/deliverables/8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d/history/verify')).status,
    ).toBe(404);
    expect((await actors.smo.get('/v1/deliverables/nope/history/verify')).status).toBe(400);
  });
});
