// One deliverable, everything about it: the state diagram, readiness, decisions, go-live, early life
// support, reminders, hold / resume / cancel, and the audit timeline. Buttons follow `allowedActions`;
// live events refresh it; a conflict keeps what the reader typed.
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ifMatch, ok } from '../api/client';
import { byId, useProjects, useServices } from '../catalogue/catalogue-data';
import { DeliverableForm } from '../board/deliverable-form';
import { humanize } from '../lib/lens';
import type { ApiError } from '../lib/problem';
import { Link, setQuery, useLocation } from '../lib/router';
import { prime, refresh, useResource } from '../lib/store';
import { countdown, formatDateTime, relative } from '../lib/time';
import { useApp } from '../shell/app-context';
import { Loaded, ProblemMessage, StatusBadge, Term } from '../ui/components';
import { FollowOnActionsSection, LessonsSection } from './actions-section';
import { DecisionsSection } from './decisions-section';
import { DeliverableContext, useBaseVersion, useCommand, useDeliverable } from './deliverable-context';
import { EvidenceSection } from './evidence-section';
import { ElsSection, GoLiveSection, ReasonForm } from './golive-section';
import { ReadinessSection } from './readiness-section';
import { StateDiagram } from './state-diagram';
import { TimelineSection } from './timeline-section';

export function DeliverablePage({ id }: { id: string }) {
  const resource = useResource(`deliverable:${id}`, () =>
    ok(api.GET('/v1/deliverables/{id}', { params: { path: { id } } })),
  );
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    document.title = `${resource.data?.title ?? 'Deliverable'} · Baton`;
  }, [resource.data?.title]);
  // Every change comes as an event (deliverable.status_changed or deliverable.updated); a light check of the
  // version every 10 s while the tab is in view is the safety net for an event the stream could not give.
  const version = useRef<number | undefined>(undefined);
  version.current = resource.data?.version;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.hidden || version.current === undefined) return;
      void ok(api.GET('/v1/deliverables/{id}', { params: { path: { id } } })).then(
        (fresh) => {
          if (version.current === undefined || fresh.version <= version.current) return;
          prime(`deliverable:${id}`, fresh);
          refresh(`history:${id}`);
          refresh(`reminders:${id}`);
        },
        () => undefined,
      );
    }, 10_000);
    return () => clearInterval(timer);
  }, [id]);
  const state = useMemo(
    () =>
      resource.data
        ? { deliverable: resource.data, epoch, conflict: (error: ApiError) => setConflict(error) }
        : null,
    [resource.data, epoch],
  );
  return (
    <div className="page page-wide">
      <p className="breadcrumb">
        <Link href="/board">Board</Link> <span aria-hidden="true">/</span> Deliverable
      </p>
      <Loaded resource={resource} what="the deliverable">
        {() =>
          state ? (
            <DeliverableContext.Provider value={state}>
              {conflict ? (
                <div className="banner banner-warning" role="alert">
                  <span>
                    <strong>Someone else changed this deliverable meanwhile.</strong> Reload to see their
                    change; what you typed stays in the open forms.
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => {
                      void resource.reload().then(() => {
                        setEpoch((n) => n + 1);
                        setConflict(null);
                      });
                      refresh(`history:${id}`);
                      refresh(`reminders:${id}`);
                    }}
                  >
                    Reload
                  </button>
                </div>
              ) : null}
              <DeliverableView />
            </DeliverableContext.Provider>
          ) : null
        }
      </Loaded>
    </div>
  );
}

/** The edit form, based on the version it was opened on (the fresh one after a Reload). */
function EditForm() {
  const { deliverable, conflict } = useDeliverable();
  const baseVersion = useBaseVersion();
  return (
    <DeliverableForm
      existing={deliverable}
      baseVersion={baseVersion}
      onConflict={conflict}
      onDone={() => setQuery({ edit: null })}
      onCancel={() => setQuery({ edit: null })}
    />
  );
}

/** What the reader has to do comes first: a decision; past acceptance, go-live and early life support. */
const LATER = new Set(['approved', 'scheduled', 'early_life_support', 'els_review', 'operational']);

