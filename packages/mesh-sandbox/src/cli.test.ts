import { DEFAULT_PORTS, parseArgs } from './cli';
import { startPrometheus } from './prometheus';

describe('mesh-sandbox start options', () => {
  it('defaults to the fixed ports and <repo>/.sandbox', () => {
    expect(parseArgs([], '/repo')).toMatchObject({
      dir: '/repo/.sandbox',
      port: DEFAULT_PORTS.kubernetes,
      metricsPort: 9464,
      tempoPort: 3200,
      adminPort: 9465,
      prometheus: false,
      seed: true,
    });
  });

  it('reads flags', () => {
    expect(
      parseArgs(
        [
          '--port',
          '0',
          '--prometheus',
          '--no-seed',
          '--span-service-name',
          'waypoint',
          '--dir',
          '/tmp/x',
        ],
        '/repo',
      ),
    ).toMatchObject({
      port: 0,
      prometheus: true,
      seed: false,
      spanServiceName: 'waypoint',
      dir: '/tmp/x',
    });
  });

  it('names the bad flag', () => {
    expect(() => parseArgs(['--port', 'http'], '/repo')).toThrow(/^--port: /);
    expect(() => parseArgs(['--span-service-name', 'pod'], '/repo')).toThrow(
      /^--span-service-name: /,
    );
    expect(() => parseArgs(['--colour'], '/repo')).toThrow(
      /unknown option --colour/,
    );
  });
});

describe('startPrometheus', () => {
  it('names the package and the apt command when the binary is missing', async () => {
    await expect(
      startPrometheus({
        scrapeUrl: 'http://127.0.0.1:1/metrics',
        binary: 'prometheus-not-installed',
      }),
    ).rejects.toThrow(
      /package prometheus: apt-get update && apt-get install -y --no-install-recommends prometheus/,
    );
  });
});
