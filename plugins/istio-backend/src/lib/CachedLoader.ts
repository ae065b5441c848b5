import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * Loads values through the backend cache service with a short TTL, and
 * coalesces identical requests that are in flight at the same time into one
 * upstream call. Values this instance has loaded or read are also kept in
 * memory (at most `memoryEntries`, for the rest of their TTL), so a hot key
 * is not deserialized from the cache service on every request; the cache
 * service (memory, or Redis shared by replicas) answers the rest.
 */
export class CachedLoader {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly memory = new Map<
    string,
    { expires: number; value: unknown }
  >();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
    private readonly options: {
      memoryEntries?: number;
      now?: () => number;
    } = {},
  ) {}

  private remember(key: string, value: unknown, ttlMs: number): void {
    const now = (this.options.now ?? Date.now)();
    const max = this.options.memoryEntries ?? 2000;
    if (this.memory.size >= max) {
      for (const [k, v] of this.memory) {
        if (v.expires <= now) this.memory.delete(k);
      }
      if (this.memory.size >= max) this.memory.clear();
    }
    this.memory.set(key, { expires: now + ttlMs, value });
  }

  /** Loads a JSON-serializable value (it goes through the cache service). */
  async load<T>(key: string, loader: () => Promise<T>): Promise<T> {
    if (this.ttlMs > 0) {
      const kept = this.memory.get(key);
      if (kept && kept.expires > (this.options.now ?? Date.now)()) {
        return kept.value as T;
      }
      const cached = await this.cache.get(key);
      if (cached !== undefined) {
        // Another replica may have set it up to a TTL ago: keep it briefly
        this.remember(key, cached, Math.min(this.ttlMs, 1000));
        return cached as T;
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      return pending as Promise<T>;
    }
    const promise = (async () => {
      try {
        const value = await loader();
        if (this.ttlMs > 0) {
          await this.cache.set(key, value as JsonValue, { ttl: this.ttlMs });
          this.remember(key, value, this.ttlMs);
        }
        return value;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return promise;
  }
}

/**
 * A cache key from its parts: each part is percent-encoded, so a `:` inside a
 * label selector cannot make two different requests share a key; absent parts
 * read as `-`.
 */
export function cacheKey(
  kind: string,
  ...parts: Array<string | number | undefined>
): string {
  return [
    'istio',
    kind,
    ...parts.map(p => (p === undefined ? '-' : encodeURIComponent(String(p)))),
  ].join(':');
}
