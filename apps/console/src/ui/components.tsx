// The console's building blocks: words in the reader's lens, status badges that never rely on colour
// alone, labelled fields with their API errors, problem messages in plain words, and states for loading,
// empty and failed reads that say what to do.
import { Component, useId, type ComponentProps, type ErrorInfo, type ReactNode } from 'react';
import { explain } from '../lib/problem';
import type { Words } from '../lib/lens';
import { useApp } from '../shell/app-context';

/** A word in the reader's lens; the other office's word on hover, and both in "both". */
export function Term({ words, className }: { words: Words; className?: string }) {
  const { lens } = useApp();
  if (lens === 'both' && words.pmo !== words.smo)
    return (
      <span className={`term ${className ?? ''}`} title={words.title}>
        {words.pmo}
        <span className="term-sep" aria-hidden="true">
          {' · '}
        </span>
        <span className="visually-hidden">, in SMO words: </span>
        <span className="term-other">{words.smo}</span>
      </span>
    );
  return (
    <span className={`term ${className ?? ''}`} title={words.title}>
      {words.text}
    </span>
  );
}

const STATUS_ICON: Record<string, string> = {
  draft: '✎',
  readiness: '◔',
  acceptance: '⚖',
  rework: '↺',
  approved: '✓',
  scheduled: '▦',
  early_life_support: '♥',
  els_review: '⚖',
  operational: '●',
  on_hold: '❚❚',
  cancelled: '✕',
  rejected: '✕',
};

export function StatusBadge({ status }: { status: string }) {
  const app = useApp();
  return (
    <span className={`badge status-${status}`}>
      <span aria-hidden="true" className="badge-icon">
        {STATUS_ICON[status] ?? '•'}
      </span>
      <Term words={app.status(status)} />
    </span>
  );
}

type FieldProps = { label: string; error?: string; hint?: string; children?: never };

export function TextField({ label, error, hint, ...input }: FieldProps & ComponentProps<'input'>) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        {...input}
      />
      {error ? (
        <p className="field-error" id={`${id}-msg`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-msg`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextArea({ label, error, hint, ...input }: FieldProps & ComponentProps<'textarea'>) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        {...input}
      />
      {error ? (
        <p className="field-error" id={`${id}-msg`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-msg`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  options,
  ...select
}: FieldProps & ComponentProps<'select'> & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className={`field ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-msg` : undefined}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field-error" id={`${id}-msg`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-msg`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A refusal or failure in plain words, with the server's detail and, where it helps, a way out. */
/** A form's own buttons: what it does (primary, off while it runs) and a way out of it. */
export function FormButtons({
  submit,
  busy,
  onCancel,
  cancel = 'Cancel',
  small = false,
}: {
  submit: ReactNode;
  busy: boolean;
  onCancel: () => void;
  cancel?: ReactNode;
  small?: boolean;
}) {
  const size = small ? ' button-small' : '';
  return (
    <div className="row">
      <button type="submit" className={`button button-primary${size}`} disabled={busy}>
        {submit}
      </button>
      <button type="button" className={`button button-ghost${size}`} onClick={onCancel}>
        {cancel}
      </button>
    </div>
  );
}

export function ProblemMessage({ error, action }: { error: unknown; action?: ReactNode }) {
  if (!error) return null;
  const { summary, detail } = explain(error);
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">
        <span aria-hidden="true">⚠ </span>
        {summary}
      </p>
      {detail && detail !== summary ? <p className="alert-detail">{detail}</p> : null}
      {action}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** Shows a read's data; its loading and failure states otherwise. The data stays while it reloads. */
export function Loaded<T>({
  resource,
  what,
  children,
}: {
  resource: { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (resource.data !== undefined) return <>{children(resource.data)}</>;
  if (resource.error)
    return (
      <ProblemMessage
        error={resource.error}
        action={
          <button type="button" className="button" onClick={() => void resource.reload()}>
            Try again
          </button>
        }
      />
    );
  return <Loading what={what} />;
}

export class ErrorBoundary extends Component<
  { children: ReactNode; where: string },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`The ${this.props.where} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="alert alert-error" role="alert">
        <p className="alert-title">The {this.props.where} could not be shown.</p>
        <p className="alert-detail">
          {this.state.error.message}. The rest of Baton still works: go back, or try again.
        </p>
        <div className="row">
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => window.history.back()}>
            Go back
          </button>
        </div>
      </div>
    );
  }
}

export function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <div className="progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total}`}
      >
        <span className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">
        {done}/{total}
      </span>
    </div>
  );
}
