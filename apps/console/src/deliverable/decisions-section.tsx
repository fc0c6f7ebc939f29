// Decisions per gate and round, oldest first, and the gate that waits now ("1 of 2 approvals: change
// manager pending"); the decision form where `allowedActions` names decide.
import type { Approval } from '../api/types';
import { humanize } from '../lib/lens';
import { ApiError, explain } from '../lib/problem';
import { formatDateTime } from '../lib/time';
import { useApp } from '../shell/app-context';
import { usePrincipalName } from '../shell/principal-names';
import { Term } from '../ui/components';
import { DecisionForm } from './decision-form';
import { useDeliverable } from './deliverable-context';
import { waitingFor } from './summary';

const DECISION_ICON: Record<string, string> = {
  approve: '✓',
  request_changes: '↺',
  reject: '✕',
  reject_final: '✕',
};

export function DecisionsSection() {
  const app = useApp();
  const nameOf = usePrincipalName();
  const { deliverable } = useDeliverable();
  const groups = new Map<string, Approval[]>();
  for (const approval of deliverable.approvals) {
    const key = `${approval.gate}#${approval.round}`;
    groups.set(key, [...(groups.get(key) ?? []), approval]);
  }
  const gate = deliverable.gate;
  return (
    <section className="card section" aria-labelledby="decisions-title">
      <h2 id="decisions-title">Decisions</h2>
      {gate ? (
        <div className="gate-now">
          <p>
            <strong>
              Waiting at <Term words={app.gate(gate.gate)} />
            </strong>{' '}
            (round {gate.round}): {waitingFor(deliverable)}
          </p>
          <p className="small muted">
            Roles that decide here: {gate.roles.map((role) => humanize(role).toLowerCase()).join(', ')};
            quorum {gate.quorum}.
          </p>
        </div>
      ) : null}
      {deliverable.allowedActions.includes('decide') ? (
        <DecisionForm deliverable={deliverable} />
      ) : gate ? (
        <WhyNoDecision />
      ) : null}
      {groups.size === 0 ? <p className="muted">No decisions yet.</p> : null}
      {[...groups.entries()].reverse().map(([key, approvals]) => {
        const [gateName, round] = key.split('#');
        return (
          <div key={key} className="decision-round">
            <h3 className="h4">
              <Term words={app.gate(gateName)} /> · round {round}
            </h3>
            <ul className="compact-list">
              {approvals.map((approval) => (
                <li
                  key={`${approval.principalId}-${approval.at}`}
                  className={`decision decision-${approval.decision}`}
                >
                  <span aria-hidden="true">{DECISION_ICON[approval.decision]} </span>
                  <strong>{humanize(approval.decision)}</strong> by {nameOf(approval.principalId)}
                  {approval.onBehalfOf ? ` on behalf of ${nameOf(approval.onBehalfOf)}` : ''} as{' '}
                  {humanize(approval.role).toLowerCase()} · {formatDateTime(approval.at)}
                  {approval.comment ? <p className="quote">“{approval.comment}”</p> : null}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Why the reader has no decision form at a waiting gate, in the words of the refusal the API would give. */
function WhyNoDecision() {
  const app = useApp();
  const { deliverable } = useDeliverable();
  const gate = deliverable.gate;
  if (!gate) return null;
  const holds = gate.roles.some((role) => app.me.roles.includes(role));
  let why: string;
  if (holds && deliverable.submittedBy === app.me.id)
    why = explain(
      new ApiError(403, {
        type: '',
        title: '',
        status: 403,
        detail: '',
        code: 'HANDOVER.SEPARATION_OF_DUTIES',
      }),
    ).summary;
  else if (gate.decidedBy.includes(app.me.id))
    why = 'You have already decided in this round: each person decides once per round.';
  else if (!holds)
    why = `Your roles do not decide at this gate; it waits for ${gate.roles.map((role) => humanize(role).toLowerCase()).join(' or ')}.`;
  else return null;
  return (
    <p className="alert alert-info" role="note">
      {why}
    </p>
  );
}
