// What every page reads: who is signed in, the glossary and the reader's lens, the workflow, and whether
// single-key shortcuts are on. The lens and the shortcut switch are remembered per browser.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Glossary, Me, Workflow } from '../api/types';
import { gateWords, isLens, statusWords, termWords, type Lens, type Words } from '../lib/lens';

interface AppState {
  me: Me;
  glossary: Glossary | undefined;
  workflow: Workflow | undefined;
  lens: Lens;
  setLens: (lens: Lens) => void;
  shortcuts: boolean;
  setShortcuts: (on: boolean) => void;
  has: (...roles: string[]) => boolean;
  /** A status (or a status-like word the workflow adds) in the reader's words. */
  status: (status: string) => Words;
  gate: (gate: string) => Words;
  term: (baton: string, fallback?: string) => Words;
}

const Context = createContext<AppState | null>(null);

function stored<T>(key: string, parse: (value: string | null) => T): T {
  try {
    return parse(localStorage.getItem(key));
  } catch {
    return parse(null);
  }
}

function remember(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function AppProvider(props: {
  me: Me;
  glossary: Glossary | undefined;
  workflow: Workflow | undefined;
  children: ReactNode;
}) {
  const { me, glossary, workflow } = props;
  const [lens, setLensState] = useState<Lens>(() =>
    stored('baton.lens', (value) =>
      isLens(value) ? value : me.roles.includes('pmo') && !me.roles.includes('smo') ? 'pmo' : 'smo',
    ),
  );
  const [shortcuts, setShortcutsState] = useState(() =>
    stored('baton.shortcuts', (value) => value !== 'off'),
  );
  const value = useMemo<AppState>(() => {
    const roles = new Set(me.roles);
    return {
      me,
      glossary,
      workflow,
      lens,
      setLens: (next) => {
        remember('baton.lens', next);
        setLensState(next);
      },
      shortcuts,
      setShortcuts: (on) => {
        remember('baton.shortcuts', on ? 'on' : 'off');
        setShortcutsState(on);
      },
      // admin may do what pmo and smo may do (API.md)
      has: (...wanted) =>
        wanted.some((role) => roles.has(role) || (roles.has('admin') && (role === 'pmo' || role === 'smo'))),
      status: (status) => statusWords(glossary, status, lens),
      gate: (gate) => gateWords(glossary, gate, lens),
      term: (baton, fallback) => termWords(glossary, baton, lens, fallback),
    };
  }, [me, glossary, workflow, lens, shortcuts]);
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useApp(): AppState {
  const value = useContext(Context);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}
