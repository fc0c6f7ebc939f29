// Go-live and early life support: the window (schedule or move it), confirm, roll back; the ELS incidents
// (record, resolve), the exit criteria against the tier's policy, and the countdown to the period's end.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { Policy, Priority, Reminder } from '../api/types';
import { fieldErrorsOf, freezeConflictsOf } from '../lib/problem';
import { countdown, durationWords, formatDateTime, fromLocalInput, toLocalInput } from '../lib/time';
import { useApp } from '../shell/app-context';
import { FormButtons, ProblemMessage, SelectField, Term, TextArea, TextField } from '../ui/components';
import { useBaseVersion, useCommand, useDeliverable } from './deliverable-context';

export function GoLiveSection() {
  const { deliverable } = useDeliverable();
  const app = useApp();
  const can = (action: string) => deliverable.allowedActions.includes(action as never);
  const window_ = deliverable.goLiveWindow;
  const [scheduling, setScheduling] = useState(false);
  const [rollingBack, setRollingBack] = useState(false);
  const confirm = useCommand();
  return (
    <section className="card section" aria-labelledby="golive-title">
      <h2 id="golive-title">
        Go-live · <Term words={app.term('go-live window', 'Go-live window')} />
      </h2>
      {window_ ? (
        <p>
          Window: <strong>{formatDateTime(window_.start)}</strong> to{' '}
          <strong>{formatDateTime(window_.end)}</strong>
        </p>
      ) : (
        <p className="muted">
          No go-live window yet. Target go-live: {formatDateTime(deliverable.targetGoLive)}.
        </p>
      )}
      <div className="row">
        {can('schedule') ? (
          <button
            type="button"
            className="button"
            aria-expanded={scheduling}
            onClick={() => setScheduling(!scheduling)}
          >
            {window_ ? 'Move the go-live window' : 'Schedule go-live'}
          </button>
        ) : null}
        {can('confirm') ? (
          <button
            type="button"
            className="button button-primary"
            disabled={confirm.busy}
            onClick={() =>
              void confirm.run(() =>
                ok(
                  api.POST('/v1/deliverables/{id}/go-live/confirm', {
                    params: { path: { id: deliverable.id }, header: ifMatch(deliverable.version) },
                    body: {},
                  }),
                ),
              )
            }
          >
            Confirm go-live
          </button>
        ) : null}
        {can('rollback') ? (
          <button
            type="button"
            className="button button-danger"
            aria-expanded={rollingBack}
            onClick={() => setRollingBack(!rollingBack)}
          >
            Roll back
          </button>
        ) : null}
      </div>
      <ProblemMessage error={confirm.error} />
      {scheduling && can('schedule') ? <ScheduleForm onDone={() => setScheduling(false)} /> : null}
      {rollingBack && can('rollback') ? (
        <ReasonForm kind="rollback" onDone={() => setRollingBack(false)} />
      ) : null}
    </section>
  );
}

