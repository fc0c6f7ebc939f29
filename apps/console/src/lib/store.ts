// A small cache of API reads keyed by name ("deliverable:<id>", "glossary"): pages subscribe to what they
// show, a change or a live event refreshes by key prefix, and data already shown stays on screen while it
// reloads (no blank flash, no jump).
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';

interface Entry {
  data?: unknown;
  error?: unknown;
  loading: boolean;
  loader?: () => Promise<unknown>;
  generation: number;
}

const entries = new Map<string, Entry>();
const subscribers = new Map<string, Set<() => void>>();
const EMPTY: Entry = { loading: true, generation: 0 };

function emit(key: string) {
  subscribers.get(key)?.forEach((listener) => listener());
}

function run(key: string, loader: () => Promise<unknown>): Promise<void> {
  const previous = entries.get(key);
  const generation = (previous?.generation ?? 0) + 1;
  entries.set(key, { ...previous, loading: true, loader, generation });
  emit(key);
  return loader().then(
    (data) => {
      if (entries.get(key)?.generation !== generation) return;
      entries.set(key, { data, loading: false, loader, generation });
      emit(key);
    },
    (error: unknown) => {
      if (entries.get(key)?.generation !== generation) return;
      entries.set(key, { ...entries.get(key), error, loading: false, loader, generation });
      emit(key);
    },
  );
}

/** Reloads every cached read whose key starts with `prefix` that a page shows; forgets the others. */
export function refresh(prefix: string): void {
  for (const [key, entry] of entries) {
    if (!key.startsWith(prefix)) continue;
    if ((subscribers.get(key)?.size ?? 0) > 0 && entry.loader) void run(key, entry.loader);
    else entries.delete(key);
  }
}

/** Puts a fresh answer in the cache (a mutation's response), so pages show it at once. */
export function prime(key: string, data: unknown): void {
  const entry = entries.get(key);
  entries.set(key, {
    ...entry,
    data,
    error: undefined,
    loading: false,
    generation: (entry?.generation ?? 0) + 1,
  });
  emit(key);
}

export function clearAll(): void {
  entries.clear();
  for (const key of subscribers.keys()) emit(key);
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useResource<T>(key: string | null, loader: () => Promise<T>): Resource<T> {
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  const subscribe = useCallback(
    (listener: () => void) => {
      if (key === null) return () => undefined;
      const set = subscribers.get(key) ?? new Set();
      subscribers.set(key, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    [key],
  );
  const entry = useSyncExternalStore(subscribe, () => (key === null ? EMPTY : (entries.get(key) ?? EMPTY)));
  useEffect(() => {
    if (key === null) return;
    const current = entries.get(key);
    if (!current || (current.data === undefined && current.error === undefined && !current.loading))
      void run(key, () => loaderRef.current());
  }, [key]);
  const reload = useCallback(
    () => (key === null ? Promise.resolve() : run(key, () => loaderRef.current())),
    [key],
  );
  return { data: entry.data as T | undefined, error: entry.error, loading: entry.loading, reload };
}
