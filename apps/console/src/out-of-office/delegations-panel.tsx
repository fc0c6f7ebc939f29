// Out of office (API.md, Delegation): lend approver roles to a colleague for a time, see what was lent to and
// by a principal, revoke a delegation at once. The person's own page and the admin's principals page use it.
import { useState, type FormEvent } from 'react';
import { allPages, api, ok } from '../api/client';
import type { Delegation, Principal } from '../api/types';
import { humanize } from '../lib/lens';
import { fieldErrorsOf } from '../lib/problem';
import { refresh, useResource } from '../lib/store';
import { formatDateTime, fromLocalInput, toLocalInput } from '../lib/time';
import { useAction } from '../lib/use-action';
import { Empty, Loaded, ProblemMessage, SelectField, TextArea, TextField } from '../ui/components';

/** Roles that are not decided with at a gate: the API refuses to lend them, so they are not offered. */
const NOT_LENT = ['admin', 'pmo', 'smo'];
const WEEK_MS = 7 * 86_400_000;

const keyOf = (principalId: string) => `delegations:${principalId}`;

function stateOf(delegation: Delegation, now: number): string {
  if (delegation.revokedAt) return `Revoked ${formatDateTime(delegation.revokedAt)}`;
  if (delegation.inForce) return 'In force';
  return Date.parse(delegation.from) > now ? 'Starts later' : 'Ended';
}

export function DelegationsPanel({
  principal,
  directory,
}: {
  /** Whose delegations: the signed-in person, or the principal an admin picked. */
  principal: Pick<Principal, 'id' | 'name' | 'roles'>;
  /** Every principal, for an admin to pick the delegate by name; without it the delegate's id is typed. */
  directory?: Principal[];
}) {
  const delegations = useResource(keyOf(principal.id), () =>
    allPages<Delegation>((cursor) =>
      ok(
        api.GET('/v1/principals/{id}/delegations', {
          params: { path: { id: principal.id }, query: { limit: 500, cursor } },
        }),
      ),
    ),
  );
  const lendable = principal.roles.filter((role) => !NOT_LENT.includes(role));
  const candidates = (directory ?? []).filter((other) => other.id !== principal.id && !other.revoked);
  const [delegateId, setDelegateId] = useState('');
  const [roles, setRoles] = useState<string[]>(lendable);
  const [from, setFrom] = useState(() => toLocalInput(new Date().toISOString()));
  const [until, setUntil] = useState(() => toLocalInput(new Date(Date.now() + WEEK_MS).toISOString()));
  const [reason, setReason] = useState('');
  const create = useAction();
  const revoke = useAction();
  const errors = fieldErrorsOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run(async () => {
      await ok(
        api.POST('/v1/principals/{id}/delegations', {
          params: { path: { id: principal.id } },
          body: {
            delegateId: delegateId.trim() || (directory ? (candidates[0]?.id ?? '') : ''),
            roles,
            from: fromLocalInput(from) ?? from,
            until: fromLocalInput(until) ?? until,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      );
      setReason('');
      refresh(keyOf(principal.id));
    });
  };

  const now = Date.now();
  return (
    <div className="delegations">
      {lendable.length === 0 ? (
        <p className="muted">
          {principal.name} holds no approver role to lend: only roles decided with at a gate are delegated.
        </p>
      ) : (
        <form className="card form-card" onSubmit={submit} noValidate aria-label="New delegation">
          <h3 className="h4">Delegate approvals while away</h3>
          <p className="small muted">
            The delegate decides for {principal.name} with these roles between the two times; each decision
            counts as {principal.name}&rsquo;s, once per round. Submitters of a deliverable never decide on
            it.
          </p>
          <div className="grid-2">
            {directory ? (
              <SelectField
                label="Delegate"
                value={delegateId || candidates[0]?.id || ''}
                error={errors.delegateId}
                onChange={(event) => setDelegateId(event.target.value)}
                options={candidates.map((other) => ({ value: other.id, label: other.name }))}
              />
            ) : (
              <TextField
                label="Delegate's principal id"
                value={delegateId}
                error={errors.delegateId}
                hint="Your colleague finds it on their Out of office page"
                onChange={(event) => setDelegateId(event.target.value)}
              />
            )}
            <fieldset className="checks-row">
              <legend>Roles to lend</legend>
              {lendable.map((role) => (
                <label key={role}>
                  <input
                    type="checkbox"
                    checked={roles.includes(role)}
                    onChange={(event) =>
                      setRoles(event.target.checked ? [...roles, role] : roles.filter((r) => r !== role))
                    }
                  />{' '}
                  {humanize(role)}
                </label>
              ))}
              {errors.roles || errors['roles.0'] ? (
                <p className="field-error">
                  <span aria-hidden="true">⚠ </span>
                  {errors.roles ?? errors['roles.0']}
                </p>
              ) : null}
            </fieldset>
            <TextField
              label="From"
              type="datetime-local"
              value={from}
              error={errors.from}
              hint="In your time zone"
              onChange={(event) => setFrom(event.target.value)}
            />
            <TextField
              label="Until"
              type="datetime-local"
              value={until}
              error={errors.until}
              hint="At most 90 days after From"
              onChange={(event) => setUntil(event.target.value)}
            />
          </div>
          <TextArea
            label="Reason (optional)"
            rows={2}
            value={reason}
            maxLength={10000}
            onChange={(event) => setReason(event.target.value)}
          />
          <ProblemMessage error={create.error} />
          <button type="submit" className="button button-primary" disabled={create.busy}>
            Delegate
          </button>
        </form>
      )}
      <ProblemMessage error={revoke.error} />
      <Loaded resource={delegations} what="delegations">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No delegations">
              <p>Nothing lent by {principal.name} and nothing lent to them.</p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Delegations of {principal.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">Roles</th>
                    <th scope="col">When</th>
                    <th scope="col">State</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((delegation) => {
                    const given = delegation.principalId === principal.id;
                    const other = given ? delegation.delegateName : delegation.principalName;
                    const open = !delegation.revokedAt && Date.parse(delegation.until) > now;
                    return (
                      <tr key={delegation.id} className={delegation.inForce ? 'delegation-live' : ''}>
                        <td>
                          {given ? 'Lent to ' : 'Lent by '}
                          <strong>{other}</strong>
                          {delegation.reason ? <div className="small muted">{delegation.reason}</div> : null}
                        </td>
                        <td>{delegation.roles.map(humanize).join(', ')}</td>
                        <td>
                          {formatDateTime(delegation.from)} – {formatDateTime(delegation.until)}
                        </td>
                        <td>{stateOf(delegation, now)}</td>
                        <td className="actions-cell">
                          {given && open ? (
                            <button
                              type="button"
                              className="button button-small button-danger-ghost"
                              disabled={revoke.busy}
                              onClick={() =>
                                void revoke.run(async () => {
                                  await ok(
                                    api.DELETE('/v1/delegations/{id}', {
                                      params: { path: { id: delegation.id } },
                                    }),
                                  );
                                  refresh(keyOf(principal.id));
                                })
                              }
                            >
                              Revoke
                              <span className="visually-hidden"> the delegation to {other}</span>
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </div>
  );
}
