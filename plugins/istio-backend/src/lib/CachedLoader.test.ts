import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { CachedLoader, cacheKey } from './CachedLoader';

function memoryCache() {
  return CacheManager.fromConfig(new ConfigReader({})).forPlugin('istio');
}

describe('CachedLoader', () => {
  it('coalesces identical requests in flight into one upstream call', async () => {
    const loader = new CachedLoader(memoryCache(), 0);
    let calls = 0;
    let release: (value: string) => void = () => {};
    const upstream = () => {
      calls += 1;
      return new Promise<string>(resolve => {
        release = resolve;
      });
    };
    const first = loader.load('k', upstream);
    const second = loader.load('k', upstream);
    release('value');
    await expect(Promise.all([first, second])).resolves.toEqual([
      'value',
      'value',
    ]);
    expect(calls).toBe(1);
    // Without a TTL, the next request calls upstream again
    await loader.load('k', async () => {
      calls += 1;
      return 'again';
    });
    expect(calls).toBe(2);
  });

  it('serves from the cache within the TTL, and never caches failures', async () => {
    const loader = new CachedLoader(memoryCache(), 60_000);
    await expect(
      loader.load('k', async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
    await expect(loader.load('k', async () => ({ n: 1 }))).resolves.toEqual({
      n: 1,
    });
    await expect(loader.load('k', async () => ({ n: 2 }))).resolves.toEqual({
      n: 1,
    });
    await expect(loader.load('other', async () => ({ n: 3 }))).resolves.toEqual(
      { n: 3 },
    );
  });

  it('shares values through the cache service, and keeps its own in memory for the TTL', async () => {
    const cache = memoryCache();
    let now = 0;
    const a = new CachedLoader(cache, 60_000, { now: () => now });
    const b = new CachedLoader(cache, 60_000, { now: () => now });
    let calls = 0;
    const upstream = async () => ({ n: ++calls });
    await expect(a.load('k', upstream)).resolves.toEqual({ n: 1 });
    // Another instance reads it from the cache service
    await expect(b.load('k', upstream)).resolves.toEqual({ n: 1 });
    expect(calls).toBe(1);
    // Gone from the cache service: the loader that set it still has it until its TTL
    await cache.delete('k');
    await expect(a.load('k', upstream)).resolves.toEqual({ n: 1 });
    now += 60_001;
    await expect(a.load('k', upstream)).resolves.toEqual({ n: 2 });
    expect(calls).toBe(2);
  });

  it('builds keys that keep their parts apart', () => {
    expect(cacheKey('mesh', 'c', 'ns', 'a=b:c')).toBe(
      'istio:mesh:c:ns:a%3Db%3Ac',
    );
    expect(cacheKey('mesh', 'c', 'ns:a', 'b')).not.toBe(
      cacheKey('mesh', 'c', 'ns', 'a:b'),
    );
    expect(cacheKey('mtls', 'c', undefined)).toBe('istio:mtls:c:-');
  });
});
