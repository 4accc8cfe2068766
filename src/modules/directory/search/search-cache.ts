/*
 * Search results kept in this process, each with the directory generation it was read at
 * (migration 0115: a number that moves on with every committed change to services,
 * organisations, places, times, needs, postcodes …, from any process). A search reads the number
 * first (one tiny query) and uses a kept result only if the number is the same, so a change is
 * seen by the next search after its commit. Kept per database object: a transaction's own
 * queryable is a new object each time, so nothing read inside one (uncommitted) is ever reused.
 */

const MAX_ENTRIES = 500;

type Entry<T> = { generation: string; value: T };

export class GenerationCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, generation: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, so the oldest is dropped first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, generation: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { generation, value });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}

const caches = new WeakMap<object, GenerationCache<unknown>>();

/** The cache of one database (its pool or embedded instance). */
export function cacheFor<T>(db: object): GenerationCache<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new GenerationCache<unknown>()));
  return cache as GenerationCache<T>;
}
