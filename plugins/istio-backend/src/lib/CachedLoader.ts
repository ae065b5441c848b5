import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * Loads values through the backend cache service with a short TTL, and
 * coalesces identical requests that are in flight at the same time into one
 * upstream call.
 */
export class CachedLoader {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
  ) {}

  /** Loads a JSON-serializable value (it goes through the cache service). */
  async load<T>(key: string, loader: () => Promise<T>): Promise<T> {
    if (this.ttlMs > 0) {
      const cached = await this.cache.get(key);
      if (cached !== undefined) {
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
