import { StrictMode, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ok } from './api/client';
import { AdminPage } from './admin/admin-page';
import { finishOidcSignIn } from './auth/oidc';
import { getToken, onTokenChange, setToken } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { BoardPage } from './board/board-page';
import { CalendarPage } from './calendar/calendar-page';
import { ProjectsPage, ServicesPage } from './catalogue/catalogue-pages';
import { DeliverablePage } from './deliverable/deliverable-page';
import { InboxPage } from './inbox/inbox-page';
import { LessonsPage } from './lessons/lessons-page';
import { ReferencePage } from './reference/reference-page';
import { OutOfOfficePage } from './out-of-office/out-of-office-page';
import { ApiError } from './lib/problem';
import { match, navigate, useLocation } from './lib/router';
import { clearAll, useResource } from './lib/store';
import { connectLive, disconnectLive } from './live/live';
import { AppProvider, useApp } from './shell/app-context';
import { Layout } from './shell/layout';
import { ErrorBoundary, Loading, ProblemMessage } from './ui/components';
import './styles.css';

function Routes() {
  const { path } = useLocation();
  const app = useApp();
  const deliverable = match('/deliverables/:id', path);
  if (deliverable) return <DeliverablePage id={deliverable.id} />;
  if (path === '/') return app.me.roles.every((role) => role === 'pmo') ? <BoardPage /> : <InboxPage />;
  if (path === '/inbox') return <InboxPage />;
  if (path === '/board') return <BoardPage />;
  if (path === '/calendar') return <CalendarPage />;
  if (path === '/projects') return <ProjectsPage />;
  if (path === '/services') return <ServicesPage />;
  if (path === '/out-of-office') return <OutOfOfficePage />;
  if (path === '/lessons') return <LessonsPage />;
  const reference = match('/reference/:section', path);
  if (path === '/reference' || reference) return <ReferencePage section={reference?.section ?? 'glossary'} />;
  const admin = match('/admin/:section', path);
  if (path === '/admin' || admin) return <AdminPage section={admin?.section ?? 'principals'} />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. Try the <a href="/inbox">inbox</a> or the{' '}
        <a href="/board">board</a>.
      </p>
    </div>
  );
}

function SignedIn() {
  const me = useResource('me', () => ok(api.GET('/v1/me')));
  const glossary = useResource('glossary', () => ok(api.GET('/v1/glossary')));
  const workflow = useResource('workflow', () => ok(api.GET('/v1/workflow')));
  const { path } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    connectLive();
    return () => disconnectLive();
  }, []);
  useEffect(() => {
    // A new page: focus its main region, so a screen reader starts there (not on the first load).
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);
  if (me.error && !(me.error instanceof ApiError && me.error.status === 401))
    return (
      <main id="main" className="page">
        <h1>Baton</h1>
        <ProblemMessage
          error={me.error}
          action={
            <div className="row">
              <button type="button" className="button" onClick={() => void me.reload()}>
                Try again
              </button>
              <button type="button" className="button" onClick={() => setToken(null)}>
                Sign out
              </button>
            </div>
          }
        />
      </main>
    );
  if (!me.data)
    return (
      <main id="main" className="page">
        <h1 className="visually-hidden">Baton</h1>
        <Loading what="your session" />
      </main>
    );
  return (
    <AppProvider me={me.data} glossary={glossary.data} workflow={workflow.data}>
      <Layout>
        <ErrorBoundary key={path} where="page">
          <Routes />
        </ErrorBoundary>
      </Layout>
    </AppProvider>
  );
}

function Callback() {
  const { query } = useLocation();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    finishOidcSignIn(query).then(
      ({ token, returnTo }) => {
        setToken(token);
        navigate(returnTo.startsWith('/auth/') ? '/' : returnTo, { replace: true });
      },
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    );
  }, []); // once, on arrival
  if (error) return <SignInPage reason={`Single sign-on did not complete: ${error}.`} />;
  return (
    <main id="main" className="page">
      <h1>Signing you in…</h1>
      <Loading what="your session" />
    </main>
  );
}

function App() {
  const token = useSyncExternalStore(onTokenChange, getToken);
  const { path } = useLocation();
  const had = useRef(token);
  useEffect(() => {
    if (!token) clearAll();
    if (token) had.current = token;
  }, [token]);
  if (path === '/auth/callback') return <Callback />;
  if (!token) return <SignInPage />;
  return <SignedIn key={token} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary where="console">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
