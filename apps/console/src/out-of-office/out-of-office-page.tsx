// The signed-in person's out of office: what they lend while away, what colleagues lent them, and the id a
// colleague needs to delegate to them.
import { useEffect } from 'react';
import { humanize } from '../lib/lens';
import { formatDateTime } from '../lib/time';
import { useApp } from '../shell/app-context';
import { DelegationsPanel } from './delegations-panel';

export function OutOfOfficePage() {
  const app = useApp();
  useEffect(() => {
    document.title = 'Out of office · Baton';
  }, []);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Out of office</h1>
          <p className="muted">
            Away for a while? Lend your approver roles to a colleague: your decisions do not wait for you.
          </p>
        </div>
      </div>
      {app.me.delegatedRoles.length > 0 ? (
        <div className="banner banner-info" role="status">
          <span>
            You stand in for{' '}
            {app.me.delegatedRoles
              .map(
                (delegation) =>
                  `${delegation.onBehalfOfName} as ${delegation.roles.map(humanize).join(', ').toLowerCase()} until ${formatDateTime(delegation.until)}`,
              )
              .join('; ')}
            . Their items are in your inbox.
          </span>
        </div>
      ) : null}
      <p className="small">
        Your principal id, for a colleague who delegates to you: <code className="token">{app.me.id}</code>
      </p>
      <section className="card section" aria-labelledby="delegations-title">
        <h2 id="delegations-title">Your delegations</h2>
        <DelegationsPanel principal={app.me} />
      </section>
    </div>
  );
}
