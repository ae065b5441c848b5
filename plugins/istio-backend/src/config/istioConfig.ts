import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  HealthThresholds,
} from '@ambient-mesh/plugin-istio-common';

/** Authentication sent to an observability backend. */
export type UpstreamAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

/** A configured Prometheus instance. */
export interface PrometheusInstance {
  name: string;
  baseUrl: string;
  /** Clusters it scrapes; undefined means all. */
  clusters?: string[];
  auth: UpstreamAuth;
}

/** A configured Tempo instance. */
export interface TempoInstance {
  name: string;
  baseUrl: string;
  clusters?: string[];
  orgId?: string;
  auth: UpstreamAuth;
  grafana?: { url: string; datasourceUid: string };
}

/** The `istio` configuration of the backend plugin, validated. */
export interface IstioBackendConfig {
  prometheus: PrometheusInstance[];
  tempo: TempoInstance[];
  timeouts: { kubernetesMs: number; prometheusMs: number; tempoMs: number };
  cacheTtlMs: number;
  accessTtlMs: number;
  clusterCache: {
    enabled: boolean;
    maxNamespaces: number;
    maxObjects: number;
    namespaceRefreshMs: number;
  };
  health: HealthThresholds;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_CACHE_TTL_SECONDS = 15;

function readBaseUrl(config: Config, path: string): string {
  const value = config.getString('baseUrl');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `Invalid URL '${value}' at ${path}.baseUrl: use an absolute http(s) URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `Invalid URL '${value}' at ${path}.baseUrl: use http or https`,
    );
  }
  return value.replace(/\/+$/, '');
}

function readAuth(config: Config, path: string): UpstreamAuth {
  const token = config.getOptionalString('bearerToken');
  const username = config.getOptionalString('username');
  const password = config.getOptionalString('password');
  if (token && username) {
    throw new InputError(
      `${path} sets both bearerToken and username: keep one of them`,
    );
  }
  if (token) return { type: 'bearer', token };
  if (username !== undefined || password !== undefined) {
    if (!username || password === undefined) {
      throw new InputError(
        `${path} needs both username and password for basic authentication`,
      );
    }
    return { type: 'basic', username, password };
  }
  return { type: 'none' };
}

function readUniqueNames<T extends { name: string }>(
  items: T[],
  path: string,
): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name)) {
      throw new InputError(
        `${path} lists '${item.name}' twice: give each instance its own name`,
      );
    }
    seen.add(item.name);
  }
  return items;
}

function readThresholds(
  config: Config | undefined,
  fallback: HealthThresholds['errorRatio5xx'],
) {
  if (!config) return fallback;
  return {
    degraded: config.getNumber('degraded'),
    failure: config.getNumber('failure'),
  };
}

function readTimeout(config: Config | undefined, key: string): number {
  const value = config?.getOptionalNumber(key) ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `istio.timeouts.${key} must be a positive number of milliseconds`,
    );
  }
  return value;
}

/** Reads and validates the `istio` configuration of the backend plugin. */
export function readIstioBackendConfig(root: Config): IstioBackendConfig {
  const config = root.getOptionalConfig('istio');

  const prometheus = (config?.getOptionalConfigArray('prometheus') ?? []).map(
    (c, i) => {
      const path = `istio.prometheus[${i}]`;
      return {
        name: c.getString('name'),
        baseUrl: readBaseUrl(c, path),
        clusters: c.getOptionalStringArray('clusters'),
        auth: readAuth(c, path),
      };
    },
  );

  const tempo = (config?.getOptionalConfigArray('tempo') ?? []).map((c, i) => {
    const path = `istio.tempo[${i}]`;
    const grafanaUrl = c.getOptionalString('grafanaUrl');
    const datasourceUid = c.getOptionalString('grafanaDatasourceUid');
    return {
      name: c.getString('name'),
      baseUrl: readBaseUrl(c, path),
      clusters: c.getOptionalStringArray('clusters'),
      orgId: c.getOptionalString('orgId'),
      auth: readAuth(c, path),
      grafana:
        grafanaUrl && datasourceUid
          ? { url: grafanaUrl.replace(/\/+$/, ''), datasourceUid }
          : undefined,
    };
  });

  const timeouts = config?.getOptionalConfig('timeouts');
  const ttlSeconds =
    config?.getOptionalNumber('cacheTtlSeconds') ?? DEFAULT_CACHE_TTL_SECONDS;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0) {
    throw new InputError(
      'istio.cacheTtlSeconds must be 0 (no cache) or a positive number of seconds',
    );
  }
  const health = config?.getOptionalConfig('health');

  return {
    prometheus: readUniqueNames(prometheus, 'istio.prometheus'),
    tempo: readUniqueNames(tempo, 'istio.tempo'),
    timeouts: {
      kubernetesMs: readTimeout(timeouts, 'kubernetesMs'),
      prometheusMs: readTimeout(timeouts, 'prometheusMs'),
      tempoMs: readTimeout(timeouts, 'tempoMs'),
    },
    cacheTtlMs: ttlSeconds * 1000,
    clusterCache: readClusterCache(config?.getOptionalConfig('clusterCache')),
    accessTtlMs: readAccessTtlMs(config),
    health: {
      errorRatio5xx: readThresholds(
        health?.getOptionalConfig('errorRatio5xx'),
        DEFAULT_HEALTH_THRESHOLDS.errorRatio5xx,
      ),
      errorRatio4xx: readThresholds(
        health?.getOptionalConfig('errorRatio4xx'),
        DEFAULT_HEALTH_THRESHOLDS.errorRatio4xx,
      ),
    },
  };
}

/**
 * The instance that serves a cluster: the one the entity names (by name,
 * never by URL), else the first one configured for that cluster.
 */
export function pickInstance<T extends { name: string; clusters?: string[] }>(
  instances: T[],
  cluster: string,
  requestedName: string | undefined,
  kind: string,
): T | undefined {
  if (requestedName) {
    const named = instances.find(i => i.name === requestedName);
    if (!named) {
      throw new InputError(
        `The entity asks for ${kind} instance '${requestedName}', which is not configured; configured: ${
          instances.map(i => i.name).join(', ') || 'none'
        }`,
      );
    }
    if (named.clusters && !named.clusters.includes(cluster)) {
      throw new InputError(
        `The entity asks for ${kind} instance '${requestedName}', which does not serve cluster ${cluster} (it serves ${named.clusters.join(
          ', ',
        )}); name an instance configured for that cluster`,
      );
    }
    return named;
  }
  return instances.find(i => !i.clusters || i.clusters.includes(cluster));
}

/** The HTTP headers that carry an instance's authentication. */
export function authHeaders(auth: UpstreamAuth): Record<string, string> {
  switch (auth.type) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(
          `${auth.username}:${auth.password}`,
        ).toString('base64')}`,
      };
    default:
      return {};
  }
}

function positiveInteger(
  config: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `istio.clusterCache.${key} must be a positive whole number (got ${value})`,
    );
  }
  return value;
}

function readClusterCache(config: Config | undefined) {
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    maxNamespaces: positiveInteger(config, 'maxNamespaces', 500),
    maxObjects: positiveInteger(config, 'maxObjects', 100_000),
    namespaceRefreshMs:
      positiveInteger(config, 'namespaceRefreshSeconds', 300) * 1000,
  };
}

function readAccessTtlMs(config: Config | undefined): number {
  const seconds = config?.getOptionalNumber('accessCacheSeconds') ?? 5;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new InputError(
      'istio.accessCacheSeconds must be 0 (check every request) or a positive number of seconds',
    );
  }
  return seconds * 1000;
}