function ScheduleForm({ onDone }: { onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [start, setStart] = useState(
    toLocalInput(deliverable.goLiveWindow?.start ?? deliverable.targetGoLive),
  );
  const [end, setEnd] = useState(
    toLocalInput(
      deliverable.goLiveWindow?.end ??
        new Date(Date.parse(deliverable.targetGoLive) + 2 * 3600_000).toISOString(),
    ),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const [override, setOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const errors = { ...fieldErrorsOf(command.error), ...local };
  const conflicts = freezeConflictsOf(command.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const windowStart = fromLocalInput(start);
    const windowEnd = fromLocalInput(end);
    const problems: Record<string, string> = {};
    if (!windowStart) problems.windowStart = 'Give the start of the window.';
    if (!windowEnd) problems.windowEnd = 'Give the end of the window.';
    if (override && !overrideReason.trim())
      problems['override.reason'] = 'Say why the freeze may be overridden.';
    setLocal(problems);
    if (!windowStart || !windowEnd || Object.keys(problems).length > 0) return;
    void command.run(
      () =>
        ok(
          api.POST('/v1/deliverables/{id}/go-live/schedule', {
            params: { path: { id: deliverable.id }, header: ifMatch(base) },
            body: {
              windowStart,
              windowEnd,
              ...(override ? { override: { reason: overrideReason.trim() } } : {}),
            },
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Schedule go-live">
      <div className="grid-2">
        <TextField
          label="Window start"
          type="datetime-local"
          value={start}
          error={errors.windowStart}
          onChange={(e) => setStart(e.target.value)}
        />
        <TextField
          label="Window end"
          type="datetime-local"
          value={end}
          error={errors.windowEnd}
          onChange={(e) => setEnd(e.target.value)}
        />
      </div>
      <ProblemMessage error={command.error} />
      {conflicts && conflicts.length > 0 ? (
        <div className="conflicts">
          <p className="small">This window meets:</p>
          <ul className="compact-list">
            {conflicts.map((conflict) => (
              <li key={`${conflict.name}-${conflict.start}`}>
                Change freeze “{conflict.name}”: {formatDateTime(conflict.start)} to{' '}
                {formatDateTime(conflict.end)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {conflicts || override ? (
        <>
          <label className="toggle">
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />{' '}
            Override the freeze (your role must allow it)
          </label>
          {override ? (
            <TextField
              label="Why override the freeze?"
              value={overrideReason}
              error={errors['override.reason']}
              onChange={(e) => setOverrideReason(e.target.value)}
            />
          ) : null}
        </>
      ) : null}
      <FormButtons submit="Schedule go-live" busy={command.busy} onCancel={onDone} />
    </form>
  );
}

const REASON_FORMS = {
  rollback: { label: 'Why roll back?', button: 'Roll back', path: '/v1/deliverables/{id}/rollback' },
  hold: { label: 'Why hold it?', button: 'Hold', path: '/v1/deliverables/{id}/hold' },
  cancel: {
    label: 'Why cancel it? (this is final)',
    button: 'Cancel deliverable',
    path: '/v1/deliverables/{id}/cancel',
  },
} as const;

export function ReasonForm({ kind, onDone }: { kind: keyof typeof REASON_FORMS; onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const form = REASON_FORMS[kind];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setLocal('A reason is required: it goes into the audit trail.');
      return;
    }
    setLocal(undefined);
    void command.run(
      () =>
        ok(
          api.POST(form.path, {
            params: { path: { id: deliverable.id }, header: ifMatch(base) },
            body: { reason: reason.trim() },
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={form.button}>
      <TextArea
        label={form.label}
        rows={2}
        value={reason}
        error={local ?? fieldErrorsOf(command.error).reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <ProblemMessage error={command.error} />
      <div className="row">
        <button
          type="submit"
          className={`button ${kind === 'hold' ? 'button-primary' : 'button-danger'}`}
          disabled={command.busy}
        >
          {form.button}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Never mind
        </button>
      </div>
    </form>
  );
}

export function ElsSection({
  policy,
  reminders,
}: {
  policy: Policy | undefined;
  reminders: Reminder[] | undefined;
}) {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const [recording, setRecording] = useState(false);
  const resolve = useCommand();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const inEls =
    ['early_life_support', 'els_review'].includes(deliverable.status) || deliverable.incidents.length > 0;
  if (!inEls && !deliverable.allowedActions.includes('record_incident')) return null;
  const open = deliverable.incidents.filter((incident) => !incident.resolvedAt);
  const openP1 = open.filter((incident) => incident.priority === 'P1').length;
  const openP2 = open.filter((incident) => incident.priority === 'P2').length;
  const periodEnd = reminders?.find(
    (reminder) => reminder.kind === 'els_period_end' && reminder.status === 'scheduled',
  );
  const left = periodEnd ? countdown(periodEnd.dueAt, now) : null;
  const max = policy?.elsExitMaxOpenIncidents;
  return (
    <section className="card section" aria-labelledby="els-title">
      <h2 id="els-title">
        <Term words={app.term('Warranty', 'Early life support')} /> · period {deliverable.els.period}
        {deliverable.els.extensions > 0 ? `, extended ${deliverable.els.extensions}×` : ''}
      </h2>
      {left ? (
        <p className={left.overdue ? 'sla-overdue' : ''}>
          Period ends {formatDateTime(periodEnd!.dueAt)} ({left.text.replace('due in', 'in')})
        </p>
      ) : null}
      <h3 className="h4">Exit criteria</h3>
      <ul className="checks">
        <li className={left && !left.overdue ? 'check-pending' : 'check-ok'}>
          <span aria-hidden="true">{left && !left.overdue ? '○ ' : '✓ '}</span>
          The ELS period has elapsed{policy ? ` (${durationWords(policy.elsDuration)})` : ''}:{' '}
          {left && !left.overdue ? 'not yet' : 'yes'}
        </li>
        <li className={max && openP1 > max.P1 ? 'check-fail' : 'check-ok'}>
          <span aria-hidden="true">{max && openP1 > max.P1 ? '✕ ' : '✓ '}</span>
          Open P1 incidents: {openP1}
          {max ? ` (at most ${max.P1})` : ''}
        </li>
        <li className={max && openP2 > max.P2 ? 'check-fail' : 'check-ok'}>
          <span aria-hidden="true">{max && openP2 > max.P2 ? '✕ ' : '✓ '}</span>
          Open P2 incidents: {openP2}
          {max ? ` (at most ${max.P2})` : ''}
        </li>
        {deliverable.els.exitCriteria ? (
          <li className={deliverable.els.exitCriteria.actionsOwned ? 'check-ok' : 'check-fail'}>
            <span aria-hidden="true">{deliverable.els.exitCriteria.actionsOwned ? '✓ ' : '✕ '}</span>
            Every open follow-on action has an owner
            {policy?.elsExitRequiresActionOwners === false ? ' (not required by the policy)' : ''}:{' '}
            {deliverable.els.exitCriteria.actionsOwned ? 'yes' : 'not yet'}
          </li>
        ) : null}
        <li>
          <span aria-hidden="true">⚖ </span>
          <Term words={app.gate('els_exit')} /> reaches its quorum
          {policy ? ` (${policy.elsExit.quorum})` : ''}
        </li>
      </ul>
      <h3 className="h4">
        <Term words={app.term('ELS incident', 'Incidents')} />
      </h3>
      {deliverable.incidents.length === 0 ? <p className="muted">No incidents recorded.</p> : null}
      {deliverable.incidents.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Incidents</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Priority</th>
                <th scope="col">Summary</th>
                <th scope="col">Opened</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {deliverable.incidents.map((incident) => (
                <tr key={incident.reference}>
                  <td>{incident.reference}</td>
                  <td>
                    <span className={`prio prio-${incident.priority}`}>{incident.priority}</span>
                  </td>
                  <td>{incident.summary}</td>
                  <td>{formatDateTime(incident.openedAt)}</td>
                  <td>
                    {incident.resolvedAt ? (
                      `Resolved ${formatDateTime(incident.resolvedAt)}`
                    ) : deliverable.allowedActions.includes('resolve_incident') ? (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={resolve.busy}
                        onClick={() =>
                          void resolve.run(() =>
                            ok(
                              api.POST('/v1/deliverables/{id}/incidents/{reference}/resolve', {
                                params: {
                                  path: { id: deliverable.id, reference: incident.reference },
                                  header: ifMatch(deliverable.version),
                                },
                                body: {},
                              }),
                            ),
                          )
                        }
                      >
                        Resolve<span className="visually-hidden"> {incident.reference}</span>
                      </button>
                    ) : (
                      'Open'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ProblemMessage error={resolve.error} />
      {deliverable.allowedActions.includes('record_incident') ? (
        recording ? (
          <IncidentForm onDone={() => setRecording(false)} />
        ) : (
          <button type="button" className="button" onClick={() => setRecording(true)}>
            Record incident
          </button>
        )
      ) : null}
    </section>
  );
}

function IncidentForm({ onDone }: { onDone: () => void }) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [reference, setReference] = useState('');
  const [priority, setPriority] = useState<Priority>('P3');
  const [summary, setSummary] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(command.error), ...local };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(reference))
      problems.reference = 'Use 1 to 64 letters, digits, dots, dashes or underscores (e.g. INC-1042).';
    if (!summary.trim()) problems.summary = 'Say what happened.';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    void command.run(
      () =>
        ok(
          api.POST('/v1/deliverables/{id}/incidents', {
            params: { path: { id: deliverable.id }, header: ifMatch(base) },
            body: { reference, priority, summary: summary.trim() },
          }),
        ),
      onDone,
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Record incident">
      <div className="grid-2">
        <TextField
          label="Reference"
          value={reference}
          error={errors.reference}
          onChange={(e) => setReference(e.target.value)}
        />
        <SelectField
          label="Priority"
          value={priority}
          error={errors.priority}
          onChange={(e) => setPriority(e.target.value as Priority)}
          options={(['P1', 'P2', 'P3', 'P4'] as const).map((value) => ({ value, label: value }))}
        />
      </div>
      <TextArea
        label="Summary"
        rows={2}
        value={summary}
        error={errors.summary}
        onChange={(e) => setSummary(e.target.value)}
      />
      <ProblemMessage error={command.error} />
      <FormButtons submit="Record incident" busy={command.busy} onCancel={onDone} />
    </form>
  );
}
