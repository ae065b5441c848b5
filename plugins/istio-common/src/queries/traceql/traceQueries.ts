import { InputError } from '@backstage/errors';
import type { TraceQueryKind } from '../../types';
import { escapeRegexLiteral, quoteDoubleQuoted } from '../quoting';

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
  /**
   * The service FQDN (`<service>.<namespace>.svc.<domain>`). When given, every other
   * name (a waypoint's `<waypoint>.<namespace>`, shared by all the services behind that
   * waypoint) only matches spans whose `upstream_cluster` ends with this FQDN.
   */
  serviceFqdn?: string;
}

function kindConditions(options: TraceQueryOptions): string[] {
  switch (options.kind) {
    case 'recent':
      return [];
    case 'errors':
      return ['span.http.status_code =~ "5.."'];
    case 'slow': {
      const ms = options.minDurationMs ?? 500;
      if (!Number.isInteger(ms) || ms < 0) {
        throw new InputError(
          `Invalid minDurationMs ${ms}: use a whole number of milliseconds, 0 or more`,
        );
      }
      return [`duration > ${ms}ms`];
    }
    default:
      throw new InputError(
        `Unknown trace query kind "${String(
          (options as { kind: unknown }).kind,
        )}": use recent, slow or errors`,
      );
  }
}

/**
 * Builds a TraceQL spanset filter for Tempo's `/api/search`. Each service name is one
 * alternative; the conditions of the kind apply to every alternative, written out as an
 * OR of AND-groups so that no parentheses are needed, e.g.
 * `{ resource.service.name = "a" && span.http.status_code =~ "5.." || resource.service.name = "b" && span.http.status_code =~ "5.." }`.
 * Every value is quoted and escaped.
 *
 * @public
 */
export function buildTraceQuery(options: TraceQueryOptions): string {
  if (options.serviceNames.length === 0) {
    throw new InputError('buildTraceQuery needs at least one service name');
  }
  const extra = kindConditions(options);
  const fqdn = options.serviceFqdn;
  const upstream = fqdn
    ? `span.upstream_cluster =~ ${quoteDoubleQuoted(
        `.*\\|${escapeRegexLiteral(fqdn)}$`,
      )}`
    : undefined;
  const groups = options.serviceNames.map(name => [
    `resource.service.name = ${quoteDoubleQuoted(name)}`,
    ...(upstream && name !== fqdn ? [upstream] : []),
    ...extra,
  ]);
  return `{ ${groups.map(g => g.join(' && ')).join(' || ')} }`;
}
