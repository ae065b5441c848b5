import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { CachedLoader } from './CachedLoader';

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
});
