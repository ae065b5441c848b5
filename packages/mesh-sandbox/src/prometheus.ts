import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** How to install the binary, quoted in errors. */
export const PROMETHEUS_INSTALL_HINT =
  'apt-get update && apt-get install -y --no-install-recommends prometheus';

/** A running Prometheus. */
export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:9090 (the HTTP API is under /api/v1). */
  url: string;
  stop(): Promise<void>;
}

/** True when the `prometheus` binary is on PATH. */
export function hasPrometheusBinary(binary = 'prometheus'): boolean {
  const result = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

async function waitReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `prometheus exited with code ${child.exitCode}: ${output().slice(
          -2000,
        )}`,
      );
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(
    `prometheus did not become ready within ${timeoutMs} ms: ${output().slice(
      -2000,
    )}`,
  );
}

/**
 * Runs the real Prometheus (Debian package `prometheus`) scraping one URL,
 * with a generated config and a throw-away data directory. Resolves once
 * `/-/ready` answers. Throws an error naming the package and the apt
 * command when the binary is missing.
 */
export async function startPrometheus(options: {
  /** The URL to scrape, e.g. the sandbox's metricsUrl. */
  scrapeUrl: string;
  /** Scrape interval, e.g. '5s'. Default '5s'. */
  scrapeInterval?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Binary to run. Default `prometheus`. */
  binary?: string;
  /**
   * More scrape jobs, each one URL with target labels (e.g. `pod`, `namespace`), as
   * Kubernetes service discovery would label a ztunnel or waypoint pod. A URL nothing
   * answers on models a pod Prometheus fails to scrape (`up` 0, `lastError` set).
   */
  extraTargets?: Array<{
    job: string;
    url: string;
    labels?: Record<string, string>;
  }>;
}): Promise<RunningPrometheus> {
  const binary = options.binary ?? 'prometheus';
  if (!hasPrometheusBinary(binary)) {
    throw new Error(
      `The Prometheus binary "${binary}" was not found. Install the Debian package prometheus: ${PROMETHEUS_INSTALL_HINT}`,
    );
  }
  const target = new URL(options.scrapeUrl);
  const interval = options.scrapeInterval ?? '5s';
  const dir = mkdtempSync(join(tmpdir(), 'mesh-sandbox-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      scrape_configs: [
        {
          job_name: 'mesh-sandbox',
          scrape_interval: interval,
          scrape_timeout: interval,
          metrics_path: target.pathname,
          scheme: target.protocol.replace(':', ''),
          static_configs: [{ targets: [target.host] }],
        },
        ...(options.extraTargets ?? []).map(extra => {
          const url = new URL(extra.url);
          return {
            job_name: extra.job,
            scrape_interval: interval,
            scrape_timeout: interval,
            metrics_path: url.pathname,
            scheme: url.protocol.replace(':', ''),
            static_configs: [
              { targets: [url.host], labels: extra.labels ?? {} },
            ],
          };
        }),
      ],
    }),
  );
  const port = options.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([
        exited,
        new Promise(resolve => setTimeout(resolve, 5000)),
      ]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => output, 30000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