function DeliverableView() {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const { query } = useLocation();
  const editing = query.get('edit') === '1' && deliverable.allowedActions.includes('edit');
  const projects = useProjects();
  const services = useServices();
  const project = byId(projects.data).get(deliverable.projectId);
  const service = byId(services.data).get(deliverable.serviceId);
  const history = useResource(`history:${deliverable.id}`, () =>
    ok(api.GET('/v1/deliverables/{id}/history', { params: { path: { id: deliverable.id } } })).then(
      (page) => page.items,
    ),
  );
  const reminders = useResource(`reminders:${deliverable.id}`, () =>
    ok(api.GET('/v1/deliverables/{id}/reminders', { params: { path: { id: deliverable.id } } })).then(
      (page) => page.items,
    ),
  );
  const tier = service?.tier;
  const policy = useResource(tier ? `policy:${tier}` : null, () =>
    ok(api.GET('/v1/policies/{tier}', { params: { path: { tier: tier! } } })),
  );

  return (
    <>
      <header className="deliverable-head">
        <div>
          <h1>{deliverable.title}</h1>
          <p className="deliverable-meta">
            <StatusBadge status={deliverable.status} />
            {deliverable.hold ? (
              <span className="small">
                held from <Term words={app.status(deliverable.hold.heldFrom ?? 'draft')} />: “
                {deliverable.hold.reason}”
              </span>
            ) : null}
            {project ? (
              <span title={app.term('project', 'Project').title}>
                Project: {project.key} · {project.name}
              </span>
            ) : null}
            {service ? (
              <span>
                Service: {service.name} (tier {service.tier})
              </span>
            ) : null}
            <span>{humanize(deliverable.changeType)}</span>
            <span>Target go-live {formatDateTime(deliverable.targetGoLive)}</span>
            <span className="muted">Version {deliverable.version}</span>
          </p>
        </div>
        <PrimaryActions />
      </header>
      {editing ? <EditForm /> : null}
      {deliverable.description ? <p className="description">{deliverable.description}</p> : null}
      {app.workflow ? (
        <section className="card section" aria-labelledby="diagram-heading">
          <h2 id="diagram-heading">
            Workflow · now <Term words={app.status(deliverable.status)} />
          </h2>
          <StateDiagram
            workflow={app.workflow}
            current={deliverable.status}
            heldFrom={deliverable.hold?.heldFrom}
          />
        </section>
      ) : null}
      <div className="two-col">
        <div className="col-main">
          {deliverable.allowedActions.includes('decide') ? (
            <>
              <DecisionsSection />
              <ReadinessSection />
              <GoLiveSection />
              <ElsSection policy={policy.data} reminders={reminders.data} />
              <FollowOnActionsSection />
              <LessonsSection />
            </>
          ) : LATER.has(deliverable.status) ? (
            <>
              <ElsSection policy={policy.data} reminders={reminders.data} />
              <FollowOnActionsSection />
              <LessonsSection />
              <GoLiveSection />
              <DecisionsSection />
              <ReadinessSection />
            </>
          ) : (
            <>
              <ReadinessSection />
              <DecisionsSection />
              <GoLiveSection />
              <ElsSection policy={policy.data} reminders={reminders.data} />
              <FollowOnActionsSection />
              <LessonsSection />
            </>
          )}
          <TimelineSection events={history.data} />
          <ProblemMessage error={history.error} />
        </div>
        <aside className="col-side" aria-label="Reminders and details">
          <RemindersCard reminders={reminders.data} criteria={deliverable.readiness.criteria} />
          <section className="card section" aria-labelledby="facts-title">
            <h2 id="facts-title" className="h3">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Created</dt>
                <dd>{formatDateTime(deliverable.createdAt)}</dd>
              </div>
              <div>
                <dt>Updated</dt>
                <dd>{formatDateTime(deliverable.updatedAt)}</dd>
              </div>
              <div>
                <dt>Acceptance round</dt>
                <dd>{deliverable.round}</dd>
              </div>
              <div>
                <dt>Checklist</dt>
                <dd>{deliverable.checklistId ? 'From a template' : 'Baton’s default'}</dd>
              </div>
              <div>
                <dt>You may</dt>
                <dd>
                  {deliverable.allowedActions.length
                    ? deliverable.allowedActions.map(humanize).join(', ')
                    : 'nothing right now'}
                </dd>
              </div>
            </dl>
          </section>
          <EvidenceSection />
        </aside>
      </div>
    </>
  );
}

