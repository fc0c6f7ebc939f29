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
  /** The read in flight, so a caller whose read was overtaken by a newer one can wait for that one. */
  pending?: Promise<void>;
}

const entries = new Map<string, Entry>();
const subscribers = new Map<string, Set<() => void>>();
const EMPTY: Entry = { loading: true, generation: 0 };

function emit(key: string) {
  subscribers.get(key)?.forEach((listener) => listener());
}

/** Reads `key` with `loader`; resolves once the cache holds this read's answer or a newer one. */
export function load(key: string, loader: () => Promise<unknown>): Promise<void> {
  const previous = entries.get(key);
  const generation = (previous?.generation ?? 0) + 1;
  const settle = (next: Entry): Promise<void> | undefined => {
    const latest = entries.get(key);
    if (latest?.generation === generation) {
      entries.set(key, next);
      emit(key);
      return undefined;
    }
    // Overtaken (a live event refreshed the same key meanwhile): resolve when the newer read has landed,
    // so whoever awaits this reload sees data at least as fresh as what it asked for.
    return latest?.pending !== pending ? latest?.pending : undefined;
  };
  const pending: Promise<void> = loader().then(
    (data) => settle({ data, loading: false, loader, generation }),
    (error: unknown) =>
      settle({ ...entries.get(key), error, loading: false, loader, generation, pending: undefined }),
  );
  entries.set(key, { ...previous, loading: true, loader, generation, pending });
  emit(key);
  return pending;
}

/** Reloads every cached read whose key starts with `prefix` that a page shows; forgets the others. */
export function refresh(prefix: string): void {
  for (const [key, entry] of entries) {
    if (!key.startsWith(prefix)) continue;
    if ((subscribers.get(key)?.size ?? 0) > 0 && entry.loader) void load(key, entry.loader);
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
    pending: undefined,
    generation: (entry?.generation ?? 0) + 1,
  });
  emit(key);
}

/** What the cache holds for `key` (for tests and debugging). */
export function peek(key: string): unknown {
  return entries.get(key)?.data;
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
      void load(key, () => loaderRef.current());
  }, [key]);
  const reload = useCallback(
    () => (key === null ? Promise.resolve() : load(key, () => loaderRef.current())),
    [key],
  );
  return { data: entry.data as T | undefined, error: entry.error, loading: entry.loading, reload };
}
