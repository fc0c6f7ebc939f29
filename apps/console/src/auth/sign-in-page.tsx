import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import type { AuthConfig } from '../api/types';
import { ProblemMessage, TextField } from '../ui/components';
import { startOidcSignIn } from './oidc';
import { setToken } from './session';

export function SignInPage({ reason }: { reason?: string }) {
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<AuthConfig | null>(null);

  useEffect(() => {
    document.title = 'Sign in · Baton';
    ok(api.GET('/v1/auth/config')).then(setConfig, () => setConfig(null));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError(new Error('Paste your Baton token first.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Checked before it is kept: a wrong token never becomes the session.
      const response = await fetch('/v1/me', { headers: { Authorization: `Bearer ${value}` } });
      if (!response.ok) {
        setError(
          new Error(
            response.status === 401
              ? 'Baton does not know this token (mistyped, revoked or rotated). Ask an admin for a new one.'
              : `Baton answered ${response.status}.`,
          ),
        );
        return;
      }
      setToken(value);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const oidc = config?.oidc ?? null;
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">B</span> Baton
        </div>
        <h1>Sign in to Baton</h1>
        <p className="muted">
          Hand project deliverables over into live service: one record for the PMO and the SMO.
        </p>
        {reason ? (
          <p className="alert alert-info" role="status">
            {reason}
          </p>
        ) : null}
        {oidc ? (
          <>
            <button
              type="button"
              className="button button-primary button-block"
              onClick={() =>
                void startOidcSignIn(oidc, window.location.pathname + window.location.search).catch(setError)
              }
            >
              Sign in with SSO
            </button>
            <p className="divider">
              <span>or with a token</span>
            </p>
          </>
        ) : null}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label="API token"
            type="password"
            name="token"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setTokenText(event.target.value)}
            hint="Your token starts with bat_. It is kept in this tab only and forgotten when you close it."
          />
          {error ? (
            error instanceof Error && !('status' in error) ? (
              <p className="alert alert-error" role="alert">
                <span aria-hidden="true">⚠ </span>
                {error.message}
              </p>
            ) : (
              <ProblemMessage error={error} />
            )
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted small">
          No token yet? An admin creates one under Admin → Principals. The first admin token is printed by{' '}
          <code>npm start</code> and kept in <code>.baton/admin-token</code>.
        </p>
      </div>
    </main>
  );
}
