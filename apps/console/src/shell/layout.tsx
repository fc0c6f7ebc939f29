import { useEffect, useState, type ReactNode } from 'react';
import { setToken } from '../auth/session';
import { LENSES, type Lens } from '../lib/lens';
import { Link, useLocation } from '../lib/router';
import { useLiveState } from '../live/live';
import { useApp } from './app-context';

const LENS_LABEL: Record<Lens, string> = { pmo: 'PMO', smo: 'SMO', both: 'Both' };

function LensSwitch() {
  const { lens, setLens } = useApp();
  return (
    <fieldset className="segmented" aria-label="Vocabulary lens">
      <legend className="visually-hidden">Vocabulary lens</legend>
      {LENSES.map((value) => (
        <label
          key={value}
          className={lens === value ? 'on' : ''}
          title={value === 'both' ? 'PMO words · SMO words' : `Words of the ${LENS_LABEL[value]}`}
        >
          <input
            type="radio"
            name="lens"
            value={value}
            checked={lens === value}
            onChange={() => setLens(value)}
          />
          {LENS_LABEL[value]}
        </label>
      ))}
    </fieldset>
  );
}

function LiveBanner() {
  const live = useLiveState();
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  // A short blip while reconnecting is not news; a connection down for more than 3 s is.
  if (live.value === 'open' || live.downSince === null || Date.now() - live.downSince < 3000) return null;
  return (
    <div className="banner banner-warning" role="status">
      <span>
        <span aria-hidden="true">⚠ </span>
        Live updates are interrupted: Baton cannot be reached. Retrying… (what you see may be out of date)
      </span>
    </div>
  );
}

function LiveDot() {
  const live = useLiveState();
  const text = live.value === 'open' ? 'Live' : live.value === 'connecting' ? 'Connecting' : 'Offline';
  return (
    <span
      className={`live-dot live-${live.value}`}
      title={live.value === 'open' ? 'Live updates on' : 'Live updates interrupted'}
    >
      <span aria-hidden="true" className="dot" />
      {text}
    </span>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const app = useApp();
  const { path } = useLocation();
  const [menu, setMenu] = useState(false);
  const nav: { href: string; label: string; show: boolean }[] = [
    { href: '/inbox', label: 'Inbox', show: true },
    { href: '/board', label: 'Board', show: true },
    { href: '/calendar', label: 'Calendar', show: true },
    { href: '/projects', label: 'Projects', show: true },
    { href: '/services', label: 'Services', show: true },
    { href: '/lessons', label: 'Lessons', show: true },
    { href: '/reference', label: 'Reference', show: true },
    { href: '/out-of-office', label: 'Out of office', show: true },
    { href: '/admin', label: 'Admin', show: app.has('admin') },
  ];
  useEffect(() => setMenu(false), [path]);
  const roles = [
    ...app.me.roles,
    ...app.me.delegatedRoles.flatMap((delegation) =>
      delegation.roles.map((role) => `${role} (for ${delegation.onBehalfOfName})`),
    ),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              B
            </span>
            Baton
          </Link>
          <button
            type="button"
            className="button button-ghost menu-toggle"
            aria-expanded={menu}
            aria-controls="main-nav"
            onClick={() => setMenu(!menu)}
          >
            Menu
          </button>
          <nav id="main-nav" aria-label="Main" className={menu ? 'open' : ''}>
            <ul>
              {nav
                .filter((item) => item.show)
                .map((item) => (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={
                        path.startsWith(item.href) || (item.href === '/inbox' && path === '/')
                          ? 'page'
                          : undefined
                      }
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <div className="topbar-right">
            <LensSwitch />
            <LiveDot />
            <div className="me" title={`Roles: ${roles.join(', ')}`}>
              <span className="me-name">{app.me.name}</span>
              <span className="me-roles">{roles.join(', ')}</span>
            </div>
            <button type="button" className="button button-ghost" onClick={() => setToken(null)}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <LiveBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
