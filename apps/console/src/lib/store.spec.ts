import { beforeEach, describe, expect, it } from '@jest/globals';
import { clearAll, load, peek, prime } from './store';

/** A read whose answer the test releases when it likes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('the read cache', () => {
  beforeEach(() => clearAll());

  it('keeps the newest answer when two reads of one key overlap', async () => {
    const first = deferred<number>();
    const second = deferred<number>();
    const a = load('k', () => first.promise);
    const b = load('k', () => second.promise);
    second.resolve(2);
    await b;
    first.resolve(1);
    await a;
    expect(peek('k')).toBe(2);
  });

  it('resolves an overtaken read only once the newer read has landed', async () => {
    // The reader's Reload starts a read; a live event refreshes the same key before it answers. The
    // Reload must not resolve while the cache still holds the version from before both.
    prime('k', 1);
    const reload = deferred<number>();
    const live = deferred<number>();
    let reloaded = false;
    const done = load('k', () => reload.promise).then(() => (reloaded = true));
    void load('k', () => live.promise);
    reload.resolve(2);
    await new Promise((tick) => setTimeout(tick, 0));
    expect(reloaded).toBe(false);
    expect(peek('k')).toBe(1);
    live.resolve(3);
    await done;
    expect(peek('k')).toBe(3);
  });

  it('resolves an overtaken read when a command answer is primed meanwhile', async () => {
    const read = deferred<number>();
    const done = load('k', () => read.promise);
    prime('k', 5);
    read.resolve(4);
    await done;
    expect(peek('k')).toBe(5);
  });
});
