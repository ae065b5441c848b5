import {
  buildFleetHealthQuery,
  FLEET_HEALTH_MAX_TARGETS,
  FleetClusterSummary,
  FleetHealthTarget,
  fleetHealthKey,
  fleetHealthOf,
  HealthThresholds,
} from '@ambient-mesh/plugin-istio-common';
import { PrometheusClient } from '../clients/PrometheusClient';
import { pickInstance, PrometheusInstance } from '../config/istioConfig';
import { EntityTarget } from './targets';

/** One row of the fleet page whose health is to be read. */
export interface FleetHealthRow {
  target: EntityTarget;
  summary: FleetClusterSummary;
}

/**
 * The health column of the fleet page: the golden signals of every row on
 * the page, one PromQL query per Prometheus instance (buildFleetHealthQuery)
 * instead of one per entity.
 */
export class FleetHealthReader {
  constructor(
    private readonly instances: PrometheusInstance[],
    private readonly timeoutMs: number,
    private readonly thresholds: HealthThresholds,
  ) {}

  /** Sets `health` on every row a configured Prometheus serves. */
  async annotate(rows: FleetHealthRow[], window: string): Promise<void> {
    const groups = new Map<
      string,
      { instance: PrometheusInstance; rows: FleetHealthRow[] }
    >();
    for (const row of rows) {
      const { summary, target } = row;
      if (summary.error || !summary.namespace) continue;
      let instance: PrometheusInstance | undefined;
      try {
        instance = pickInstance(
          this.instances,
          summary.cluster,
          target.prometheus,
          'Prometheus',
        );
      } catch (error) {
        summary.health = unknown(error);
        continue;
      }
      if (!instance) continue;
      const group = groups.get(instance.name) ?? { instance, rows: [] };
      group.rows.push(row);
      groups.set(instance.name, group);
    }
    await Promise.all(
      [...groups.values()].flatMap(({ instance, rows: grouped }) =>
        chunks(grouped, FLEET_HEALTH_MAX_TARGETS).map(part =>
          this.read(instance, part, window),
        ),
      ),
    );
  }

  private async read(
    instance: PrometheusInstance,
    rows: FleetHealthRow[],
    window: string,
  ): Promise<void> {
    const targetOf = (row: FleetHealthRow): FleetHealthTarget => ({
      namespace: row.summary.namespace!,
      service: row.target.serviceName,
    });
    const targets = rows.map(targetOf);
    try {
      const client = new PrometheusClient(instance, this.timeoutMs);
      const samples = await client.query(
        buildFleetHealthQuery(dedupe(targets), window),
      );
      const health = fleetHealthOf(targets, samples, this.thresholds);
      for (const row of rows) {
        row.summary.health = health.get(fleetHealthKey(targetOf(row)));
      }
    } catch (error) {
      for (const row of rows) row.summary.health = unknown(error);
    }
  }
}

function unknown(error: unknown) {
  return {
    grade: 'unknown' as const,
    rps: null,
    errorRatio5xx: null,
    errorRatio4xx: null,
    error: error instanceof Error ? error.message : String(error),
  };
}

function dedupe(targets: FleetHealthTarget[]): FleetHealthTarget[] {
  const seen = new Map(targets.map(t => [fleetHealthKey(t), t]));
  return [...seen.values()];
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
