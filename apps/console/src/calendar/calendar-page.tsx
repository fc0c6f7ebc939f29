// The calendar: go-live windows, target go-lives not yet scheduled, and ELS period ends, by month or by
// week; filtered by project and service (in the URL); arrow keys move in time, Today comes back.
import { useEffect, useRef } from 'react';
import { allPages, api, ok } from '../api/client';
import type { Deliverable, FreezeWindow, Service } from '../api/types';
import { conflictsOf, type CalendarEvent } from './calendar-events';
import { SubscribeFeed } from './subscribe-feed';
import { useProjects, useServices } from '../catalogue/catalogue-data';
import { Link, setQuery, useLocation } from '../lib/router';
import { useResource } from '../lib/store';
import { formatDateTime } from '../lib/time';
import { useLiveEvents } from '../live/live';
import { useApp } from '../shell/app-context';
import { Loaded, SelectField } from '../ui/components';

const KIND_LABEL = {
  window: 'Go-live window',
  target: 'Target go-live',
  els_end: 'ELS period ends',
  freeze: 'Change freeze',
} as const;
const KIND_ICON = { window: '▬', target: '◇', els_end: '⚑', freeze: '✱' } as const;
const CLOSED = new Set(['operational', 'cancelled', 'rejected']);
const RANK = { freeze: 0, window: 1, els_end: 2, target: 3 } as const;

/** Freeze occurrences in a range, for the service filtered on (by its tier or id) or every service. */
async function loadFreezes(from: Date, to: Date, service: Service | undefined): Promise<CalendarEvent[]> {
  const windows = await allPages<FreezeWindow>((cursor) =>
    ok(
      api.GET('/v1/freeze-windows', {
        params: { query: { limit: 500, cursor, from: from.toISOString(), to: to.toISOString() } },
      }),
    ),
  );
  return windows
    .filter(({ scope }) => {
      if (!service || (!scope.tiers && !scope.serviceIds)) return true;
      return Boolean(scope.tiers?.includes(service.tier) || scope.serviceIds?.includes(service.id));
    })
    .flatMap((window) =>
      window.occurrences.map((occurrence, index) => ({
        id: `f-${window.id}-${index}`,
        deliverableId: null,
        kind: 'freeze' as const,
        title: window.name,
        start: new Date(occurrence.start),
        end: new Date(occurrence.end),
        scope: window.scope,
      })),
    );
}

/** The week view of a day, the other filters kept. */
function weekOf(day: string): string {
  const url = new URL(window.location.href);
  url.searchParams.set('view', 'week');
  url.searchParams.set('date', day);
  return url.pathname + url.search;
}

const dayKey = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
const addDays = (date: Date, days: number) =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
/** Weeks start on Monday. */
const startOfWeek = (date: Date) => addDays(startOfDay(date), -((date.getDay() + 6) % 7));

function parseDay(value: string | null): Date {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : startOfDay(new Date());
}

async function loadEvents(projectId: string, serviceId: string): Promise<CalendarEvent[]> {
  const deliverables = await allPages<Deliverable>((cursor) =>
    ok(
      api.GET('/v1/deliverables', {
        params: {
          query: {
            limit: 500,
            cursor,
            ...(projectId ? { projectId } : {}),
            ...(serviceId ? { serviceId } : {}),
          },
        },
      }),
    ),
  );
  const events: CalendarEvent[] = [];
  for (const d of deliverables) {
    if (d.goLiveWindow)
      events.push({
        id: `w-${d.id}`,
        deliverableId: d.id,
        kind: 'window',
        title: d.title,
        start: new Date(d.goLiveWindow.start),
        end: new Date(d.goLiveWindow.end),
        serviceId: d.serviceId,
      });
    else if (!CLOSED.has(d.status) && d.status !== 'on_hold')
      events.push({
        id: `t-${d.id}`,
        deliverableId: d.id,
        kind: 'target',
        title: d.title,
        start: new Date(d.targetGoLive),
        end: new Date(d.targetGoLive),
      });
  }
  // ELS period ends are timers: read for the deliverables in early life support only.
  const inEls = deliverables.filter((d) => d.status === 'early_life_support' || d.status === 'els_review');
  for (let i = 0; i < inEls.length; i += 8) {
    const batch = inEls.slice(i, i + 8);
    const answers = await Promise.all(
      batch.map((d) =>
        ok(api.GET('/v1/deliverables/{id}/reminders', { params: { path: { id: d.id } } })).catch(() => ({
          items: [],
        })),
      ),
    );
    answers.forEach((answer, index) => {
      const d = batch[index];
      for (const reminder of answer.items)
        if (reminder.kind === 'els_period_end' && reminder.status === 'scheduled')
          events.push({
            id: `e-${reminder.id}`,
            deliverableId: d.id,
            kind: 'els_end',
            title: d.title,
            start: new Date(reminder.dueAt),
            end: new Date(reminder.dueAt),
          });
    });
  }
  return events;
}

