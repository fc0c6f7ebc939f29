// The PMO board: every deliverable in a column per status (in the reader's words), overdue and blocked
// first, readiness progress on each card; filters by project and service live in the URL. It reads every
// page of GET /v1/deliverables (500 at a time) and renders a bounded number of cards per column ("Show
// more"), so 2,000 deliverables stay quick. Live events update the cards shown in place and count arrivals.
import { useEffect, useMemo, useRef, useState } from 'react';
import { allPages, api, ifMatch, ok } from '../api/client';
import type { Deliverable, Status } from '../api/types';
import { byId, useProjects, useServices } from '../catalogue/catalogue-data';
import { byUrgency, isBlocked, isOverdue, readinessCount, waitingFor } from '../deliverable/summary';
import { Link, navigate, setQuery, useLocation } from '../lib/router';
import { prime } from '../lib/store';
import { formatDate } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useLiveEvents } from '../live/live';
import { useApp } from '../shell/app-context';
import { Loading, ProblemMessage, Progress, SelectField, Term, TextField } from '../ui/components';
import { DeliverableForm } from './deliverable-form';

const FIRST = 20;
const MORE = 50;
const ORDER: Status[] = [
  'draft',
  'readiness',
  'acceptance',
  'rework',
  'approved',
  'scheduled',
  'early_life_support',
  'els_review',
  'on_hold',
  'operational',
  'cancelled',
  'rejected',
];

