import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ALL_CHANGE_TYPES, deliverableIn, FIXTURE_CRITERIA } from '../support/deliverable-states.js';
import {
  createActors,
  createPrincipal,
  createProject,
  createService,
  type Actors,
  unique,
} from '../support/fixtures.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const UNKNOWN_ID = '8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d';
/** Where the installation says it is reached (BATON_PUBLIC_URL): links are made with it, requests go to the test's. */
const PUBLIC_URL = 'https://baton.example.com/ops';

/** The feed as a calendar app reads it: parsed by ical.js, never matched as text. */
function parse(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

function eventsOf(calendar: ICAL.Component): Map<string, ICAL.Event> {
  return new Map(
    calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return [event.uid, event] as const;
    }),
  );
}

const instant = (time: ICAL.Time): string => time.toJSDate().toISOString();
/** iCalendar times are whole seconds. */
const toSecond = (iso: string): string => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({ status });
}

describe('calendar feed', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  let anonymous: ApiClient;
  let refs: { projectId: string; serviceId: string };
  let other: { projectId: string; serviceId: string };
  let scheduled: string;
  let inEls: string;
  let elsewhere: string;
  let window: { start: string; end: string };
  let weekendFreeze: string;
  let otherFreeze: string;
  let title: string;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await startBaton({ env: { DATABASE_URL: scratch.url, BATON_PUBLIC_URL: `${PUBLIC_URL}/` } });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    anonymous = actors.admin.as(null);
    const template = await actors.smo.post('/v1/checklists', {
      name: unique('feed-fixture'),
      changeTypes: ALL_CHANGE_TYPES,
      tiers: [4],
      criteria: FIXTURE_CRITERIA,
    });
    expect(template.status).toBe(201);
    const owner = (await createPrincipal(actors.admin, unique('owner'), ['service_owner'])).client;
    refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 4) };
    other = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 4) };
    const fixture = { pmo: actors.pmo, smo: actors.smo, owner };
    [scheduled, inEls, elsewhere] = await Promise.all([
      deliverableIn(fixture, refs, 'scheduled'),
      deliverableIn(fixture, refs, 'early_life_support'),
      deliverableIn(fixture, other, 'scheduled'),
    ]);
    const seen = await actors.pmo.get(`/v1/deliverables/${scheduled}`);
    window = seen.body.goLiveWindow;
    title = seen.body.title;
    // Fridays 18:00 to Mondays 06:00 in London, from 16 October 2026: the clocks go back on the 25th.
    const weekend = await actors.smo.post('/v1/freeze-windows', {
      name: 'Weekend freeze',
      reason: 'No changes over the weekend',
      start: '2026-10-16T18:00:00+01:00',
      end: '2026-10-19T06:00:00+01:00',
      rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=3',
      timeZone: 'Europe/London',
    });
    expect(weekend.status).toBe(201);
    weekendFreeze = weekend.body.id;
    const scoped = await actors.smo.post('/v1/freeze-windows', {
      name: 'Other service freeze',
      start: '2030-12-20T00:00:00Z',
      end: '2031-01-03T00:00:00Z',
      scope: { serviceIds: [other.serviceId] },
    });
    expect(scoped.status).toBe(201);
    otherFreeze = scoped.body.id;
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
  });

  const feedToken = async (client: ApiClient, principalId: string): Promise<string> => {
    const response = await client.post(`/v1/principals/${principalId}/feed-token`);
    expect(response.status).toBe(201);
    const url = new URL(response.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/v1/calendar.ics`);
    return url.searchParams.get('token')!;
  };

  describe('what it holds', () => {
    let calendar: ICAL.Component;
    let events: Map<string, ICAL.Event>;

    beforeAll(async () => {
      const token = await feedToken(actors.pmo, actors.ids.pmo);
      const response = await anonymous.get(`/v1/calendar.ics?token=${encodeURIComponent(token)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      calendar = parse(response.body);
      events = eventsOf(calendar);
    });

    it('is an RFC 5545 calendar with a VEVENT per go-live window, linking to the console', () => {
      expect(calendar.name).toBe('vcalendar');
      expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
      const goLive = events.get(`golive-${scheduled}@baton`)!;
      expect(goLive).toBeDefined();
      expect(goLive.summary).toBe(`Go-live: ${title} (scheduled)`);
      expect(instant(goLive.startDate)).toBe(toSecond(window.start));
      expect(instant(goLive.endDate)).toBe(toSecond(window.end));
      expect(goLive.component.getFirstPropertyValue('url')).toBe(`${PUBLIC_URL}/deliverables/${scheduled}`);
      expect(goLive.description).toMatch(/^Service: service-.+\nProject: PRJ-/);
      expect(goLive.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
    });

    it('has the end of a running ELS period, when its timer is due', async () => {
      const reminders = await actors.pmo.get(`/v1/deliverables/${inEls}/reminders`);
      const periodEnd = reminders.body.items.find(
        (item: { kind: string; status: string }) =>
          item.kind === 'els_period_end' && item.status === 'scheduled',
      );
      const end = events.get(`els-${inEls}@baton`)!;
      expect(end).toBeDefined();
      expect(end.summary).toMatch(/^ELS period ends: fixture-.+ \(early life support\)$/);
      expect(instant(end.startDate)).toBe(toSecond(periodEnd.dueAt));
      // Its go-live window is there too (it went live a moment ago, in the window set for tomorrow).
      expect(events.has(`golive-${inEls}@baton`)).toBe(true);
    });

    it('has each freeze with its RRULE and time zone, and a VTIMEZONE for that zone', () => {
      const freeze = events.get(`freeze-${weekendFreeze}@baton`)!;
      expect(freeze.summary).toBe('Change freeze: Weekend freeze');
      const rule = freeze.component.getFirstPropertyValue('rrule') as ICAL.Recur;
      expect([rule.freq, rule.count, rule.getComponent('byday')]).toEqual(['WEEKLY', 3, ['FR']]);
      expect(freeze.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/London');
      const zones = calendar
        .getAllSubcomponents('vtimezone')
        .map((zone) => zone.getFirstPropertyValue('tzid'));
      expect(zones).toEqual(['Europe/London']);
      expect(events.has(`freeze-${otherFreeze}@baton`)).toBe(true);
    });

    it('imported into a fresh calendar, keeps the freeze at 18:00 to 06:00 London time across the clock change', () => {
      // A fresh calendar object: the feed's own VTIMEZONE is all it knows of Europe/London.
      const fresh = parse(calendar.toString());
      ICAL.TimezoneService.register(new ICAL.Timezone(fresh.getFirstSubcomponent('vtimezone')!));
      try {
        const freeze = eventsOf(fresh).get(`freeze-${weekendFreeze}@baton`)!;
        const iterator = freeze.iterator();
        const occurrences: { start: ICAL.Time; end: ICAL.Time }[] = [];
        for (let next = iterator.next(); next; next = iterator.next()) {
          const details = freeze.getOccurrenceDetails(next);
          occurrences.push({ start: details.startDate, end: details.endDate });
        }
        const local = (time: ICAL.Time) =>
          `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][time.dayOfWeek() - 1]} ${time.toString()}`;
        expect(occurrences.map(({ start, end }) => [local(start), local(end)])).toEqual([
          ['Fri 2026-10-16T18:00:00', 'Mon 2026-10-19T06:00:00'],
          ['Fri 2026-10-23T18:00:00', 'Mon 2026-10-26T06:00:00'],
          ['Fri 2026-10-30T18:00:00', 'Mon 2026-11-02T06:00:00'],
        ]);
        // The same wall-clock hours are other instants once the clocks go back on 25 October.
        expect(occurrences.map(({ start, end }) => [instant(start), instant(end)])).toEqual([
          ['2026-10-16T17:00:00.000Z', '2026-10-19T05:00:00.000Z'],
          ['2026-10-23T17:00:00.000Z', '2026-10-26T06:00:00.000Z'],
          ['2026-10-30T18:00:00.000Z', '2026-11-02T06:00:00.000Z'],
        ]);
      } finally {
        ICAL.TimezoneService.remove('Europe/London');
      }
    });

    it('answers to a bearer API token of any role too, with an ETag that gives 304 when nothing changed', async () => {
      const first = await actors.smo.get('/v1/calendar.ics');
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('private, max-age=300');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(eventsOf(parse(first.body)).has(`golive-${scheduled}@baton`)).toBe(true);
      const again = await actors.smo.get('/v1/calendar.ics', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    });
  });

  describe('filters', () => {
    const uids = async (query: string): Promise<string[]> => {
      const response = await actors.pmo.get(`/v1/calendar.ics${query}`);
      expect(response.status).toBe(200);
      return [...eventsOf(parse(response.body)).keys()].sort();
    };

    it('narrows go-lives and ELS ends to a service, with the freezes that apply to it', async () => {
      expect(await uids(`?serviceId=${other.serviceId}`)).toEqual(
        [`golive-${elsewhere}@baton`, `freeze-${weekendFreeze}@baton`, `freeze-${otherFreeze}@baton`].sort(),
      );
      const first = await uids(`?serviceId=${refs.serviceId}`);
      expect(first).toContain(`golive-${scheduled}@baton`);
      expect(first).toContain(`els-${inEls}@baton`);
      expect(first).toContain(`freeze-${weekendFreeze}@baton`);
      expect(first).not.toContain(`freeze-${otherFreeze}@baton`);
      expect(first).not.toContain(`golive-${elsewhere}@baton`);
    });

    it('narrows go-lives and ELS ends to a project', async () => {
      const found = await uids(`?projectId=${refs.projectId}`);
      expect(found.filter((uid) => !uid.startsWith('freeze-'))).toEqual(
        [`golive-${scheduled}@baton`, `golive-${inEls}@baton`, `els-${inEls}@baton`].sort(),
      );
      expect(await uids(`?projectId=${other.projectId}&serviceId=${refs.serviceId}`)).toEqual(
        [`freeze-${weekendFreeze}@baton`].sort(),
      );
    });

    it('refuses a malformed filter, one naming nothing, or an unknown parameter with 400', async () => {
      expectProblem(await actors.pmo.get('/v1/calendar.ics?serviceId=nope'), 400);
      expectProblem(await actors.pmo.get('/v1/calendar.ics?projectId=1'), 400);
      expectProblem(await actors.pmo.get('/v1/calendar.ics?from=2026-01-01'), 400);
      expectProblem(await actors.pmo.get(`/v1/calendar.ics?serviceId=${UNKNOWN_ID}`), 400);
      expectProblem(await actors.pmo.get(`/v1/calendar.ics?projectId=${UNKNOWN_ID}`), 400);
    });
  });

  describe('feed tokens', () => {
    it('serve the calendar only: as ?token= or a bearer token anywhere else, 401', async () => {
      const token = await feedToken(actors.smo, actors.ids.smo);
      expect((await actors.smo.as(token).get('/v1/calendar.ics')).status).toBe(200);
      for (const path of [
        '/v1/me',
        '/v1/deliverables',
        `/v1/deliverables/${scheduled}`,
        '/v1/freeze-windows',
        `/v1/principals/${actors.ids.smo}`,
        '/v1/inbox',
        '/v1/events',
        '/v1/practices',
      ]) {
        expectProblem(await anonymous.get(`${path}?token=${encodeURIComponent(token)}`), 401);
        expectProblem(await actors.smo.as(token).get(path), 401);
      }
      expectProblem(
        await anonymous.post(
          `/v1/principals/${actors.ids.smo}/feed-token?token=${encodeURIComponent(token)}`,
        ),
        401,
      );
      expectProblem(await actors.smo.as(token).post(`/v1/principals/${actors.ids.smo}/feed-token`), 401);
      // An API token is never taken from a URL, not even the calendar's.
      expectProblem(
        await anonymous.get(`/v1/calendar.ics?token=${encodeURIComponent(actors.smo.token!)}`),
        401,
      );
      expectProblem(await anonymous.get('/v1/calendar.ics?token=batcal_unknown'), 401);
      expectProblem(await anonymous.get('/v1/calendar.ics'), 401);
    });

    it('is not kept for a replay: the same Idempotency-Key answers url null', async () => {
      const key = { 'idempotency-key': unique('feed') };
      const first = await actors.pmo2.post(`/v1/principals/${actors.ids.pmo2}/feed-token`, undefined, key);
      expect(first.status).toBe(201);
      expect(first.body.url).toMatch(/\?token=batcal_/);
      const replay = await actors.pmo2.post(`/v1/principals/${actors.ids.pmo2}/feed-token`, undefined, key);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual({ url: null });
    });

    it('a new feed token replaces the old one', async () => {
      const old = await feedToken(actors.pmo2, actors.ids.pmo2);
      expect((await anonymous.get(`/v1/calendar.ics?token=${old}`)).status).toBe(200);
      const renewed = await feedToken(actors.pmo2, actors.ids.pmo2);
      expectProblem(await anonymous.get(`/v1/calendar.ics?token=${old}`), 401);
      expect((await anonymous.get(`/v1/calendar.ics?token=${renewed}`)).status).toBe(200);
    });

    it('is made by the principal itself or an admin; 403 for another, 404 for nobody, 409 once revoked', async () => {
      const someone = await createPrincipal(actors.admin, unique('viewer'), ['viewer']);
      expectProblem(await actors.pmo.post(`/v1/principals/${someone.id}/feed-token`), 403);
      expectProblem(await actors.admin.post(`/v1/principals/${UNKNOWN_ID}/feed-token`), 404);
      expectProblem(await actors.admin.post('/v1/principals/nope/feed-token'), 400);
      expectProblem(await actors.admin.post(`/v1/principals/${someone.id}/feed-token`, { extra: 1 }), 400);
      const token = await feedToken(actors.admin, someone.id);
      expect((await anonymous.get(`/v1/calendar.ics?token=${token}`)).status).toBe(200);
      // Revoking the principal ends its feed.
      expect((await actors.admin.request('DELETE', `/v1/principals/${someone.id}`)).status).toBe(204);
      expectProblem(await anonymous.get(`/v1/calendar.ics?token=${token}`), 401);
      expectProblem(await actors.admin.post(`/v1/principals/${someone.id}/feed-token`), 409);
    });
  });
});