export function CalendarPage() {
  const { query } = useLocation();
  const app = useApp();
  const projectId = query.get('project') ?? '';
  const serviceId = query.get('service') ?? '';
  const view = query.get('view') === 'week' ? 'week' : 'month';
  const showTargets = query.get('targets') !== 'off';
  const focus = parseDay(query.get('date'));
  const projects = useProjects();
  const services = useServices();
  const events = useResource(`calendar:${projectId}:${serviceId}`, () => loadEvents(projectId, serviceId));
  // A burst of events reloads once, a second after the last.
  const reloading = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(() => {
    if (reloading.current) clearTimeout(reloading.current);
    reloading.current = setTimeout(() => void events.reload(), 1000);
  });

  useEffect(() => {
    document.title = 'Calendar · Baton';
  }, []);

  const move = (step: number) => {
    const next =
      view === 'week'
        ? addDays(focus, 7 * step)
        : new Date(focus.getFullYear(), focus.getMonth() + step, Math.min(focus.getDate(), 28));
    setQuery({ date: dayKey(next) });
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if (event.key === 'ArrowLeft') move(-1);
      else if (event.key === 'ArrowRight') move(1);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const first =
    view === 'week' ? startOfWeek(focus) : startOfWeek(new Date(focus.getFullYear(), focus.getMonth(), 1));
  const days =
    view === 'week'
      ? 7
      : (() => {
          const last = new Date(focus.getFullYear(), focus.getMonth() + 1, 0);
          return Math.round((addDays(startOfWeek(last), 7).getTime() - first.getTime()) / 86_400_000);
        })();
  const title =
    view === 'week'
      ? `Week of ${first.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}`
      : focus.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
  const today = dayKey(new Date());
  const rangeEnd = addDays(first, days);
  const service = services.data?.find((item) => item.id === serviceId);
  const project = projects.data?.find((item) => item.id === projectId);
  const filterNames =
    [project ? `${project.key} · ${project.name}` : '', service?.name ?? ''].filter(Boolean).join(', ') ||
    null;
  const freezes = useResource(
    services.data || !serviceId ? `freezes:${dayKey(first)}:${dayKey(rangeEnd)}:${serviceId}` : null,
    () => loadFreezes(first, rangeEnd, service),
  );

  return (
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Calendar</h1>
          <p className="muted">
            Go-live windows, target go-lives, ELS period ends and change freezes. ← and → move in time.
          </p>
        </div>
        <SubscribeFeed projectId={projectId} serviceId={serviceId} filterNames={filterNames} />
      </div>
      <div className="filters" role="search" aria-label="Filter the calendar">
        <SelectField
          label="Project"
          value={projectId}
          onChange={(e) => setQuery({ project: e.target.value })}
          options={[
            { value: '', label: 'All projects' },
            ...(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` })),
          ]}
        />
        <SelectField
          label="Service"
          value={serviceId}
          onChange={(e) => setQuery({ service: e.target.value })}
          options={[
            { value: '', label: 'All services' },
            ...(services.data ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={showTargets}
            onChange={(e) => setQuery({ targets: e.target.checked ? null : 'off' })}
          />
          Target go-lives
        </label>
        <fieldset className="segmented" aria-label="View">
          <legend className="visually-hidden">View</legend>
          {(['month', 'week'] as const).map((value) => (
            <label key={value} className={view === value ? 'on' : ''}>
              <input
                type="radio"
                name="calendar-view"
                checked={view === value}
                onChange={() => setQuery({ view: value === 'month' ? null : value })}
              />
              {value === 'month' ? 'Month' : 'Week'}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="calendar-nav">
        <button type="button" className="button" onClick={() => move(-1)}>
          <span aria-hidden="true">← </span>Previous {view}
        </button>
        <button type="button" className="button" onClick={() => setQuery({ date: null })}>
          Today
        </button>
        <button type="button" className="button" onClick={() => move(1)}>
          Next {view}
          <span aria-hidden="true"> →</span>
        </button>
        <h2 className="calendar-title" aria-live="polite">
          {title}
        </h2>
      </div>
      <ul className="legend small" aria-label="Legend">
        <li>
          <span className="ev ev-window">▬</span> {KIND_LABEL.window}
        </li>
        <li>
          <span className="ev ev-target">◇</span> {KIND_LABEL.target}
        </li>
        <li>
          <span className="ev ev-els_end">⚑</span> {KIND_LABEL.els_end}
        </li>
        <li>
          <span className="ev ev-freeze">✱</span> {KIND_LABEL.freeze}
        </li>
      </ul>
      <Loaded resource={events} what="the calendar">
        {(list) => {
          const byDay = new Map<string, CalendarEvent[]>();
          const every = [...(freezes.data ?? []), ...list];
          const tierOf = (id: string) => services.data?.find((item) => item.id === id)?.tier;
          const conflicts = new Map(
            every
              .filter((event) => event.kind === 'window' && event.end >= first && event.start <= rangeEnd)
              .map((event) => [event.id, conflictsOf(event, every, tierOf)] as const)
              .filter(([, found]) => found.length > 0),
          );
          for (const event of every) {
            for (
              let day = startOfDay(event.start);
              day <= event.end || dayKey(day) === dayKey(event.start);
              day = addDays(day, 1)
            ) {
              const key = dayKey(day);
              byDay.set(key, [...(byDay.get(key) ?? []), event]);
              if (day > addDays(event.start, 60)) break;
            }
          }
          return (
            <>
              {conflicts.size > 0 ? (
                <div className="alert alert-warning" role="note">
                  <p className="alert-title">
                    <span aria-hidden="true">⚠ </span>
                    {conflicts.size} go-live window{conflicts.size === 1 ? '' : 's'} in view{' '}
                    {conflicts.size === 1 ? 'has' : 'have'} a conflict
                  </p>
                  <ul className="compact-list">
                    {[...conflicts.entries()].map(([id, found]) => {
                      const event = every.find((item) => item.id === id)!;
                      return (
                        <li key={id}>
                          <Link href={`/deliverables/${event.deliverableId}`}>{event.title}</Link> (
                          {formatDateTime(event.start.toISOString())}): {found.join('; ')}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ) : null}
              <div className={`calendar calendar-${view}`}>
                {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((name) => (
                  <div key={name} className="calendar-dow" aria-hidden="true">
                    {name}
                  </div>
                ))}
                {Array.from({ length: days }, (_, index) => {
                  const day = addDays(first, index);
                  const key = dayKey(day);
                  // Windows and ELS ends first: a target go-live is only a plan.
                  const items = (byDay.get(key) ?? [])
                    .filter((event) => showTargets || event.kind !== 'target')
                    .sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.start.getTime() - b.start.getTime());
                  const outside = view === 'month' && day.getMonth() !== focus.getMonth();
                  return (
                    <section
                      key={key}
                      className={`calendar-day ${outside ? 'outside' : ''} ${key === today ? 'today' : ''}`}
                      aria-label={day.toDateString()}
                    >
                      <h3 className="calendar-date">
                        <span className="visually-hidden">
                          {day.toLocaleDateString(undefined, { weekday: 'long' })}{' '}
                        </span>
                        {day.getDate()}
                        {key === today ? <span className="visually-hidden"> (today)</span> : null}
                      </h3>
                      <ul>
                        {items.slice(0, view === 'week' ? 50 : 4).map((event) => (
                          <li
                            key={event.id}
                            className={`ev ev-${event.kind}`}
                            title={`${KIND_LABEL[event.kind]}: ${event.title}`}
                          >
                            {event.deliverableId === null ? (
                              <span>
                                <span className="visually-hidden">{KIND_LABEL.freeze}: </span>
                                <span aria-hidden="true">{KIND_ICON.freeze} </span>
                                {event.title}
                              </span>
                            ) : (
                              <Link href={`/deliverables/${event.deliverableId}`}>
                                <span className="visually-hidden">{KIND_LABEL[event.kind]}: </span>
                                <span aria-hidden="true">
                                  {conflicts.has(event.id) ? '⚠ ' : `${KIND_ICON[event.kind]} `}
                                </span>
                                {conflicts.has(event.id) ? (
                                  <span className="visually-hidden">(conflict) </span>
                                ) : null}
                                {view === 'week' && event.kind === 'window'
                                  ? `${event.start.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })} `
                                  : ''}
                                {event.title}
                              </Link>
                            )}
                          </li>
                        ))}
                        {items.length > 4 && view === 'month' ? (
                          <li className="small">
                            <Link href={weekOf(key)}>
                              +{items.length - 4} more
                              <span className="visually-hidden"> on {day.toDateString()}</span>
                            </Link>
                          </li>
                        ) : null}
                      </ul>
                    </section>
                  );
                })}
              </div>
            </>
          );
        }}
      </Loaded>
      <p className="small muted">
        {app.lens === 'pmo' ? 'Stage plan and schedule' : 'Forward schedule of change'}: times in your time
        zone.
      </p>
    </div>
  );
}
