// Readiness grouped by ITIL 4 practice: each criterion's state in words (pending, passed, failed, waived are
// distinct, never hidden), its evidence and who or what last evaluated it, with attest / waive / result
// where `allowedActions` allows them.
import { useState, type FormEvent } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { Criterion } from '../api/types';
import { humanize } from '../lib/lens';
import { fieldErrorsOf } from '../lib/problem';
import { Link } from '../lib/router';
import { countdown, durationWords, formatDateTime, relative } from '../lib/time';
import { useApp } from '../shell/app-context';
import { usePrincipalName } from '../shell/principal-names';
import { FormButtons, ProblemMessage, Progress, Term, TextArea, TextField } from '../ui/components';
import { useBaseVersion, useCommand, useDeliverable } from './deliverable-context';
import { readinessCount } from './summary';

const STATUS_ICON: Record<string, string> = { passed: '✓', waived: '≈', failed: '✕', pending: '○' };

export function ReadinessSection() {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const criteria = deliverable.readiness.criteria;
  const counts = readinessCount(criteria);
  const byKey = new Map(criteria.map((criterion) => [criterion.key, criterion]));
  return (
    <section className="card section" aria-labelledby="readiness-title">
      <div className="section-head">
        <h2 id="readiness-title">
          <Term words={app.term('readiness criteria', 'Readiness criteria')} />
        </h2>
        <div className="section-head-side">
          <Progress done={counts.done} total={counts.total} label="Readiness" />
          <span className="small muted">
            {counts.passed} passed · {counts.waived} waived · {counts.failed} failed · {counts.pending}{' '}
            pending
          </span>
        </div>
      </div>
      {criteria.length === 0 ? <p className="muted">This deliverable has no readiness criteria.</p> : null}
      {deliverable.readiness.practices.map((practice) => (
        <div className="practice" key={practice.key}>
          <h3 className="practice-head">
            {practice.key === 'unclassified' ? (
              <span title={`Named in the checklist as: ${(practice.named ?? []).join('; ')}`}>
                Unclassified practice
              </span>
            ) : (
              <Link href={`/reference/practices#${practice.key}`}>{practice.name}</Link>
            )}{' '}
            <span className="small muted">
              {practice.passed + practice.waived}/{practice.total}
              {practice.waived > 0 ? ` (${practice.waived} waived)` : ''}
            </span>
          </h3>
          {practice.key === 'unclassified' ? (
            <p className="small muted">
              The checklist names {(practice.named ?? []).map((name) => `“${name}”`).join(', ')}, not one of
              ITIL 4's practices: it was written before Baton knew them.
            </p>
          ) : null}
          <ul className="criteria">
            {practice.criteria.flatMap((key) => {
              const criterion = byKey.get(key);
              return criterion ? [<CriterionRow key={key} criterion={criterion} />] : [];
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}

type Mode = null | 'attest' | 'waive' | 'result';

/** When the current pass expires, or when the last one did: a pass of a criterion with validFor lapses. */
function Expiry({ criterion }: { criterion: Criterion }) {
  if (criterion.expiredAt) {
    return (
      <p className="small expiry expiry-lapsed">
        <strong>Expired</strong> {relative(criterion.expiredAt)} ({formatDateTime(criterion.expiredAt)}):
        attest{criterion.probeUrl ? ', probe' : ''} or waive it again before the go-live is confirmed.
      </p>
    );
  }
  if (!criterion.expiresAt) return null;
  const left = countdown(criterion.expiresAt);
  return (
    <p className={`small expiry${left.soon ? ' expiry-soon' : ''}`}>
      {left.soon ? <strong>Expires soon: </strong> : 'Expires '}
      {left.text.replace(/^due in /, 'in ')} ({formatDateTime(criterion.expiresAt)})
    </p>
  );
}

function CriterionRow({ criterion }: { criterion: Criterion }) {
  const { deliverable } = useDeliverable();
  const nameOf = usePrincipalName();
  const command = useCommand();
  const base = useBaseVersion();
  const [mode, setMode] = useState<Mode>(null);
  const can = (action: 'attest' | 'waive' | 'result' | 'probe') =>
    deliverable.allowedActions.includes(action);
  const settled = criterion.status === 'passed' || criterion.status === 'waived';
  // A pass that expires may be given again before it lapses (renewed), as well as after.
  const renewable = criterion.validFor !== undefined && criterion.status === 'passed';
  const showAttest =
    can('attest') && criterion.kind === 'manual' && (criterion.status !== 'passed' || renewable);
  // The visible word is the start of the accessible name (axe: label-content-name-mismatch).
  const attestWord = criterion.status === 'passed' ? 'Attest again' : 'Attest';
  const showProbe = can('probe') && criterion.kind === 'automated' && criterion.probeUrl !== undefined;
  const probe = () =>
    void command.run(() =>
      ok(
        api.POST('/v1/deliverables/{id}/readiness/{key}/probe', {
          params: { path: { id: deliverable.id, key: criterion.key }, header: ifMatch(base) },
          body: {},
        }),
      ),
    );
  const showWaive = can('waive') && !settled;
  const showResult = can('result') && criterion.kind === 'automated';
  return (
    <li className={`criterion crit-row-${criterion.status}`}>
      <div className="criterion-main">
        <span className={`crit crit-${criterion.status}`}>
          <span aria-hidden="true">{STATUS_ICON[criterion.status]}</span>{' '}
          <span>{humanize(criterion.status)}</span>
        </span>
        <div className="criterion-text">
          <p className="criterion-title">
            {criterion.title}{' '}
            <span className="tags">
              <span className="tag">{criterion.mandatory ? 'Mandatory' : 'Advisory'}</span>
              <span className="tag">{criterion.kind === 'automated' ? 'Automated' : 'Manual'}</span>
              {criterion.blocks ? (
                <span className="tag">Before {humanize(criterion.blocks).toLowerCase()}</span>
              ) : null}
              {criterion.validFor ? (
                <span className="tag">Valid for {durationWords(criterion.validFor)}</span>
              ) : null}
            </span>
          </p>
          {criterion.evidence ? <p className="small">Evidence: {criterion.evidence}</p> : null}
          {criterion.note ? <p className="small">Note: {criterion.note}</p> : null}
          {criterion.detail ? <p className="small">Result: {criterion.detail}</p> : null}
          {criterion.waiverReason ? <p className="small">Waived because: {criterion.waiverReason}</p> : null}
          <Expiry criterion={criterion} />
          {criterion.status === 'failed' && criterion.kind === 'automated' ? (
            <p className="small hint-fix">
              To fix: make {criterion.probeUrl ? <code>{criterion.probeUrl}</code> : 'the check'} answer 2xx;
              resubmitting probes it again, or an integration posts a result.
            </p>
          ) : null}
          <p className="small muted">
            {criterion.updatedAt
              ? `Last evaluated ${relative(criterion.updatedAt)} (${formatDateTime(criterion.updatedAt)}) by ${nameOf(criterion.updatedBy)}`
              : 'Not evaluated yet'}
          </p>
        </div>
        <div className="criterion-actions">
          {showAttest ? (
            <button
              type="button"
              className="button button-small"
              aria-expanded={mode === 'attest'}
              aria-label={`${attestWord}: ${criterion.title}`}
              onClick={() => setMode(mode === 'attest' ? null : 'attest')}
            >
              {attestWord}
            </button>
          ) : null}
          {showProbe ? (
            <button
              type="button"
              className="button button-small"
              aria-label={`Probe again: ${criterion.title}`}
              disabled={command.busy}
              onClick={probe}
            >
              Probe again
            </button>
          ) : null}
          {showWaive ? (
            <button
              type="button"
              className="button button-small"
              aria-expanded={mode === 'waive'}
              aria-label={`Waive: ${criterion.title}`}
              onClick={() => setMode(mode === 'waive' ? null : 'waive')}
            >
              Waive
            </button>
          ) : null}
          {showResult ? (
            <button
              type="button"
              className="button button-small"
              aria-expanded={mode === 'result'}
              aria-label={`Result: ${criterion.title}`}
              onClick={() => setMode(mode === 'result' ? null : 'result')}
            >
              Result
            </button>
          ) : null}
        </div>
      </div>
      {command.error ? <ProblemMessage error={command.error} /> : null}
      {mode ? <CriterionForm criterion={criterion} mode={mode} onDone={() => setMode(null)} /> : null}
    </li>
  );
}

function CriterionForm({
  criterion,
  mode,
  onDone,
}: {
  criterion: Criterion;
  mode: Exclude<Mode, null>;
  onDone: () => void;
}) {
  const { deliverable } = useDeliverable();
  const base = useBaseVersion();
  const command = useCommand();
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [passed, setPassed] = useState(true);
  const [local, setErrors] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(command.error), ...local };
  const path = { id: deliverable.id, key: criterion.key };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode !== 'result' && !text.trim()) {
      setErrors({
        [mode === 'attest' ? 'evidence' : 'reason']:
          mode === 'attest' ? 'Give the evidence: a link or a reference.' : 'Say why it may be waived.',
      });
      return;
    }
    setErrors({});
    void command.run(() => {
      const params = { path, header: ifMatch(base) };
      if (mode === 'attest')
        return ok(
          api.POST('/v1/deliverables/{id}/readiness/{key}/attest', {
            params,
            body: { evidence: text.trim(), ...(note.trim() ? { note: note.trim() } : {}) },
          }),
        );
      if (mode === 'waive')
        return ok(
          api.POST('/v1/deliverables/{id}/readiness/{key}/waive', { params, body: { reason: text.trim() } }),
        );
      return ok(
        api.POST('/v1/deliverables/{id}/readiness/{key}/result', {
          params,
          body: { passed, ...(text.trim() ? { detail: text.trim() } : {}) },
        }),
      );
    }, onDone);
  };
  const label = mode === 'attest' ? 'Attest' : mode === 'waive' ? 'Waive' : 'Record result';
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={`${label}: ${criterion.title}`}>
      {mode === 'attest' ? (
        <>
          <TextField
            label="Evidence"
            value={text}
            maxLength={2000}
            error={errors.evidence}
            hint="A link or reference that shows it is met"
            onChange={(e) => setText(e.target.value)}
          />
          <TextArea
            label="Note (optional)"
            rows={2}
            value={note}
            error={errors.note}
            onChange={(e) => setNote(e.target.value)}
          />
        </>
      ) : mode === 'waive' ? (
        <TextArea
          label="Reason for the waiver"
          rows={2}
          value={text}
          error={errors.reason}
          onChange={(e) => setText(e.target.value)}
        />
      ) : (
        <>
          <fieldset className="radio-row">
            <legend>Outcome</legend>
            <label>
              <input
                type="radio"
                name={`passed-${criterion.key}`}
                checked={passed}
                onChange={() => setPassed(true)}
              />{' '}
              Passed
            </label>
            <label>
              <input
                type="radio"
                name={`passed-${criterion.key}`}
                checked={!passed}
                onChange={() => setPassed(false)}
              />{' '}
              Failed
            </label>
          </fieldset>
          <TextField
            label="Detail (optional)"
            value={text}
            maxLength={2000}
            error={errors.detail}
            onChange={(e) => setText(e.target.value)}
          />
        </>
      )}
      <ProblemMessage error={command.error} />
      <FormButtons submit={label} busy={command.busy} onCancel={onDone} small />
    </form>
  );
}
