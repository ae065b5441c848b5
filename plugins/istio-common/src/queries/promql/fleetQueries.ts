import { InputError } from '@backstage/errors';
import { gradeHealth, HealthThresholds } from '../../health';
import type { HealthGrade } from '../../types';
import { labelEquals, labelOneOf, metricSelector } from './labels';
import { validatePromWindow } from './window';

/** A service of the fleet page, as its waypoint reports it. @public */
export interface FleetHealthTarget {
  /** `destination_service_namespace`. */
  namespace: string;
  /** `destination_service_name` (the Kubernetes Service name). */
  service: string;
}

/** The health of one service of the fleet page, from its waypoint's requests. @public */
export interface FleetHealth {
  grade: HealthGrade;
  /** Requests per second over the window; null when no waypoint reports the service. */
  rps: number | null;
  /** Share (0..1) of 5xx responses; null without requests. */
  errorRatio5xx: number | null;
  /** Share (0..1) of 4xx responses; null without requests. */
  errorRatio4xx: number | null;
  /** Why the health could not be read. */
  error?: string;
}

/** One sample of the fleet health query. @public */
export interface FleetHealthSample {
  labels: Record<string, string>;
  value: number | null;
}

/** Services of one fleet health query at most. @public */
export const FLEET_HEALTH_MAX_TARGETS = 500;

const BY = 'destination_service_namespace, destination_service_name';

/** The key of a service in {@link fleetHealthOf}'s answer: `namespace/service`. @public */
export function fleetHealthKey(target: FleetHealthTarget): string {
  return `${target.namespace}/${target.service}`;
}

/**
 * One PromQL query for the health of many services at once: requests per
 * second by service and response code as their waypoints report them
 * (`reporter="waypoint"`; istio/istio 1.28 `istio_requests_total` labels
 * `destination_service_name`, `destination_service_namespace`,
 * `response_code`). Every namespace and name goes in escaped (labelOneOf);
 * the cross product of the two lists is narrowed by {@link fleetHealthOf}.
 *
 * @public
 */
export function buildFleetHealthQuery(
  targets: readonly FleetHealthTarget[],
  window: string,
): string {
  const w = validatePromWindow(window);
  if (targets.length === 0 || targets.length > FLEET_HEALTH_MAX_TARGETS) {
    throw new InputError(
      `A fleet health query covers 1 to ${FLEET_HEALTH_MAX_TARGETS} services; got ${targets.length}`,
    );
  }
  for (const t of targets) {
    if (!t.namespace || !t.service) {
      throw new InputError(
        'Every fleet health target needs a namespace and a service name',
      );
    }
  }
  const namespaces = [...new Set(targets.map(t => t.namespace))].sort();
  const services = [...new Set(targets.map(t => t.service))].sort();
  const selector = metricSelector('istio_requests_total', [
    labelEquals('reporter', 'waypoint'),
    labelOneOf('destination_service_namespace', namespaces),
    labelOneOf('destination_service_name', services),
  ]);
  return `sum by (${BY}, response_code) (rate(${selector}[${w}]))`;
}

/**
 * The health of each target from the answer of {@link buildFleetHealthQuery},
 * graded like the entity tab's (gradeHealth). A target no waypoint reports is
 * `unknown` (ztunnel sees connections, not responses).
 *
 * @public
 */
export function fleetHealthOf(
  targets: readonly FleetHealthTarget[],
  samples: readonly FleetHealthSample[],
  thresholds?: HealthThresholds,
): Map<string, FleetHealth> {
  const sums = new Map<string, { total: number; x5: number; x4: number }>();
  for (const s of samples) {
    const key = fleetHealthKey({
      namespace: s.labels.destination_service_namespace ?? '',
      service: s.labels.destination_service_name ?? '',
    });
    const value = s.value !== null && Number.isFinite(s.value) ? s.value : 0;
    const sum = sums.get(key) ?? { total: 0, x5: 0, x4: 0 };
    const code = s.labels.response_code ?? '';
    sum.total += value;
    if (/^5\d\d$/.test(code)) sum.x5 += value;
    if (/^4\d\d$/.test(code)) sum.x4 += value;
    sums.set(key, sum);
  }
  const result = new Map<string, FleetHealth>();
  for (const target of targets) {
    const key = fleetHealthKey(target);
    const sum = sums.get(key);
    if (!sum) {
      result.set(key, {
        grade: 'unknown',
        rps: null,
        errorRatio5xx: null,
        errorRatio4xx: null,
      });
      continue;
    }
    const input = {
      rps: sum.total,
      errorRatio5xx: sum.total ? sum.x5 / sum.total : null,
      errorRatio4xx: sum.total ? sum.x4 / sum.total : null,
    };
    result.set(key, { ...input, grade: gradeHealth(input, thresholds) });
  }
  return result;
}
