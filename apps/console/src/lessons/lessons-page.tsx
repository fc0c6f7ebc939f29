// The continual improvement register: every lesson learned on any deliverable, newest first, narrowed by
// project, service and words; the filters live in the address so a search can be shared.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import type { RegisterLesson } from '../api/types';
import { useProjects, useServices } from '../catalogue/catalogue-data';
import { fieldErrorsOf } from '../lib/problem';
import { Link, setQuery, useLocation } from '../lib/router';
import { useResource } from '../lib/store';
import { formatDateTime, relative } from '../lib/time';
import { useApp } from '../shell/app-context';
import { usePrincipalName } from '../shell/principal-names';
import { Empty, Loaded, ProblemMessage, SelectField, StatusBadge, Term, TextField } from '../ui/components';

const PAGE = 50;

interface RegisterPage {
  items: RegisterLesson[];
  nextCursor: string | null;
}

export function LessonsPage() {
  const app = useApp();
  const { query } = useLocation();
  const projectId = query.get('projectId') ?? '';
  const serviceId = query.get('serviceId') ?? '';
  const q = query.get('q') ?? '';
  const [words, setWords] = useState(q);
  const projects = useProjects();
  const services = useServices();
  useEffect(() => {
    document.title = 'Lessons learned · Baton';
  }, []);
  useEffect(() => setWords(q), [q]);
  const filters = {
    limit: PAGE,
    ...(projectId ? { projectId } : {}),
    ...(serviceId ? { serviceId } : {}),
    ...(q ? { q } : {}),
  };
  const first = useResource<RegisterPage>(`lessons?${new URLSearchParams(filters as never).toString()}`, () =>
    ok(api.GET('/v1/lessons', { params: { query: filters } })),
  );
  // A search the server cannot run (nothing to find in it, say) is said at the field, in its words.
  const wordsError = fieldErrorsOf(first.error).q;
  const search = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ q: words.trim() });
  };
  const filtered = Boolean(projectId || serviceId || q);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>
            <Term words={app.term('lessons', 'Lessons learned')} />
          </h1>
          <p className="muted">
            The continual improvement register: what every handover taught, from early life support on, for
            the next project to read before it starts.
          </p>
        </div>
      </div>
      <form className="filters" role="search" aria-label="Lessons" onSubmit={search}>
        <TextField
          label="Words"
          type="search"
          value={words}
          maxLength={200}
          placeholder="e.g. load test"
          error={wordsError}
          onChange={(e) => setWords(e.target.value)}
        />
        <SelectField
          label="Project"
          value={projectId}
          onChange={(e) => setQuery({ projectId: e.target.value })}
          options={[
            { value: '', label: 'All projects' },
            ...(projects.data ?? []).map((project) => ({
              value: project.id,
              label: `${project.key} · ${project.name}`,
            })),
          ]}
        />
        <SelectField
          label="Service"
          value={serviceId}
          onChange={(e) => setQuery({ serviceId: e.target.value })}
          options={[
            { value: '', label: 'All services' },
            ...(services.data ?? []).map((service) => ({ value: service.id, label: service.name })),
          ]}
        />
        <div className="row filters-buttons">
          <button type="submit" className="button button-primary">
            Search
          </button>
          {filtered ? (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setQuery({ q: null, projectId: null, serviceId: null })}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      {wordsError ? null : (
        <Loaded resource={first} what="lessons">
          {(page) =>
            page.items.length === 0 ? (
              <Empty title={filtered ? 'No lesson matches' : 'No lessons yet'}>
                <p>
                  {filtered
                    ? 'Try other words, or all projects and services.'
                    : 'Lessons are recorded on a deliverable from its ELS review on.'}
                </p>
              </Empty>
            ) : (
              <Lessons first={page} filters={filters} />
            )
          }
        </Loaded>
      )}
    </div>
  );
}

/** The first page and those "More" brought; a new search starts again from its first page. */
function Lessons({ first, filters }: { first: RegisterPage; filters: Record<string, string | number> }) {
  const [more, setMore] = useState<RegisterLesson[]>([]);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setMore([]);
    setCursor(first.nextCursor);
  }, [first]);
  const loadMore = async () => {
    if (!cursor) return;
    setBusy(true);
    setError(null);
    try {
      const page = await ok(api.GET('/v1/lessons', { params: { query: { ...filters, cursor } } }));
      setMore((items) => [...items, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const lessons = [...first.items, ...more];
  return (
    <>
      <p className="small muted" role="status">
        {lessons.length} {lessons.length === 1 ? 'lesson' : 'lessons'}
        {cursor ? ' shown, more below' : ''}
      </p>
      <ol className="lessons-register">
        {lessons.map((lesson) => (
          <LessonItem
            key={`${lesson.deliverable.id}-${lesson.at}-${lesson.text.slice(0, 20)}`}
            lesson={lesson}
          />
        ))}
      </ol>
      <ProblemMessage error={error} />
      {cursor ? (
        <button type="button" className="button" disabled={busy} onClick={() => void loadMore()}>
          {busy ? 'Loading…' : 'More lessons'}
        </button>
      ) : null}
    </>
  );
}

function LessonItem({ lesson }: { lesson: RegisterLesson }) {
  const nameOf = usePrincipalName();
  return (
    <li className="card lesson">
      <blockquote className="lesson-text">{lesson.text}</blockquote>
      <div className="lesson-meta small">
        <Link href={`/deliverables/${lesson.deliverable.id}`}>{lesson.deliverable.title}</Link>
        <StatusBadge status={lesson.deliverable.status} />
        <span>
          {lesson.project.key} · {lesson.project.name}
        </span>
        <span>{lesson.service.name}</span>
        <span className="muted">
          {nameOf(lesson.recordedBy)},{' '}
          <time dateTime={lesson.at} title={formatDateTime(lesson.at)}>
            {relative(lesson.at)}
          </time>
        </span>
      </div>
    </li>
  );
}
