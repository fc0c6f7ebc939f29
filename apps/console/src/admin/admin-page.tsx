// Admin (admin role only): principals and their tokens, policies per tier, checklist templates with their
// versions side by side, webhooks with deliveries and dead letters, and the queue dashboard.
import { useEffect, useState, type FormEvent } from 'react';
import { getToken } from '../auth/session';
import { allPages, api, ok } from '../api/client';
import type {
  Policy,
  PolicyRequest,
  Principal,
  PrincipalWithToken,
  Webhook,
  WebhookEventType,
} from '../api/types';
import { humanize } from '../lib/lens';
import { fieldErrorsOf } from '../lib/problem';
import { Link } from '../lib/router';
import { refresh, useResource } from '../lib/store';
import { durationWords, formatDateTime } from '../lib/time';
import { useAction } from '../lib/use-action';
import { useApp } from '../shell/app-context';
import { Empty, FormButtons, Loaded, ProblemMessage, TextField } from '../ui/components';
import { DelegationsPanel } from '../out-of-office/delegations-panel';
import { ChecklistsSection } from './checklists-section';

const SECTIONS = [
  { key: 'principals', label: 'Principals' },
  { key: 'policies', label: 'Policies' },
  { key: 'checklists', label: 'Checklists' },
  { key: 'webhooks', label: 'Webhooks' },
] as const;

