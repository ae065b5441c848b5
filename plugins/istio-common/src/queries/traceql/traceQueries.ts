import { InputError } from '@backstage/errors';
import type { TraceQueryKind } from '../../types';
import { quoteDoubleQuoted } from '../quoting';

/** What identifies a service's spans in Tempo. @public */
export interface TraceServiceTarget {
  /** Kubernetes Service name. */
  service: string;
  namespace: string;
  /** Name of the waypoint serving the service, when there is one. */
  waypoint?: string;
  /** Namespace of the waypoint (defaults to `namespace`). */
  waypointNamespace?: string;
  /** Cluster DNS domain, `cluster.local` by default. */
  clusterDomain?: string;
}

/**
 * The `resource.service.name` values Istio gives the service's spans, for both naming
 * schemes: `<waypoint>.<namespace>` (Istio 1.24 to 1.27, when a waypoint is known) and
 * the service FQDN `<service>.<namespace>.svc.<domain>` (1.28 and later).
 *
 * @public
 */
export function traceServiceNames(target: TraceServiceTarget): string[] {
  if (!target.service || !target.namespace) {
    throw new InputError('traceServiceNames needs a service and a namespace');
  }
  const domain = target.clusterDomain ?? 'cluster.local';
  const names = [`${target.service}.${target.namespace}.svc.${domain}`];
  if (target.waypoint) {
    names.unshift(
      `${target.waypoint}.${target.waypointNamespace ?? target.namespace}`,
    );
  }
  return names;
}

/** Input of {@link buildTraceQuery}. @public */
export interface TraceQueryOptions {
  kind: TraceQueryKind;
  /** Any of these `resource.service.name` values matches (see {@link traceServiceNames}). */
  serviceNames: readonly string[];
  /** For `slow`: the minimum span duration in milliseconds (default 500). */
  minDurationMs?: number;
}

/**
 * Builds a TraceQL spanset filter for Tempo's `/api/search`, e.g.
 * `{ (resource.service.name = "a" || resource.service.name = "b") && span.http.status_code =~ "5.." }`.
 * Service names are quoted and escaped; the alternatives are grouped so `&&` applies to all.
 *
 * @public
 */
export function buildTraceQuery(options: TraceQueryOptions): string {
  if (options.serviceNames.length === 0) {
    throw new InputError('buildTraceQuery needs at least one service name');
  }
  const alternatives = options.serviceNames.map(
    name => `resource.service.name = ${quoteDoubleQuoted(name)}`,
  );
  const services =
    alternatives.length === 1 ? alternatives[0] : alternatives.join(' || ');
  const grouped =
    alternatives.length === 1 ? services : `(${services})`;

  switch (options.kind) {
    case 'recent':
      return `{ ${services} }`;
    case 'errors':
      return `{ ${grouped} && span.http.status_code =~ "5.." }`;
    case 'slow': {
      const ms = options.minDurationMs ?? 500;
      if (!Number.isInteger(ms) || ms < 0) {
        throw new InputError(
          `Invalid minDurationMs ${ms}: use a whole number of milliseconds, 0 or more`,
        );
      }
      return `{ ${grouped} && duration > ${ms}ms }`;
    }
    default:
      throw new InputError(
        `Unknown trace query kind "${String(
          (options as { kind: unknown }).kind,
        )}": use recent, slow or errors`,
      );
  }
}