function PrimaryActions() {
  const { deliverable } = useDeliverable();
  const can = (action: string) => deliverable.allowedActions.includes(action as never);
  const command = useCommand();
  const [reason, setReason] = useState<null | 'hold' | 'cancel'>(null);
  const simple = (
    path: '/v1/deliverables/{id}/submit' | '/v1/deliverables/{id}/resubmit' | '/v1/deliverables/{id}/resume',
  ) =>
    void command.run(() =>
      ok(
        api.POST(path, {
          params: { path: { id: deliverable.id }, header: ifMatch(deliverable.version) },
          body: {},
        }),
      ),
    );
  const any = ['edit', 'submit', 'resubmit', 'hold', 'resume', 'cancel'].some(can);
  if (!any) return null;
  return (
    <div className="head-actions">
      <div className="row">
        {can('edit') ? (
          <button type="button" className="button" onClick={() => setQuery({ edit: '1' })}>
            Edit
          </button>
        ) : null}
        {can('submit') ? (
          <button
            type="button"
            className="button button-primary"
            disabled={command.busy}
            onClick={() => simple('/v1/deliverables/{id}/submit')}
          >
            Submit for readiness
          </button>
        ) : null}
        {can('resubmit') ? (
          <button
            type="button"
            className="button button-primary"
            disabled={command.busy}
            onClick={() => simple('/v1/deliverables/{id}/resubmit')}
          >
            Resubmit
          </button>
        ) : null}
        {can('resume') ? (
          <button
            type="button"
            className="button button-primary"
            disabled={command.busy}
            onClick={() => simple('/v1/deliverables/{id}/resume')}
          >
            Resume
          </button>
        ) : null}
        {can('hold') ? (
          <button
            type="button"
            className="button"
            aria-expanded={reason === 'hold'}
            onClick={() => setReason(reason === 'hold' ? null : 'hold')}
          >
            Hold
          </button>
        ) : null}
        {can('cancel') ? (
          <button
            type="button"
            className="button button-danger-ghost"
            aria-expanded={reason === 'cancel'}
            onClick={() => setReason(reason === 'cancel' ? null : 'cancel')}
          >
            Cancel deliverable
          </button>
        ) : null}
      </div>
      <ProblemMessage error={command.error} />
      {reason ? <ReasonForm kind={reason} onDone={() => setReason(null)} /> : null}
    </div>
  );
}

const REMINDER_WORDS: Record<string, string> = {
  readiness: 'Readiness reminder',
  decision_overdue: 'Decision SLA reminder',
  decision_escalation: 'Decision escalation',
  els_follow_up: 'ELS follow-up',
  els_period_end: 'ELS period ends',
  attestation_expiry: 'Attestation expires',
  action_due: 'Action due',
};

type Reminder = {
  id: string;
  kind: string;
  dueAt: string;
  status: string;
  sentAt: string | null;
  subject?: string;
};

function RemindersCard({
  reminders,
  criteria,
}: {
  reminders: Reminder[] | undefined;
  criteria: { key: string; title: string; expiresAt?: string }[];
}) {
  const byKey = new Map(criteria.map((criterion) => [criterion.key, criterion]));
  // An expiry timer of a pass given again since is still scheduled until it comes due and is dropped: only
  // the current pass's is upcoming.
  const current = (reminder: Reminder) =>
    reminder.kind !== 'attestation_expiry' || byKey.get(reminder.subject ?? '')?.expiresAt === reminder.dueAt;
  const what = (reminder: Reminder) => {
    const words = REMINDER_WORDS[reminder.kind] ?? humanize(reminder.kind);
    const criterion = reminder.kind === 'attestation_expiry' ? byKey.get(reminder.subject ?? '') : undefined;
    return criterion ? `${words}: ${criterion.title}` : words;
  };
  const upcoming = (reminders ?? [])
    .filter((reminder) => reminder.status === 'scheduled' && current(reminder))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const past = (reminders ?? []).filter((reminder) => reminder.status === 'sent').slice(-3);
  return (
    <section className="card section" aria-labelledby="reminders-title">
      <h2 id="reminders-title" className="h3">
        Upcoming reminders
      </h2>
      {!reminders ? <p className="muted">Loading…</p> : null}
      {reminders && upcoming.length === 0 ? <p className="muted">Nothing scheduled.</p> : null}
      <ul className="compact-list">
        {upcoming.map((reminder) => {
          const c = countdown(reminder.dueAt);
          return (
            <li key={reminder.id}>
              <strong>{what(reminder)}</strong>
              <br />
              <span className={`small ${c.overdue ? 'sla-overdue' : ''}`}>
                {formatDateTime(reminder.dueAt)} ({c.overdue ? c.text : relative(reminder.dueAt)})
              </span>
            </li>
          );
        })}
      </ul>
      {past.length > 0 ? (
        <>
          <h3 className="h4">Recently sent</h3>
          <ul className="compact-list small muted">
            {past.map((reminder) => (
              <li key={reminder.id}>
                {what(reminder)} · {reminder.sentAt ? relative(reminder.sentAt) : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
