import { quoteDoubleQuoted } from '../queries/quoting';
import { ObservedCaller } from './plan';

/**
 * The sources of one authorization rule as the blast radius sees them:
 * `namespaces` and `principals` of `from.source`; none means any source.
 *
 * @public
 */
export interface RuleSources {
  namespaces?: readonly string[];
  /** `cluster.local/ns/<ns>/sa/<sa>` (trust domain optional), or `<ns>/<sa>`. */
  principals?: readonly string[];
}

/**
 * The namespace and service account of a SPIFFE principal
 * (`spiffe://<trust domain>/ns/<ns>/sa/<sa>`, the shape of Istio's
 * `source_principal` label), or undefined for `unknown` (plaintext).
 */
function identityOf(principal: string) {
  const match = /(?:^|\/)ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return match ? { namespace: match[1], serviceAccount: match[2] } : undefined;
}

function principalMatches(pattern: string, principal: string): boolean {
  const id = identityOf(principal);
  if (!id) return false;
  if (pattern === '*') return true;
  const wanted =
    identityOf(pattern) ??
    (/^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(pattern)
      ? {
          namespace: pattern.split('/')[0],
          serviceAccount: pattern.split('/')[1],
        }
      : undefined);
  return Boolean(
    wanted &&
      wanted.namespace === id.namespace &&
      wanted.serviceAccount === id.serviceAccount,
  );
}

/**
 * True when a caller matches a rule's sources. Istio matches `namespaces`
 * and `principals` on the peer's mTLS identity, so a plaintext caller
 * (`unknown` principal) matches only a rule without sources.
 *
 * @public
 */
export function callerMatches(
  caller: ObservedCaller,
  rule: RuleSources,
): boolean {
  const hasNamespaces = (rule.namespaces?.length ?? 0) > 0;
  const hasPrincipals = (rule.principals?.length ?? 0) > 0;
  if (!hasNamespaces && !hasPrincipals) return true;
  const id = identityOf(caller.principal);
  if (hasNamespaces && !(id && rule.namespaces!.includes(id.namespace))) {
    return false;
  }
  if (
    hasPrincipals &&
    !rule.principals!.some(p => principalMatches(p, caller.principal))
  ) {
    return false;
  }
  return true;
}

/**
 * The callers a change of policies denies. `allow-only`: after the change
 * only the given ALLOW rules let traffic in (a new default deny, or the
 * first ALLOW policy); `deny`: the given DENY rules refuse what they match.
 * Pure.
 *
 * @public
 */
export function deniedCallers(
  callers: readonly ObservedCaller[],
  change: { mode: 'allow-only' | 'deny'; rules: readonly RuleSources[] },
): ObservedCaller[] {
  return callers.filter(caller => {
    const matched = change.rules.some(rule => callerMatches(caller, rule));
    return change.mode === 'deny' ? matched : !matched;
  });
}

/**
 * A caller in a few words: `namespace/workload (principal)`.
 *
 * @public
 */
export function describeCaller(caller: ObservedCaller): string {
  return `${caller.namespace}/${caller.workload}${
    caller.principal && caller.principal !== 'unknown'
      ? ` (${caller.principal})`
      : ' (plaintext)'
  }`;
}

/**
 * PromQL for the workloads that called into a namespace during `window`
 * (e.g. 1h): connections reported by the callers' ztunnels
 * (`reporter="source"`), by the destination ztunnels (except the
 * waypoint's own hop) and requests through waypoints
 * (`reporter="waypoint"`), by source workload, namespace and principal
 * (istio-ambient.md §5; ztunnel src/proxy/metrics.rs labels).
 *
 * @public
 */
export function observedCallersQuery(
  namespace: string,
  window: string,
): string {
  if (!/^[1-9][0-9]*[smh]$/.test(window)) {
    throw new Error(`Invalid window "${window}"`);
  }
  const ns = quoteDoubleQuoted(namespace);
  const by =
    'sum by (source_workload_namespace, source_workload, source_principal)';
  return [
    `${by} (increase(istio_tcp_connections_opened_total{reporter=~"source|destination",destination_workload_namespace=${ns}}[${window}]))`,
    `${by} (increase(istio_requests_total{reporter="waypoint",destination_service_namespace=${ns}}[${window}]))`,
  ]
    .map(q => `(${q} > 0)`)
    .join(' or ');
}
