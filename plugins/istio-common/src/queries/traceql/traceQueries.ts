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
 * The span attributes the traces table shows, requested with `select(...)`: a Tempo
 * search returns in `spanSets` only the attributes its query references
 * (grafana/tempo v2.8.0 `pkg/traceql/engine.go` `asTraceSearchMetadata`). Waypoints
 * are Envoy: its span tags are `http.status_code`, `http.method` and `http.url`
 * (envoyproxy/envoy `source/common/tracing/common_values.h`), with the OpenTelemetry
 * semantic-convention names as Envoy's alternative; there is no `http.route`.
 *
 * @public
 */
export const TRACE_SELECTED_ATTRIBUTES = [
  'span.http.status_code',
  'span.http.method',
  'span.http.url',
  'span.http.response.status_code',
  'span.http.request.method',
  'span.url.full',
] as const;

/**
 * Builds a TraceQL query for Tempo's `/api/search`. Each service name is one
 * alternative; the conditions of the kind apply to every alternative. `&&` and `||`
 * share one precedence level and associate to the left in TraceQL (grafana/tempo
 * v2.8.0 `pkg/traceql/expr.y`: `%left AND OR`), so every AND-group is parenthesized,
 * e.g. `{ (resource.service.name = "a" && span.http.status_code =~ "5..") || (resource.service.name = "b" && span.http.status_code =~ "5..") }`.
 * The query then selects {@link TRACE_SELECTED_ATTRIBUTES}; `recent` and `errors` end
 * with `with (most_recent=true)`, since Tempo otherwise returns the first matches it
 * finds, not the newest (docs/sources/tempo/api_docs, TraceQL query hints). The
 * hint exists from Tempo 2.8 (`pkg/traceql/enum_hints.go` `HintMostRecent`); older
 * versions parse it and ignore it as an unknown, unsafe hint.
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
  const filter =
    groups.length === 1
      ? groups[0].join(' && ')
      : groups
          .map(g => (g.length === 1 ? g[0] : `(${g.join(' && ')})`))
          .join(' || ');
  const select = ` | select(${TRACE_SELECTED_ATTRIBUTES.join(', ')})`;
  const newest = options.kind === 'slow' ? '' : ' with (most_recent=true)';
  return `{ ${filter} }${select}${newest}`;
}