export function BoardPage() {
  const app = useApp();
  const { query } = useLocation();
  const projectId = query.get('project') ?? '';
  const serviceId = query.get('service') ?? '';
  const search = query.get('q') ?? '';
  const [items, setItemsState] = useState<Deliverable[] | null>(null);
  const itemsRef = useRef<Deliverable[] | null>(null);
  const setItems = (next: Deliverable[] | null) => {
    itemsRef.current = next;
    setItemsState(next);
  };
  const [loaded, setLoaded] = useState(0);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [arrivals, setArrivals] = useState<Deliverable[]>([]);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Record<string, number>>({});
  const [hideFinal, setHideFinal] = useState(true);
  const projects = useProjects();
  const services = useServices();
  const projectById = useMemo(() => byId(projects.data), [projects.data]);
  const serviceById = useMemo(() => byId(services.data), [services.data]);

  useEffect(() => {
    document.title = 'Board · Baton';
  }, []);

  const load = () => {
    let cancelled = false;
    setError(null);
    setItems(null);
    setLoaded(0);
    setComplete(false);
    setArrivals([]);
    allPages<Deliverable>(
      (cursor) =>
        ok(
          api.GET('/v1/deliverables', {
            params: {
              query: {
                // A small first page shows the board at once; the rest comes 500 at a time behind it.
                limit: cursor ? 500 : 100,
                cursor,
                ...(projectId ? { projectId } : {}),
                ...(serviceId ? { serviceId } : {}),
              },
            },
          }),
        ),
      (sofar) => {
        if (cancelled) return;
        setLoaded(sofar.length);
        setItems([...sofar]);
      },
    ).then(
      (all) => {
        if (cancelled) return;
        setItems(all);
        setComplete(true);
      },
      (caught: unknown) => !cancelled && setError(caught),
    );
    return () => {
      cancelled = true;
    };
  };
  useEffect(load, [projectId, serviceId]);

  // Live: a card shown is replaced in place; a deliverable not on the board yet is an arrival.
  useLiveEvents((event) => {
    const id = event.deliverableId;
    if (!id || !itemsRef.current) return;
    void ok(api.GET('/v1/deliverables/{id}', { params: { path: { id } } })).then(
      (fresh) => {
        const current = itemsRef.current;
        if (!current) return;
        if ((projectId && fresh.projectId !== projectId) || (serviceId && fresh.serviceId !== serviceId))
          return;
        if (current.some((item) => item.id === id))
          setItems(current.map((item) => (item.id === id ? fresh : item)));
        else setArrivals((list) => [fresh, ...list.filter((item) => item.id !== id)]);
      },
      () => undefined,
    );
  });

  const columns = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const groups = new Map<string, Deliverable[]>(ORDER.map((status) => [status, []]));
    const now = Date.now();
    for (const item of items ?? []) {
      if (needle && !item.title.toLowerCase().includes(needle)) continue;
      const list = groups.get(item.status) ?? [];
      list.push(item);
      groups.set(item.status, list);
    }
    for (const list of groups.values()) list.sort((a, b) => byUrgency(a, b, now));
    return groups;
  }, [items, search]);

  const final = new Set(['operational', 'cancelled', 'rejected']);
  const total = items?.length ?? 0;
  const matching = [...columns.values()].reduce((sum, list) => sum + list.length, 0);

  return (
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1>Board</h1>
          <p className="muted">
            {items ? `${matching} of ${total} deliverables` : 'Every deliverable by status'} · overdue and
            blocked first in each column
          </p>
        </div>
        {app.has('pmo') ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setCreating(!creating)}
            aria-expanded={creating}
          >
            New deliverable
          </button>
        ) : null}
      </div>
      {creating ? (
        <DeliverableForm
          defaults={{ projectId, serviceId }}
          onCancel={() => setCreating(false)}
          onDone={(created) => {
            setCreating(false);
            setItems([created, ...(itemsRef.current ?? [])]);
            navigate(`/deliverables/${created.id}`);
          }}
        />
      ) : null}
      <div className="filters" role="search" aria-label="Filter the board">
        <SelectField
          label="Project"
          value={projectId}
          onChange={(event) => setQuery({ project: event.target.value })}
          options={[
            { value: '', label: 'All projects' },
            ...(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` })),
          ]}
        />
        <SelectField
          label="Service"
          value={serviceId}
          onChange={(event) => setQuery({ service: event.target.value })}
          options={[
            { value: '', label: 'All services' },
            ...(services.data ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
        <TextField
          label="Search by title"
          type="search"
          value={search}
          onChange={(event) => setQuery({ q: event.target.value })}
        />
        <label className="toggle">
          <input
            type="checkbox"
            checked={!hideFinal}
            onChange={(event) => setHideFinal(!event.target.checked)}
          />
          Show closed columns
        </label>
      </div>
      {arrivals.length > 0 ? (
        <div className="banner banner-info" role="status">
          <span>
            {arrivals.length} new deliverable{arrivals.length === 1 ? '' : 's'} since you opened the board.
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setItems([...arrivals, ...(itemsRef.current ?? [])]);
              setArrivals([]);
            }}
          >
            Show {arrivals.length} new
          </button>
        </div>
      ) : null}
      <ProblemMessage
        error={error}
        action={
          <button type="button" className="button" onClick={load}>
            Try again
          </button>
        }
      />
      {!items && !error ? (
        <Loading what={loaded > 0 ? `deliverables (${loaded} so far)` : 'deliverables'} />
      ) : null}
      {items ? (
        items.length === 0 && complete ? (
          <div className="empty">
            <p className="empty-title">
              No deliverables {projectId || serviceId ? 'match these filters' : 'yet'}
            </p>
            <p className="empty-body">
              {app.has('pmo')
                ? 'Create one with “New deliverable”: it starts as a draft that you can edit, then submit for readiness.'
                : 'Project managers create deliverables; they show here as soon as they do.'}
            </p>
          </div>
        ) : (
          <div className="board" aria-label="Deliverables by status">
            {ORDER.filter((status) => !(hideFinal && final.has(status))).map((status) => {
              const list = columns.get(status) ?? [];
              const limit = shown[status] ?? FIRST;
              return (
                <section key={status} className={`column column-${status}`} aria-labelledby={`col-${status}`}>
                  <h2 className="column-head" id={`col-${status}`}>
                    <Term words={app.status(status)} />
                    <span className="count" aria-label={`${list.length} deliverables`}>
                      {list.length}
                    </span>
                  </h2>
                  <ul className="cards">
                    {list.slice(0, limit).map((item) => (
                      <Card
                        key={item.id}
                        item={item}
                        project={projectById.get(item.projectId)?.key}
                        service={serviceById.get(item.serviceId)?.name}
                        onChange={(fresh) =>
                          setItems((itemsRef.current ?? []).map((x) => (x.id === fresh.id ? fresh : x)))
                        }
                      />
                    ))}
                  </ul>
                  {list.length > limit ? (
                    <button
                      type="button"
                      className="button button-small button-block"
                      onClick={() => setShown({ ...shown, [status]: limit + MORE })}
                    >
                      Show more ({list.length - limit} more)
                    </button>
                  ) : null}
                  {list.length === 0 ? <p className="column-empty">None</p> : null}
                </section>
              );
            })}
          </div>
        )
      ) : null}
    </div>
  );
}

function Card({
  item,
  project,
  service,
  onChange,
}: {
  item: Deliverable;
  project?: string;
  service?: string;
  onChange: (fresh: Deliverable) => void;
}) {
  const counts = readinessCount(item.readiness.criteria);
  const overdue = isOverdue(item);
  const blocked = isBlocked(item);
  const waiting = waitingFor(item);
  const action = useAction();
  const run = (which: 'submit' | 'resubmit') =>
    void action.run(async () => {
      const fresh = await ok(
        which === 'submit'
          ? api.POST('/v1/deliverables/{id}/submit', {
              params: { path: { id: item.id }, header: ifMatch(item.version) },
              body: {},
            })
          : api.POST('/v1/deliverables/{id}/resubmit', {
              params: { path: { id: item.id }, header: ifMatch(item.version) },
              body: {},
            }),
      );
      prime(`deliverable:${item.id}`, fresh);
      onChange(fresh);
    });
  return (
    <li className={`card deliverable-card ${overdue ? 'is-overdue' : ''} ${blocked ? 'is-blocked' : ''}`}>
      <Link href={`/deliverables/${item.id}`} className="card-title">
        {item.title}
      </Link>
      <p className="card-meta">
        {project ? <span>{project}</span> : null}
        {service ? <span>{service}</span> : null}
        <span>Go-live {formatDate(item.targetGoLive)}</span>
      </p>
      <div className="flags">
        {overdue ? (
          <span className="flag flag-overdue">
            <span aria-hidden="true">⚠ </span>Overdue
          </span>
        ) : null}
        {item.conflicts.length > 0 ? (
          <span className="flag flag-blocked">
            <span aria-hidden="true">⚠ </span>In a change freeze
          </span>
        ) : null}
        {blocked ? (
          <span className="flag flag-blocked">
            <span aria-hidden="true">⊘ </span>
            {item.status === 'on_hold'
              ? 'On hold'
              : item.status === 'rework'
                ? 'Sent back'
                : `Blocked: ${counts.failed} failed`}
          </span>
        ) : null}
      </div>
      {counts.total > 0 ? (
        <Progress done={counts.done} total={counts.total} label={`Readiness of ${item.title}`} />
      ) : null}
      {waiting ? <p className="card-waiting small">{waiting}</p> : null}
      {item.allowedActions.includes('submit') || item.allowedActions.includes('resubmit') ? (
        <div className="card-actions">
          {item.allowedActions.includes('submit') ? (
            <button
              type="button"
              className="button button-small"
              disabled={action.busy}
              onClick={() => run('submit')}
            >
              Submit for readiness<span className="visually-hidden">: {item.title}</span>
            </button>
          ) : null}
          {item.allowedActions.includes('resubmit') ? (
            <button
              type="button"
              className="button button-small"
              disabled={action.busy}
              onClick={() => run('resubmit')}
            >
              Resubmit<span className="visually-hidden">: {item.title}</span>
            </button>
          ) : null}
          {item.allowedActions.includes('edit') ? (
            <Link className="button button-small button-ghost" href={`/deliverables/${item.id}?edit=1`}>
              Edit<span className="visually-hidden">: {item.title}</span>
            </Link>
          ) : null}
        </div>
      ) : null}
      <ProblemMessage error={action.error} />
    </li>
  );
}
