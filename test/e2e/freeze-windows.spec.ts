import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  ALL_CHANGE_TYPES,
  deliverableIn,
  FIXTURE_CRITERIA,
  goLiveWindow,
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

describe('freeze windows', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  let serviceId: string;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await startBaton({ env: { DATABASE_URL: scratch.url } });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    serviceId = await createService(actors.smo, 2);
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
  });

  // Fridays 18:00 to Mondays 06:00 in London, three times from 23 October 2026: the clocks go back on the 25th.
  const weekend = {
    name: 'Weekend freeze',
    reason: 'No changes over the weekend',
    start: '2026-10-23T18:00:00+01:00',
    end: '2026-10-26T06:00:00Z',
    rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=3',
    timeZone: 'Europe/London',
    scope: { tiers: [1, 2] },
  };

  it('creates a recurring freeze that keeps its local hours across a daylight-saving change', async () => {
    const created = await actors.smo.post('/v1/freeze-windows', weekend);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Weekend freeze',
      reason: 'No changes over the weekend',
      start: '2026-10-23T17:00:00.000Z',
      end: '2026-10-26T06:00:00.000Z',
      rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=3',
      timeZone: 'Europe/London',
      scope: { tiers: [1, 2], serviceIds: null },
    });
    const listed = await actors.pmo.get(
      '/v1/freeze-windows?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    expect(listed.status).toBe(200);
    const window = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
    // 18:00 BST is 17:00 UTC; after the change 18:00 GMT is 18:00 UTC. Monday 06:00 GMT every time.
    expect(window.occurrences).toEqual([
      { start: '2026-10-23T17:00:00.000Z', end: '2026-10-26T06:00:00.000Z' },
      { start: '2026-10-30T18:00:00.000Z', end: '2026-11-02T06:00:00.000Z' },
      { start: '2026-11-06T18:00:00.000Z', end: '2026-11-09T06:00:00.000Z' },
    ]);
    expect(listed.body).toMatchObject({ from: '2026-10-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
  });

  it('scopes a one-off freeze to services that exist, and lifts it', async () => {
    const created = await actors.smo.post('/v1/freeze-windows', {
      name: 'Year-end freeze',
      start: '2030-12-20T00:00:00Z',
      end: '2031-01-03T00:00:00Z',
      scope: { serviceIds: [serviceId] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      reason: null,
      rrule: null,
      timeZone: 'UTC',
      scope: { tiers: null, serviceIds: [serviceId] },
      occurrences: [],
    });
    const inRange = await actors.smo.get(
      '/v1/freeze-windows?from=2030-12-01T00:00:00Z&to=2031-02-01T00:00:00Z',
    );
    expect(
      inRange.body.items.find((item: { id: string }) => item.id === created.body.id).occurrences,
    ).toEqual([{ start: '2030-12-20T00:00:00.000Z', end: '2031-01-03T00:00:00.000Z' }]);
    expect((await actors.smo.request('DELETE', `/v1/freeze-windows/${created.body.id}`)).status).toBe(204);
    expect((await actors.smo.request('DELETE', `/v1/freeze-windows/${created.body.id}`)).status).toBe(404);
    const after = await actors.smo.get(
      '/v1/freeze-windows?from=2030-12-01T00:00:00Z&to=2031-02-01T00:00:00Z',
    );
    expect(after.body.items.map((item: { id: string }) => item.id)).not.toContain(created.body.id);
  });

  it('refuses bad freezes with the field named, and stores nothing', async () => {
    const before = await actors.smo.get(
      '/v1/freeze-windows?from=2020-01-01T00:00:00Z&to=2021-12-31T00:00:00Z',
    );
    const cases: [Record<string, unknown>, string][] = [
      [{ ...weekend, rrule: 'FREQ=SOMETIMES' }, 'rrule'],
      [{ ...weekend, rrule: 'BYDAY=FR' }, 'rrule'],
      [{ ...weekend, rrule: 'FREQ=MINUTELY', end: '2026-10-23T17:30:00Z' }, 'rrule'],
      [{ ...weekend, timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [{ ...weekend, end: '2026-10-23T16:00:00Z' }, 'end'],
      [{ ...weekend, start: 'next friday' }, 'start'],
      [{ ...weekend, scope: { tiers: [5] } }, 'scope.tiers.0'],
      [{ ...weekend, colour: 'blue' }, 'colour'],
    ];
    for (const [body, path] of cases) {
      const response = await actors.smo.post('/v1/freeze-windows', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    const unknownService = await actors.smo.post('/v1/freeze-windows', {
      ...weekend,
      scope: { serviceIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownService.status).toBe(404);
    expect((await actors.pmo.post('/v1/freeze-windows', weekend)).status).toBe(403);
    const range = await actors.smo.get(
      '/v1/freeze-windows?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z',
    );
    expect(range.status).toBe(400);
    expect(range.body.errors[0].path).toBe('to');
    const after = await actors.smo.get(
      '/v1/freeze-windows?from=2020-01-01T00:00:00Z&to=2021-12-31T00:00:00Z',
    );
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  describe('scheduling into a freeze', () => {
    let owner: ApiClient;
    let changeManager: ApiClient;
    let refs: { projectId: string; serviceId: string };
    const HOUR = 3_600_000;

    beforeAll(async () => {
      // Tier 4: its default policy lets the service owner accept alone; its freezes are overridden by a
      // change manager. The fixture checklist makes deliverables the tests move by hand.
      const template = await actors.smo.post('/v1/checklists', {
        name: unique('freeze-fixture'),
        changeTypes: ALL_CHANGE_TYPES,
        tiers: [4],
        criteria: FIXTURE_CRITERIA,
      });
      expect(template.status).toBe(201);
      owner = (await createPrincipal(actors.admin, unique('owner'), ['service_owner'])).client;
      changeManager = (await createPrincipal(actors.admin, unique('cm'), ['smo', 'change_manager'])).client;
      refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 4) };
    });

    const approved = () => deliverableIn({ pmo: actors.pmo, smo: actors.smo, owner }, refs, 'approved');
    const freezeOver = async (window: { windowStart: string; windowEnd: string }, scope: object) => {
      const response = await actors.smo.post('/v1/freeze-windows', {
        name: unique('release-freeze'),
        start: new Date(Date.parse(window.windowStart) - 12 * HOUR).toISOString(),
        end: new Date(Date.parse(window.windowEnd) + 48 * HOUR).toISOString(),
        scope,
      });
      expect(response.status).toBe(201);
      return response.body as { id: string; name: string; start: string; end: string };
    };

    it('refuses a window in a freeze with the conflicts listed, and changes nothing', async () => {
      const id = await approved();
      const window = goLiveWindow();
      const freeze = await freezeOver(window, { serviceIds: [refs.serviceId] });
      const before = await actors.smo.get(`/v1/deliverables/${id}`);
      const refused = await actors.smo.post(`/v1/deliverables/${id}/go-live/schedule`, window);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'HANDOVER.FREEZE_WINDOW',
        conflicts: [{ freezeWindowId: freeze.id, name: freeze.name, start: freeze.start, end: freeze.end }],
        overrideRoles: ['change_manager'],
      });
      const after = await actors.smo.get(`/v1/deliverables/${id}`);
      expect(after.body).toMatchObject({ status: 'approved', version: before.body.version });

      // An override from someone who may not give one: 403, nothing changes either.
      const notAllowed = await actors.smo.post(`/v1/deliverables/${id}/go-live/schedule`, {
        ...window,
        override: { reason: 'The vendor is only available then' },
      });
      expect(notAllowed.status).toBe(403);
      expect(notAllowed.body).toMatchObject({
        code: 'HANDOVER.ROLE_REQUIRED',
        requiredRoles: ['change_manager'],
      });
      expect((await actors.smo.get(`/v1/deliverables/${id}`)).body.version).toBe(before.body.version);

      // Even the change manager overrides only with a reason: none, empty or blank is 400, nothing changes.
      for (const override of [{}, { reason: '' }, { reason: '   ' }]) {
        const reasonless = await changeManager.post(`/v1/deliverables/${id}/go-live/schedule`, {
          ...window,
          override,
        });
        expect({ override, status: reasonless.status }).toEqual({ override, status: 400 });
        expect(reasonless.body.errors.map((error: { path: string }) => error.path)).toContain(
          'override.reason',
        );
      }
      expect((await actors.smo.get(`/v1/deliverables/${id}`)).body.version).toBe(before.body.version);

      // A change manager overrides, with the reason and the freezes in the audit trail.
      const overridden = await changeManager.post(`/v1/deliverables/${id}/go-live/schedule`, {
        ...window,
        override: { reason: 'The vendor is only available then' },
      });
      expect(overridden.status).toBe(200);
      expect(overridden.body.status).toBe('scheduled');
      const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'schedule',
        data: {
          windowStart: window.windowStart,
          windowEnd: window.windowEnd,
          override: { reason: 'The vendor is only available then', freezeWindowIds: [freeze.id] },
        },
      });
    });

    it('lets through a window outside every freeze, and freezes of other tiers or services', async () => {
      const id = await approved();
      const window = goLiveWindow();
      await freezeOver(window, { tiers: [1] });
      await freezeOver(window, { serviceIds: [await createService(actors.smo, 4)] });
      const later = {
        windowStart: new Date(Date.parse(window.windowStart) + 10 * 24 * HOUR).toISOString(),
        windowEnd: new Date(Date.parse(window.windowEnd) + 10 * 24 * HOUR).toISOString(),
      };
      const scheduled = await actors.smo.post(`/v1/deliverables/${id}/go-live/schedule`, later);
      expect(scheduled.status).toBe(200);
      const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
      expect(history.body.items.at(-1).data).toEqual(later);
    });

    it('notes a freeze laid over a scheduled go-live on the deliverable and announces schedule.conflict', async () => {
      // A service of its own: the freezes of the tests before cover tomorrow for refs' service.
      const own = { ...refs, serviceId: await createService(actors.smo, 4) };
      const id = await deliverableIn({ pmo: actors.pmo, smo: actors.smo, owner }, own, 'scheduled');
      const scheduled = (await actors.smo.get(`/v1/deliverables/${id}`)).body;
      expect(scheduled.conflicts).toEqual([]);
      const stream = await openEventStream(baton.url, baton.adminToken, { query: `deliverableId=${id}` });
      try {
        const window = { windowStart: scheduled.goLiveWindow.start, windowEnd: scheduled.goLiveWindow.end };
        const freeze = await freezeOver(window, { serviceIds: [own.serviceId] });
        const conflict = {
          freezeWindowId: freeze.id,
          name: freeze.name,
          start: freeze.start,
          end: freeze.end,
        };
        const after = (await actors.smo.get(`/v1/deliverables/${id}`)).body;
        expect(after).toMatchObject({
          status: 'scheduled',
          version: scheduled.version + 1,
          conflicts: [conflict],
        });
        const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
        expect(history.body.items.at(-1)).toMatchObject({
          action: 'freeze_conflict',
          principalId: null,
          data: { conflicts: [conflict] },
        });
        await stream.until(
          (s) => s.events().some((event) => event.event === 'schedule.conflict'),
          'a schedule.conflict event',
        );
        const event = stream.events().find((e) => e.event === 'schedule.conflict')!;
        expect(event.data).toMatchObject({
          type: 'schedule.conflict',
          deliverableId: id,
          data: { windowStart: window.windowStart, windowEnd: window.windowEnd, conflicts: [conflict] },
        });

        // Moving the window clears what was noted (the new window was judged against every freeze).
        const later = {
          windowStart: new Date(Date.parse(freeze.end) + HOUR).toISOString(),
          windowEnd: new Date(Date.parse(freeze.end) + 2 * HOUR).toISOString(),
        };
        const moved = await actors.smo.post(`/v1/deliverables/${id}/go-live/schedule`, later);
        expect(moved.status).toBe(200);
        expect(moved.body.conflicts).toEqual([]);
      } finally {
        stream.close();
      }
    });

    it('takes back the conflicts a freeze noted when it is lifted, and only those', async () => {
      const own = { ...refs, serviceId: await createService(actors.smo, 4) };
      const id = await deliverableIn({ pmo: actors.pmo, smo: actors.smo, owner }, own, 'scheduled');
      const { goLiveWindow: scheduled } = (await actors.smo.get(`/v1/deliverables/${id}`)).body;
      const window = { windowStart: scheduled.start, windowEnd: scheduled.end };
      const [lifted, kept] = [
        await freezeOver(window, { serviceIds: [own.serviceId] }),
        await freezeOver(window, { serviceIds: [own.serviceId] }),
      ];
      const noted = (await actors.smo.get(`/v1/deliverables/${id}`)).body;
      expect(noted.conflicts.map((c: { freezeWindowId: string }) => c.freezeWindowId)).toEqual([
        lifted.id,
        kept.id,
      ]);

      expect((await actors.smo.request('DELETE', `/v1/freeze-windows/${lifted.id}`)).status).toBe(204);
      const after = (await actors.smo.get(`/v1/deliverables/${id}`)).body;
      expect(after).toMatchObject({ status: 'scheduled', version: noted.version + 1 });
      expect(after.conflicts.map((c: { freezeWindowId: string }) => c.freezeWindowId)).toEqual([kept.id]);
      const history = await actors.smo.get(`/v1/deliverables/${id}/history`);
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'freeze_lifted',
        principalId: null,
        data: { freezeWindowId: lifted.id },
      });
      expect((await actors.smo.request('DELETE', `/v1/freeze-windows/${kept.id}`)).status).toBe(204);
      expect((await actors.smo.get(`/v1/deliverables/${id}`)).body.conflicts).toEqual([]);
    });

    it("reads who may override from the tier's policy", async () => {
      const policy = await actors.smo.get('/v1/policies/4');
      const { tier: _tier, source: _source, updatedAt: _updatedAt, ...current } = policy.body;
      expect(current.freezeOverrideRoles).toEqual(['change_manager']);
      const put = await actors.smo.request('PUT', '/v1/policies/4', {
        ...current,
        freezeOverrideRoles: ['operations'],
      });
      expect(put.status).toBe(200);
      try {
        const id = await approved();
        const window = goLiveWindow();
        await freezeOver(window, { serviceIds: [refs.serviceId] });
        const refused = await changeManager.post(`/v1/deliverables/${id}/go-live/schedule`, {
          ...window,
          override: { reason: 'Urgent' },
        });
        expect(refused.status).toBe(403);
        expect(refused.body.requiredRoles).toEqual(['operations']);
      } finally {
        await actors.smo.request('PUT', '/v1/policies/4', {
          ...current,
          freezeOverrideRoles: ['change_manager'],
        });
      }
    });
  });
});
