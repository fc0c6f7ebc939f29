import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { DEFAULT_POLICIES } from '@baton/handover';
import type { AddressInfo } from 'node:net';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  ADVISORY,
  ALL_CHANGE_TYPES,
  AUTOMATED,
  deliverableIn,
  FIXTURE_CRITERIA,
  MANUAL,
  type FixtureActors,
} from '../support/deliverable-states.js';
import {
  createActors,
  createPrincipal,
  createProject,
  createService,
  unique,
  type Actors,
} from '../support/fixtures.js';
import { openEventStream } from '../support/event-stream.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

// Attestations that expire (API.md), end to end: the checklist's validFor, the durable attestation_expiry
// timer firing by itself, the confirm it blocks, the renewal in place, and the probe asked for again.

/** Long enough for the fixture walk to reach `scheduled` before it fires, short enough to wait for. */
const VALID_FOR_MS = 6_000;
const EXPIRING_TIER = 4;
const PROBED_TIER = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('attestations that expire', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  let fixture: FixtureActors;
  let refs: { projectId: string; serviceId: string };
  let probedRefs: { projectId: string; serviceId: string };
  let probeServer: Server;
  let probeHits = 0;
  /** ms between a criterion's expiresAt and the expiredAt the timer recorded, over every expiry seen. */
  const lateness: number[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await startBaton({ env: { DATABASE_URL: scratch.url } });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    const owner = (await createPrincipal(actors.admin, unique('owner'), ['service_owner'])).client;
    fixture = { pmo: actors.pmo, smo: actors.smo, owner };
    probeServer = createServer((_request, response) => {
      probeHits += 1;
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => probeServer.listen(0, '127.0.0.1', resolve));
    const probeUrl = `http://127.0.0.1:${(probeServer.address() as AddressInfo).port}/health`;
    const checklists = await Promise.all([
      actors.smo.post('/v1/checklists', {
        name: unique('expiring'),
        changeTypes: ALL_CHANGE_TYPES,
        tiers: [EXPIRING_TIER],
        criteria: FIXTURE_CRITERIA.map((criterion) =>
          criterion.key === MANUAL ? { ...criterion, validFor: `PT${VALID_FOR_MS / 1000}S` } : criterion,
        ),
      }),
      actors.smo.post('/v1/checklists', {
        name: unique('probed'),
        changeTypes: ALL_CHANGE_TYPES,
        tiers: [PROBED_TIER],
        criteria: [
          ...FIXTURE_CRITERIA,
          {
            key: 'health',
            title: 'Health check answers',
            practice: 'monitoring and event management',
            mandatory: false,
            kind: 'automated',
            probeUrl,
            validFor: 'P7D',
          },
        ],
      }),
    ]);
    for (const checklist of checklists) expect(checklist.status).toBe(201);
    // The probed tier decides as tier 4 does by default: the service owner accepts alone.
    const policy = await actors.smo.request('PUT', `/v1/policies/${PROBED_TIER}`, DEFAULT_POLICIES[4]);
    expect(policy.status).toBe(200);
    const projectId = await createProject(actors.pmo);
    refs = { projectId, serviceId: await createService(actors.smo, EXPIRING_TIER) };
    probedRefs = { projectId, serviceId: await createService(actors.smo, PROBED_TIER) };
  });

  afterAll(async () => {
    if (lateness.length > 0) {
      const sorted = [...lateness].sort((a, b) => a - b);
      console.info(
        `attestation expiry lateness over ${sorted.length} expiries: median ${sorted[Math.floor(sorted.length / 2)]} ms, worst ${sorted.at(-1)} ms`,
      );
    }
    await baton?.stop();
    await scratch?.drop();
    await new Promise((resolve) => probeServer?.close(resolve));
  });

  const read = async (id: string) => (await actors.smo.get(`/v1/deliverables/${id}`)).body;
  const criterion = (deliverable: any, key: string) =>
    deliverable.readiness.criteria.find((c: { key: string }) => c.key === key);

  /** Polls until the criterion's pass has expired by itself (the worker fired the timer). */
  async function expired(id: string, key: string): Promise<any> {
    const deadline = Date.now() + VALID_FOR_MS + 20_000;
    for (;;) {
      const current = await read(id);
      if (criterion(current, key).expiredAt) return current;
      if (Date.now() > deadline)
        throw new Error(`${key} did not expire: ${JSON.stringify(criterion(current, key))}`);
      await sleep(200);
    }
  }

  it('refuses a validFor shorter than a second, or not a duration, naming the field', async () => {
    for (const validFor of ['PT0.5S', 'soon', 'P11Y']) {
      const response = await actors.smo.post('/v1/checklists', {
        name: unique('bad'),
        changeTypes: ['retirement'],
        tiers: [1],
        criteria: [{ ...FIXTURE_CRITERIA[0], validFor }],
      });
      expect({ validFor, status: response.status }).toEqual({ validFor, status: 400 });
      expect(JSON.stringify(response.body)).toContain('validFor');
    }
  });

  it('expires a pass by itself before go-live, blocks the confirm, and is renewed in place', async () => {
    const id = await deliverableIn(fixture, refs, 'scheduled');
    const scheduledBefore = await read(id);
    const stream = await openEventStream(baton.url, baton.adminToken, { query: `deliverableId=${id}` });
    try {
      // Attested again in `scheduled` (renewable: it has validFor), so the count starts now.
      const renewed = await actors.pmo.post(`/v1/deliverables/${id}/readiness/${MANUAL}/attest`, {
        evidence: 'wiki/runbooks-v2',
      });
      expect(renewed.status).toBe(200);
      expect(renewed.body.status).toBe('scheduled');
      const pass = criterion(renewed.body, MANUAL);
      expect(Date.parse(pass.expiresAt) - Date.parse(pass.updatedAt)).toBe(VALID_FOR_MS);
      // Renewing a pass keeps the approvals the gate was given (a fixture walk approved it).
      const approvals = renewed.body.approvals;
      expect(approvals).toEqual(scheduledBefore.approvals);
      expect(approvals.length).toBeGreaterThan(0);
      const reminders = await actors.smo.get(`/v1/deliverables/${id}/reminders`);
      expect(reminders.body.items).toContainEqual(
        expect.objectContaining({
          kind: 'attestation_expiry',
          subject: MANUAL,
          status: 'scheduled',
          dueAt: pass.expiresAt,
        }),
      );

      const after = await expired(id, MANUAL);
      lateness.push(Date.parse(criterion(after, MANUAL).expiredAt) - Date.parse(pass.expiresAt));
      expect(after).toMatchObject({ status: 'scheduled', version: renewed.body.version + 1, approvals });
      expect(criterion(after, MANUAL)).toMatchObject({ status: 'pending', evidence: 'wiki/runbooks-v2' });
      expect(criterion(after, MANUAL).expiresAt).toBeUndefined();
      const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'attestation_expired',
        principalId: null,
        fromStatus: 'scheduled',
        toStatus: 'scheduled',
        data: { key: MANUAL, expiresAt: pass.expiresAt },
      });
      await stream.until(
        (s) => s.events().some((event) => event.event === 'criterion.expired'),
        'a criterion.expired event',
      );
      expect(stream.events().find((event) => event.event === 'criterion.expired')!.data).toMatchObject({
        type: 'criterion.expired',
        deliverableId: id,
        data: { key: MANUAL, mandatory: true, validFor: `PT${VALID_FOR_MS / 1000}S` },
      });

      // Expired and mandatory: the go-live waits, and the refusal changes nothing.
      const refused = await actors.smo.post(`/v1/deliverables/${id}/go-live/confirm`, {});
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'HANDOVER.CRITERION_EXPIRED',
        pending: [MANUAL],
        expired: [MANUAL],
      });
      expect((await read(id)).version).toBe(after.version);

      // Attested again: still scheduled with the same approvals, and the go-live goes ahead.
      const again = await actors.pmo.post(`/v1/deliverables/${id}/readiness/${MANUAL}/attest`, {
        evidence: 'wiki/runbooks-v3',
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'scheduled', approvals });
      expect(criterion(again.body, MANUAL).expiredAt).toBeUndefined();
      const confirmed = await actors.smo.post(`/v1/deliverables/${id}/go-live/confirm`, {});
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.status).toBe('early_life_support');
      // Live: nothing expires any more.
      expect(criterion(confirmed.body, MANUAL).expiresAt).toBeUndefined();
      const timers = (await actors.smo.get(`/v1/deliverables/${id}/reminders`)).body.items.filter(
        (timer: { kind: string }) => timer.kind === 'attestation_expiry',
      );
      // The walk's own pass (stale: dropped when it came due), the one that expired, the renewal's.
      expect(timers.map((timer: { status: string }) => timer.status)).toEqual([
        'cancelled',
        'sent',
        'cancelled',
      ]);
    } finally {
      stream.close();
    }
  }, 60_000);

  it('drops the timer of a pass given again before it expired', async () => {
    const id = await deliverableIn(fixture, refs, 'approved');
    const first = await actors.pmo.post(`/v1/deliverables/${id}/readiness/${MANUAL}/attest`, {
      evidence: 'first',
    });
    await sleep(VALID_FOR_MS / 2);
    const second = await actors.pmo.post(`/v1/deliverables/${id}/readiness/${MANUAL}/attest`, {
      evidence: 'second',
    });
    const secondPass = criterion(second.body, MANUAL);
    // The first pass's timer comes due, finds a newer pass and is dropped: still passed until the second's.
    await sleep(Date.parse(criterion(first.body, MANUAL).expiresAt) - Date.now() + 1_500);
    const between = await read(id);
    expect(criterion(between, MANUAL)).toMatchObject({ status: 'passed', expiresAt: secondPass.expiresAt });
    expect(between.version).toBe(second.body.version);
    const after = await expired(id, MANUAL);
    lateness.push(Date.parse(criterion(after, MANUAL).expiredAt) - Date.parse(secondPass.expiresAt));
    expect(after.version).toBe(second.body.version + 1);
  }, 60_000);

  it('renews after acceptance only criteria that expire', async () => {
    const id = await deliverableIn(fixture, refs, 'approved');
    const before = await read(id);
    const refused = await actors.pmo.post(`/v1/deliverables/${id}/readiness/${ADVISORY}/attest`, {
      evidence: 'training records',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('HANDOVER.ACTION_NOT_ALLOWED');
    expect((await read(id)).version).toBe(before.version);
  });

  it('probes an automated criterion again on request, and refuses what cannot be probed', async () => {
    const id = await deliverableIn(fixture, probedRefs, 'scheduled');
    // The submission's own probe has answered (the criterion is advisory: the walk did not wait for it).
    const deadline = Date.now() + 15_000;
    while (criterion(await read(id), 'health').status !== 'passed') {
      if (Date.now() > deadline) throw new Error('the submission probe did not pass');
      await sleep(100);
    }
    const hits = probeHits;
    const before = await read(id);
    const recorded = (await actors.smo.get(`/v1/deliverables/${id}/history`)).body.items.length;
    const probed = await actors.pmo.post(`/v1/deliverables/${id}/readiness/health/probe`, {});
    expect(probed.status).toBe(200);
    expect(probed.body).toMatchObject({ status: 'scheduled', version: before.version + 1 });
    const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
    // The request's own entry, first after what was there: the worker's result may already follow it.
    expect(history.body.items[recorded]).toMatchObject({ action: 'probe', data: { key: 'health' } });
    // The worker probes and posts the result: a fresh pass, good for another 7 days.
    const until = Date.now() + 15_000;
    for (;;) {
      const current = await read(id);
      if (probeHits > hits && current.version > probed.body.version) {
        const health = criterion(current, 'health');
        expect(health.status).toBe('passed');
        expect(Date.parse(health.expiresAt) - Date.parse(health.updatedAt)).toBe(7 * 86_400_000);
        // The new result keeps the approvals the go-live was scheduled with.
        expect(current.approvals).toEqual(before.approvals);
        expect(current.approvals.length).toBeGreaterThan(0);
        break;
      }
      if (Date.now() > until) throw new Error(`no probe result: ${probeHits - hits} hits`);
      await sleep(100);
    }

    const version = (await read(id)).version;
    const cases: [string, number, string][] = [
      [MANUAL, 400, 'HANDOVER.NOT_AUTOMATED'],
      [AUTOMATED, 409, 'HANDOVER.NOT_PROBEABLE'],
      ['no-such-criterion', 404, 'HANDOVER.UNKNOWN_CRITERION'],
    ];
    for (const [key, status, code] of cases) {
      const response = await actors.smo.post(`/v1/deliverables/${id}/readiness/${key}/probe`, {});
      expect({ key, status: response.status, code: response.body.code }).toEqual({ key, status, code });
    }
    const unknownField = await actors.smo.post(`/v1/deliverables/${id}/readiness/health/probe`, {
      now: true,
    });
    expect(unknownField.status).toBe(400);
    expect((await read(id)).version).toBe(version);
  }, 60_000);
});
