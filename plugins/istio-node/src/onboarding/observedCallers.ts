import {
  ObservedCaller,
  observedCallersQuery,
} from '@ambient-mesh/plugin-istio-common';

/**
 * Reads who called into a namespace recently.
 *
 * @public
 */
export interface CallerSource {
  /** A label for plans, e.g. "prometheus local, last 1h". */
  describe(cluster: string): string | undefined;
  /** The callers of `namespace` in `cluster`; undefined when no source serves the cluster. */
  callers(
    cluster: string,
    namespace: string,
    signal?: AbortSignal,
  ): Promise<ObservedCaller[] | undefined>;
}

/**
 * A configured Prometheus instance (istio.prometheus).
 *
 * @public
 */
export interface CallerPrometheus {
  name: string;
  baseUrl: string;
  clusters?: string[];
  headers?: Record<string, string>;
}

/**
 * Observed callers from the configured Prometheus serving the cluster
 * (never a URL from an entity or an input), over the last hour.
 *
 * @public
 */
export class PrometheusCallerSource implements CallerSource {
  constructor(
    private readonly instances: readonly CallerPrometheus[],
    private readonly options: { timeoutMs?: number; window?: string } = {},
  ) {}

  private pick(cluster: string) {
    return this.instances.find(
      i => !i.clusters || i.clusters.includes(cluster),
    );
  }

  describe(cluster: string) {
    const instance = this.pick(cluster);
    return instance
      ? `prometheus ${instance.name}, last ${this.options.window ?? '1h'}`
      : undefined;
  }

  async callers(
    cluster: string,
    namespace: string,
    signal?: AbortSignal,
  ): Promise<ObservedCaller[] | undefined> {
    const instance = this.pick(cluster);
    if (!instance) return undefined;
    const query = observedCallersQuery(namespace, this.options.window ?? '1h');
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? 5000)];
    if (signal) signals.push(signal);
    let response: Response;
    try {
      response = await fetch(
        `${instance.baseUrl.replace(/\/+$/, '')}/api/v1/query`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...instance.headers,
          },
          body: new URLSearchParams({ query }).toString(),
          signal: AbortSignal.any(signals),
          redirect: 'error',
        },
      );
    } catch (error) {
      throw new Error(
        `Prometheus ${instance.name} did not answer (${
          (error as Error).name === 'TimeoutError'
            ? 'timeout'
            : (error as Error).name
        })`,
      );
    }
    if (!response.ok) {
      throw new Error(
        `Prometheus ${instance.name} answered HTTP ${response.status}`,
      );
    }
    const body = (await response.json()) as {
      data?: { result?: Array<{ metric: Record<string, string> }> };
    };
    const seen = new Map<string, ObservedCaller>();
    for (const { metric } of body.data?.result ?? []) {
      const caller = {
        namespace: metric.source_workload_namespace ?? 'unknown',
        workload: metric.source_workload ?? 'unknown',
        principal: metric.source_principal ?? 'unknown',
      };
      seen.set(
        `${caller.namespace}/${caller.workload}/${caller.principal}`,
        caller,
      );
    }
    return [...seen.values()].sort((a, b) =>
      `${a.namespace}/${a.workload}`.localeCompare(
        `${b.namespace}/${b.workload}`,
      ),
    );
  }
}