export function AdminPage({ section }: { section: string }) {
  const app = useApp();
  useEffect(() => {
    document.title = 'Admin · Baton';
  }, []);
  if (!app.has('admin'))
    return (
      <div className="page">
        <h1>Admin</h1>
        <p>This page is for admins. Your roles: {app.me.roles.join(', ')}.</p>
      </div>
    );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Admin</h1>
        <QueuesLink />
      </div>
      <nav aria-label="Admin sections" className="tabs">
        <ul>
          {SECTIONS.map((item) => (
            <li key={item.key}>
              <Link href={`/admin/${item.key}`} aria-current={section === item.key ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'principals' ? <PrincipalsSection /> : null}
      {section === 'policies' ? <PoliciesSection /> : null}
      {section === 'checklists' ? <ChecklistsSection /> : null}
      {section === 'webhooks' ? <WebhooksSection /> : null}
      {!SECTIONS.some((item) => item.key === section) ? <p>No such admin section.</p> : null}
    </div>
  );
}

/** The queue dashboard (bull-board) is served by Baton behind a short-lived admin cookie. */
function QueuesLink() {
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setError(null);
    // Opened first, in the click, so the browser does not block it as a pop-up.
    const tab = window.open('about:blank', '_blank');
    try {
      const response = await fetch('/v1/admin/queues/session', {
        method: 'POST',
        headers: { Authorization: `Bearer ${getToken() ?? ''}` },
      });
      if (!response.ok) throw new Error(`Baton answered ${response.status}`);
      if (tab) tab.location.href = '/admin/queues';
      else window.location.assign('/admin/queues');
    } catch (caught) {
      tab?.close();
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <div>
      <button type="button" className="button" onClick={() => void open()}>
        Queues <span aria-hidden="true">↗</span>
      </button>
      {error ? (
        <p className="field-error" role="alert">
          The queue dashboard could not be opened: {error}
        </p>
      ) : null}
    </div>
  );
}

const loadPrincipals = () =>
  allPages<Principal>((cursor) =>
    ok(api.GET('/v1/principals', { params: { query: { limit: 500, cursor } } })),
  );

function TokenOnce({ token, name, onClose }: { token: string; name: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="alert alert-success token-once" role="status">
      <p className="alert-title">The token of {name}: shown this once</p>
      <p className="small">
        Copy it now and hand it over safely: Baton keeps only its hash and cannot show it again.
      </p>
      <div className="row">
        <code className="token" aria-label="Token">
          {token}
        </code>
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            void navigator.clipboard.writeText(token).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied ✓' : 'Copy token'}
        </button>
        <button type="button" className="button button-small button-ghost" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

const COMMON_ROLES = ['pmo', 'smo', 'admin', 'service_owner', 'change_manager', 'operations', 'security'];

function PrincipalsSection() {
  const principals = useResource('principals', loadPrincipals);
  const [shown, setShown] = useState<PrincipalWithToken | null>(null);
  /** The principal whose delegations (out of office) are open below the table. */
  const [away, setAway] = useState<Principal | null>(null);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>(['pmo']);
  const [other, setOther] = useState('');
  const [email, setEmail] = useState('');
  const create = useAction();
  const row = useAction();
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const all = [...roles, ...other.split(/[\s,]+/).filter(Boolean)];
    void create.run(async () => {
      const created = await ok(
        api.POST('/v1/principals', { body: { name: name.trim(), roles: all, email: email.trim() || null } }),
      );
      setShown(created);
      setName('');
      setOther('');
      setEmail('');
      refresh('principals');
    });
  };
  return (
    <section aria-labelledby="principals-title">
      <h2 id="principals-title">Principals</h2>
      {shown?.token ? (
        <TokenOnce token={shown.token} name={shown.name} onClose={() => setShown(null)} />
      ) : null}
      <form className="card form-card" onSubmit={submit} noValidate aria-label="New principal">
        <h3 className="h4">New principal</h3>
        <div className="grid-2">
          <TextField
            label="Name"
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.target.value)}
          />
          <TextField
            label="E-mail (optional)"
            type="email"
            value={email}
            error={errors.email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <fieldset className="checks-row">
          <legend>Roles</legend>
          {COMMON_ROLES.map((role) => (
            <label key={role}>
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) =>
                  setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))
                }
              />{' '}
              {humanize(role)}
            </label>
          ))}
        </fieldset>
        <TextField
          label="Other approver roles (optional)"
          value={other}
          hint="lower_snake_case, separated by commas"
          error={errors.roles}
          onChange={(e) => setOther(e.target.value)}
        />
        <ProblemMessage error={create.error} />
        <button type="submit" className="button button-primary" disabled={create.busy}>
          Create principal
        </button>
      </form>
      <ProblemMessage error={row.error} />
      <Loaded resource={principals} what="principals">
        {(list) => (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Principals</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Created</th>
                    <th scope="col">State</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((principal) => (
                    <tr key={principal.id}>
                      <td>
                        {principal.name}
                        {principal.email ? <div className="small muted">{principal.email}</div> : null}
                      </td>
                      <td>{principal.roles.map(humanize).join(', ')}</td>
                      <td>{formatDateTime(principal.createdAt)}</td>
                      <td>
                        {principal.revoked
                          ? `Revoked ${formatDateTime(principal.revokedAt)}`
                          : principal.oidc
                            ? 'Signs in with SSO'
                            : 'Active'}
                      </td>
                      <td className="actions-cell">
                        {principal.revoked ? null : (
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={away?.id === principal.id}
                            onClick={() => setAway(away?.id === principal.id ? null : principal)}
                          >
                            Out of office<span className="visually-hidden"> of {principal.name}</span>
                          </button>
                        )}
                        {principal.revoked || principal.oidc ? null : (
                          <>
                            <button
                              type="button"
                              className="button button-small"
                              disabled={row.busy}
                              onClick={() =>
                                void row.run(async () => {
                                  const rotated = await ok(
                                    api.POST('/v1/principals/{id}/token', {
                                      params: { path: { id: principal.id } },
                                      body: {},
                                    }),
                                  );
                                  setShown(rotated);
                                })
                              }
                            >
                              Rotate token<span className="visually-hidden"> of {principal.name}</span>
                            </button>
                            <button
                              type="button"
                              className="button button-small button-danger-ghost"
                              disabled={row.busy}
                              onClick={() => {
                                if (
                                  !window.confirm(
                                    `Revoke ${principal.name}? Its token stops working at once.`,
                                  )
                                )
                                  return;
                                void row.run(async () => {
                                  await ok(
                                    api.DELETE('/v1/principals/{id}', {
                                      params: { path: { id: principal.id } },
                                    }),
                                  );
                                  refresh('principals');
                                });
                              }}
                            >
                              Revoke<span className="visually-hidden"> {principal.name}</span>
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {away ? (
              <section className="card section away-panel" aria-labelledby="away-title">
                <div className="section-head">
                  <h3 id="away-title" className="h3">
                    Out of office: {away.name}
                  </h3>
                  <button
                    type="button"
                    className="button button-small button-ghost"
                    onClick={() => setAway(null)}
                  >
                    Close
                  </button>
                </div>
                <DelegationsPanel key={away.id} principal={away} directory={list} />
              </section>
            ) : null}
          </>
        )}
      </Loaded>
    </section>
  );
}

function PoliciesSection() {
  const policies = useResource('policies', () => ok(api.GET('/v1/policies')));
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Policies per service tier</h2>
      <Loaded resource={policies} what="policies">
        {(page) => (
          <div className="policy-grid">
            {page.items.map((policy) => (
              <article className="card section" key={policy.tier} aria-labelledby={`policy-${policy.tier}`}>
                <div className="section-head">
                  <h3 id={`policy-${policy.tier}`}>
                    Tier {policy.tier}{' '}
                    <span className="tag">{policy.source === 'default' ? 'Built-in default' : 'Custom'}</span>
                  </h3>
                  <button
                    type="button"
                    className="button button-small"
                    aria-expanded={editing === policy.tier}
                    onClick={() => setEditing(editing === policy.tier ? null : policy.tier)}
                  >
                    Edit<span className="visually-hidden"> tier {policy.tier} policy</span>
                  </button>
                </div>
                {editing === policy.tier ? (
                  <PolicyForm policy={policy} onDone={() => setEditing(null)} />
                ) : (
                  <PolicyFacts policy={policy} />
                )}
              </article>
            ))}
          </div>
        )}
      </Loaded>
    </section>
  );
}

function PolicyFacts({ policy }: { policy: Policy }) {
  const gate = (g: Policy['acceptance']) =>
    `${g.roles.map(humanize).join(', ')} · quorum ${g.quorum} · SLA ${durationWords(g.decisionSla)}`;
  return (
    <dl className="facts">
      <div>
        <dt>Acceptance gate</dt>
        <dd>{gate(policy.acceptance)}</dd>
      </div>
      <div>
        <dt>ELS exit gate</dt>
        <dd>{gate(policy.elsExit)}</dd>
      </div>
      <div>
        <dt>ELS duration</dt>
        <dd>
          {durationWords(policy.elsDuration)}, follow-up every {durationWords(policy.elsFollowUpEvery)}
        </dd>
      </div>
      <div>
        <dt>ELS exit allows open</dt>
        <dd>
          {policy.elsExitMaxOpenIncidents.P1} P1, {policy.elsExitMaxOpenIncidents.P2} P2
        </dd>
      </div>
      <div>
        <dt>ELS exit needs action owners</dt>
        <dd>{policy.elsExitRequiresActionOwners === false ? 'no' : 'yes: every open follow-on action'}</dd>
      </div>
      <div>
        <dt>Readiness reminders</dt>
        <dd>
          {policy.readinessReminders.length
            ? policy.readinessReminders.map((r) => `${durationWords(r)} before`).join(', ')
            : 'none'}
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>{formatDateTime(policy.updatedAt)}</dd>
      </div>
    </dl>
  );
}

const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function PolicyForm({ policy, onDone }: { policy: Policy; onDone: () => void }) {
  const action = useAction();
  const [f, setF] = useState({
    aRoles: policy.acceptance.roles.join(', '),
    aQuorum: String(policy.acceptance.quorum),
    aSla: policy.acceptance.decisionSla,
    eRoles: policy.elsExit.roles.join(', '),
    eQuorum: String(policy.elsExit.quorum),
    eSla: policy.elsExit.decisionSla,
    elsDuration: policy.elsDuration,
    elsFollowUpEvery: policy.elsFollowUpEvery,
    p1: String(policy.elsExitMaxOpenIncidents.P1),
    p2: String(policy.elsExitMaxOpenIncidents.P2),
    reminders: policy.readinessReminders.join(', '),
  });
  const [ownersRequired, setOwnersRequired] = useState(policy.elsExitRequiresActionOwners !== false);
  const set = (key: keyof typeof f) => (event: { target: { value: string } }) =>
    setF({ ...f, [key]: event.target.value });
  const errors = fieldErrorsOf(action.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: PolicyRequest = {
      acceptance: { roles: list(f.aRoles), quorum: Number(f.aQuorum), decisionSla: f.aSla.trim() },
      elsExit: { roles: list(f.eRoles), quorum: Number(f.eQuorum), decisionSla: f.eSla.trim() },
      elsDuration: f.elsDuration.trim(),
      elsFollowUpEvery: f.elsFollowUpEvery.trim(),
      elsExitMaxOpenIncidents: { P1: Number(f.p1), P2: Number(f.p2) },
      readinessReminders: list(f.reminders),
      // Not edited here: kept as they are rather than dropped by a save.
      ...(policy.freezeOverrideRoles ? { freezeOverrideRoles: policy.freezeOverrideRoles } : {}),
      elsExitRequiresActionOwners: ownersRequired,
    };
    void action.run(async () => {
      await ok(api.PUT('/v1/policies/{tier}', { params: { path: { tier: policy.tier } }, body }));
      refresh('policies');
      refresh(`policy:${policy.tier}`);
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit tier ${policy.tier} policy`}>
      <p className="small muted">Durations are ISO 8601: P7D is 7 days, PT4H 4 hours.</p>
      <div className="grid-3">
        <TextField
          label="Acceptance roles"
          value={f.aRoles}
          error={errors['acceptance.roles']}
          onChange={set('aRoles')}
        />
        <TextField
          label="Acceptance quorum"
          type="number"
          min={1}
          value={f.aQuorum}
          error={errors['acceptance.quorum']}
          onChange={set('aQuorum')}
        />
        <TextField
          label="Acceptance decision SLA"
          value={f.aSla}
          error={errors['acceptance.decisionSla']}
          onChange={set('aSla')}
        />
        <TextField
          label="ELS exit roles"
          value={f.eRoles}
          error={errors['elsExit.roles']}
          onChange={set('eRoles')}
        />
        <TextField
          label="ELS exit quorum"
          type="number"
          min={1}
          value={f.eQuorum}
          error={errors['elsExit.quorum']}
          onChange={set('eQuorum')}
        />
        <TextField
          label="ELS exit decision SLA"
          value={f.eSla}
          error={errors['elsExit.decisionSla']}
          onChange={set('eSla')}
        />
        <TextField
          label="ELS duration"
          value={f.elsDuration}
          error={errors.elsDuration}
          onChange={set('elsDuration')}
        />
        <TextField
          label="ELS follow-up every"
          value={f.elsFollowUpEvery}
          error={errors.elsFollowUpEvery}
          onChange={set('elsFollowUpEvery')}
        />
        <TextField
          label="Readiness reminders (before go-live)"
          value={f.reminders}
          error={errors.readinessReminders}
          onChange={set('reminders')}
        />
        <TextField
          label="Open P1 allowed at ELS exit"
          type="number"
          min={0}
          value={f.p1}
          error={errors['elsExitMaxOpenIncidents.P1']}
          onChange={set('p1')}
        />
        <TextField
          label="Open P2 allowed at ELS exit"
          type="number"
          min={0}
          value={f.p2}
          error={errors['elsExitMaxOpenIncidents.P2']}
          onChange={set('p2')}
        />
      </div>
      <label className="toggle">
        <input
          type="checkbox"
          checked={ownersRequired}
          onChange={(e) => setOwnersRequired(e.target.checked)}
        />{' '}
        ELS exit needs an owner for every open follow-on action
      </label>
      <ProblemMessage error={action.error} />
      <FormButtons submit="Save policy" busy={action.busy} onCancel={onDone} />
    </form>
  );
}

// Every event type the API accepts, and the compiler says when one is added (a key missing here fails).
const EVENT_TYPE_SET: Record<WebhookEventType, true> = {
  '*': true,
  'deliverable.status_changed': true,
  'deliverable.updated': true,
  'schedule.conflict': true,
  'criterion.expired': true,
  'els.extended': true,
  'reminder.readiness': true,
  'reminder.decision_overdue': true,
  'reminder.decision_escalation': true,
  'reminder.action_due': true,
  'els.follow_up': true,
  'delegation.created': true,
  'delegation.revoked': true,
  'action.created': true,
  'action.closed': true,
};
const EVENT_TYPES = Object.keys(EVENT_TYPE_SET) as WebhookEventType[];

function WebhooksSection() {
  const webhooks = useResource('webhooks', () =>
    allPages<Webhook>((cursor) => ok(api.GET('/v1/webhooks', { params: { query: { limit: 500, cursor } } }))),
  );
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['*']);
  const [secret, setSecret] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const create = useAction();
  const remove = useAction();
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run(async () => {
      await ok(api.POST('/v1/webhooks', { body: { url: url.trim(), events, secret } }));
      setUrl('');
      setSecret('');
      refresh('webhooks');
    });
  };
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <form className="card form-card" onSubmit={submit} noValidate aria-label="New webhook">
        <h3 className="h4">New webhook</h3>
        <div className="grid-2">
          <TextField
            label="URL"
            type="url"
            value={url}
            error={errors.url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <TextField
            label="Secret"
            type="password"
            value={secret}
            error={errors.secret}
            hint="At least 16 characters; signs each delivery (HMAC-SHA256), never shown again"
            onChange={(e) => setSecret(e.target.value)}
          />
        </div>
        <fieldset className="checks-row">
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) =>
                  setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))
                }
              />{' '}
              {type === '*' ? 'Every event' : type}
            </label>
          ))}
        </fieldset>
        {errors.events ? <p className="field-error">{errors.events}</p> : null}
        <ProblemMessage error={create.error} />
        <button type="submit" className="button button-primary" disabled={create.busy}>
          Create webhook
        </button>
      </form>
      <ProblemMessage error={remove.error} />
      <Loaded resource={webhooks} what="webhooks">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No webhooks">
              <p>
                Subscribe chat, ITSM or CI/CD to Baton's events: every status change, reminder and escalation
                is signed and retried.
              </p>
            </Empty>
          ) : (
            <ul className="plain-list">
              {items.map((hook) => (
                <li key={hook.id} className="card section">
                  <div className="section-head">
                    <div>
                      <p className="mono">{hook.url}</p>
                      <p className="small muted">
                        {hook.events.join(', ')} · since {formatDateTime(hook.createdAt)}
                      </p>
                    </div>
                    <div className="row">
                      <button
                        type="button"
                        className="button button-small"
                        aria-expanded={open === hook.id}
                        onClick={() => setOpen(open === hook.id ? null : hook.id)}
                      >
                        Deliveries<span className="visually-hidden"> of {hook.url}</span>
                      </button>
                      <button
                        type="button"
                        className="button button-small button-danger-ghost"
                        onClick={() => {
                          if (
                            !window.confirm(
                              `Delete the webhook to ${hook.url}? Pending deliveries are dropped.`,
                            )
                          )
                            return;
                          void remove.run(async () => {
                            await ok(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } }));
                            refresh('webhooks');
                          });
                        }}
                      >
                        Delete<span className="visually-hidden"> webhook {hook.url}</span>
                      </button>
                    </div>
                  </div>
                  {open === hook.id ? <Deliveries id={hook.id} /> : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function Deliveries({ id }: { id: string }) {
  const deliveries = useResource(`deliveries:${id}`, () =>
    ok(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } })),
  );
  const [deadOnly, setDeadOnly] = useState(false);
  return (
    <Loaded resource={deliveries} what="deliveries">
      {(page) => {
        const rows = page.items.filter((d) => !deadOnly || d.status === 'dead');
        const dead = page.items.filter((d) => d.status === 'dead').length;
        return (
          <div>
            <div className="row">
              <label className="toggle">
                <input type="checkbox" checked={deadOnly} onChange={(e) => setDeadOnly(e.target.checked)} />
                Dead letters only ({dead})
              </label>
              <button
                type="button"
                className="button button-small button-ghost"
                onClick={() => void deliveries.reload()}
              >
                Refresh
              </button>
            </div>
            {rows.length === 0 ? (
              <p className="muted">{deadOnly ? 'No dead letters.' : 'No deliveries yet.'}</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">Deliveries</caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">State</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last answer</th>
                      <th scope="col">When</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((d) => (
                      <tr key={d.id}>
                        <td>
                          {d.eventType}
                          {d.deliverableId ? (
                            <div className="small">
                              <Link href={`/deliverables/${d.deliverableId}`}>deliverable</Link>
                            </div>
                          ) : null}
                          {d.requestId ? (
                            <div
                              className="small muted"
                              title="Its X-Request-Id: the same id is on the api's and the worker's log lines of that work"
                            >
                              request <code>{d.requestId}</code>
                            </div>
                          ) : null}
                        </td>
                        <td>
                          <span className={`delivery delivery-${d.status}`}>
                            {d.status === 'dead' ? 'Dead letter' : humanize(d.status)}
                          </span>
                        </td>
                        <td>{d.attempts}</td>
                        <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                        <td>{formatDateTime(d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        );
      }}
    </Loaded>
  );
}
