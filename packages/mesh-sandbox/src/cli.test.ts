import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from './__testUtils__/clients';
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
          '--sail-operator-version',
          '1.27',
        ],
        '/repo',
      ),
    ).toMatchObject({
      port: 0,
      prometheus: true,
      seed: false,
      spanServiceName: 'waypoint',
      dir: '/tmp/x',
      sailOperatorVersion: '1.27',
    });
  });

  it('reads the platform variants (Sail layout, versions of istio/istio#59443)', () => {
    expect(parseArgs([], '/repo')).toMatchObject({
      istioVersion: '1.28.6',
      gatewayApiVersion: 'v1.5.0',
      layout: 'istio-system',
      ztunnelApiVersion: 'v1',
    });
    expect(
      parseArgs(
        [
          '--layout',
          'sail',
          '--istio-version',
          '1.28.0',
          '--gateway-api-version',
          'v1.4.0',
          '--ztunnel-api-version',
          'v1alpha1',
        ],
        '/repo',
      ),
    ).toMatchObject({
      layout: 'sail',
      istioVersion: '1.28.0',
      gatewayApiVersion: 'v1.4.0',
      ztunnelApiVersion: 'v1alpha1',
    });
    expect(() => parseArgs(['--layout', 'openshift'], '/repo')).toThrow(
      /^--layout: /,
    );
    expect(() => parseArgs(['--istio-version', 'latest'], '/repo')).toThrow(
      /^--istio-version: /,
    );
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

describe('bin/mesh-sandbox start', () => {
  it('runs in the foreground, writes kubeconfig, CA and endpoints, and stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-sandbox-cli-'));
    const bin = resolve(__dirname, '../bin/mesh-sandbox');
    const ports = [
      '--port',
      '0',
      '--metrics-port',
      '0',
      '--tempo-port',
      '0',
      '--admin-port',
      '0',
    ];
    const child = spawn(
      process.execPath,
      [bin, 'start', '--dir', dir, ...ports],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    try {
      await eventually(
        () => existsSync(join(dir, 'endpoints.json')),
        30000,
        100,
      );
      const endpoints = JSON.parse(
        readFileSync(join(dir, 'endpoints.json'), 'utf8'),
      );
      expect(Object.keys(endpoints).sort()).toEqual([
        'admin',
        'kubernetes',
        'metrics',
        'tempo',
      ]);
      expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toContain(
        'BEGIN CERTIFICATE',
      );
      const kc = new KubeConfig();
      kc.loadFromFile(join(dir, 'kubeconfig'));
      expect(kc.getContexts().map(c => c.name)).toEqual([
        'sandbox-admin',
        'sandbox-readonly',
      ]);
      const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.map(n => n.metadata?.name)).toContain(
        'microservices',
      );
      await eventually(() => output.includes('mesh-sandbox is running'), 5000);
      const exited = new Promise<number | null>(done =>
        child.once('exit', code => done(code)),
      );
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
