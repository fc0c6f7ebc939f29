import { useEffect, useRef, useState, type Ref } from 'react';
import { api, ifMatch, ok } from '../api/client';
import type { Decision, Deliverable } from '../api/types';
import { humanize } from '../lib/lens';
import { ApiError } from '../lib/problem';
import { prime } from '../lib/store';
import { useAction } from '../lib/use-action';
import { useApp } from '../shell/app-context';
import { ProblemMessage, SelectField, Term, TextArea } from '../ui/components';

export interface DecisionFormHandle {
  decide: (decision: Decision) => void;
  focusComment: () => void;
}

/** Approve, request changes or reject at the gate that waits, with a comment; reject needs a reason. */
export function DecisionForm({
  deliverable,
  onDecided,
  handle,
  compact,
  roles: offered,
  onBehalfOf,
}: {
  deliverable: Deliverable;
  /** The caller's roles that may decide here (the inbox says); else those of the gate the caller holds. */
  roles?: string[];
  /**
   * The delegator the caller decides for (the inbox's item says it may, through a delegation in force), with
   * its name: the decision counts as the delegator's.
   */
  onBehalfOf?: { id: string; name: string };
  onDecided?: (updated: Deliverable, decision: Decision) => void;
  handle?: Ref<DecisionFormHandle>;
  compact?: boolean;
}) {
  const app = useApp();
  const gate = deliverable.gate;
  const roles = offered ?? (gate ? gate.roles.filter((role) => app.me.roles.includes(role)) : []);
  const [role, setRole] = useState(roles[0] ?? '');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>();
  const action = useAction();
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const decide = (decision: Decision) => {
    if (!gate) return;
    if ((decision === 'reject' || decision === 'reject_final') && !comment.trim()) {
      setCommentError('Say why you reject: the project reads this reason.');
      commentRef.current?.focus();
      return;
    }
    setCommentError(undefined);
    void action.run(async () => {
      const updated = await ok(
        api.POST('/v1/deliverables/{id}/decisions', {
          params: { path: { id: deliverable.id }, header: ifMatch(deliverable.version) },
          body: {
            gate: gate.gate,
            role: role || (roles[0] ?? ''),
            decision,
            ...(comment.trim() ? { comment: comment.trim() } : {}),
            ...(onBehalfOf ? { onBehalfOf: onBehalfOf.id } : {}),
          },
        }),
      ).catch((error: unknown) => {
        if (error instanceof ApiError && error.fieldErrors.comment)
          setCommentError(error.fieldErrors.comment);
        throw error;
      });
      prime(`deliverable:${deliverable.id}`, updated);
      setComment('');
      onDecided?.(updated, decision);
    });
  };

  const decideRef = useRef(decide);
  decideRef.current = decide;
  useEffect(() => {
    if (!handle) return;
    const value: DecisionFormHandle = {
      decide: (decision) => decideRef.current(decision),
      focusComment: () => commentRef.current?.focus(),
    };
    if (typeof handle === 'function') {
      handle(value);
      return () => {
        handle(null);
      };
    }
    const ref = handle as { current: DecisionFormHandle | null };
    ref.current = value;
    return () => {
      ref.current = null;
    };
  }, [handle]);

  if (!gate) return null;
  // allowedActions speaks of the caller's own roles; a delegated decision is offered by the inbox item.
  if (!onBehalfOf && !deliverable.allowedActions.includes('decide'))
    return <p className="muted">You cannot decide on this deliverable now.</p>;
  return (
    <form
      className={`decision-form ${compact ? 'compact' : ''}`}
      onSubmit={(event) => event.preventDefault()}
      aria-label={`Decision on ${deliverable.title}`}
    >
      <p className="decision-gate">
        Deciding at <Term words={app.gate(gate.gate)} /> (round {gate.round})
        {onBehalfOf ? <> on behalf of {onBehalfOf.name}</> : null}
      </p>
      {roles.length > 1 ? (
        <SelectField
          label="Decide as"
          value={role}
          onChange={(event) => setRole(event.target.value)}
          options={roles.map((value) => ({ value, label: humanize(value) }))}
        />
      ) : roles.length === 1 ? (
        <p className="muted small">Deciding as {humanize(roles[0])}</p>
      ) : null}
      <TextArea
        label="Comment (a reason is required to reject)"
        ref={commentRef}
        rows={compact ? 2 : 3}
        value={comment}
        maxLength={10000}
        error={commentError}
        onChange={(event) => setComment(event.target.value)}
      />
      <ProblemMessage error={action.error} />
      <div className="row">
        <button
          type="button"
          className="button button-approve"
          disabled={action.busy}
          onClick={() => decide('approve')}
        >
          <span aria-hidden="true">✓ </span>Approve
        </button>
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() => decide('request_changes')}
        >
          <span aria-hidden="true">↺ </span>Request changes
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={action.busy}
          onClick={() => decide('reject')}
        >
          <span aria-hidden="true">✕ </span>Reject
        </button>
        {gate.gate === 'acceptance' && !compact ? (
          <button
            type="button"
            className="button button-danger-ghost"
            disabled={action.busy}
            onClick={() => decide('reject_final')}
          >
            Reject for good
          </button>
        ) : null}
      </div>
    </form>
  );
}
