import { ZtunnelAuthorization, ZtunnelMatch } from './policyStatus';

/*
 * ztunnel's authorization of one inbound connection, following istio/ztunnel at tag
 * 1.28.0: src/rbac.rs (Authorization::matches, StringMatch, ServiceAccountMatch) and
 * src/state.rs (assert_rbac: any matching DENY denies; no ALLOW policy allows; otherwise a
 * matching ALLOW is needed). String patterns are converted as istiod's `stringToMatch`
 * does (pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go, 1.28.0).
 */

/** A connection as ztunnel's RBAC sees it on the destination side. */
export interface RbacConnection {
  /** The client's SPIFFE identity; undefined for plaintext (no peer certificate). */
  source?: { trustDomain: string; namespace: string; serviceAccount: string };
  sourceIp: string;
  destinationIp: string;
  /** The pod's (target) port. */
  destinationPort: number;
}

/** The destination workload, to find the policies that apply to it. */
export interface RbacWorkload {
  namespace: string;
  labels: Record<string, string>;
}

/** The outcome, with the policy that decided (as ztunnel's AuthorizationRejectionError). */
export type RbacDecision =
  | { allowed: true; policy?: string }
  | { allowed: false; reason: 'ExplicitlyDenied'; policy: string }
  | { allowed: false; reason: 'NotAllowed' };

function stringMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function ipv4(value: string): number | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** CIDR containment for IPv4; exact comparison otherwise. */
function ipMatches(block: string, ip: string): boolean {
  const [address, bits] = block.split('/');
  const a = ipv4(address);
  const b = ipv4(ip);
  if (a === undefined || b === undefined) return address === ip;
  const length = bits === undefined ? 32 : Number(bits);
  if (length === 0) return true;
  const size = 2 ** (32 - length);
  return Math.floor(a / size) === Math.floor(b / size);
}

function matchesInternal<T>(
  positive: T[] | undefined,
  negative: T[] | undefined,
  predicate: (t: T) => boolean,
): boolean {
  const pm = !positive?.length || positive.some(predicate);
  const nm = !negative?.length || !negative.some(predicate);
  return pm && nm;
}

function matchMatches(m: ZtunnelMatch, conn: RbacConnection): boolean {
  const id = conn.source
    ? `${conn.source.trustDomain}/ns/${conn.source.namespace}/sa/${conn.source.serviceAccount}`
    : undefined;
  const ns = conn.source?.namespace ?? '';
  return (
    matchesInternal(m.destinationIps, m.notDestinationIps, b =>
      ipMatches(b, conn.destinationIp),
    ) &&
    matchesInternal(m.sourceIps, m.notSourceIps, b =>
      ipMatches(b, conn.sourceIp),
    ) &&
    matchesInternal(
      m.destinationPorts,
      m.notDestinationPorts,
      p => Number(p) === conn.destinationPort,
    ) &&
    matchesInternal(
      m.serviceAccounts,
      m.notServiceAccounts,
      sa =>
        conn.source !== undefined &&
        sa === `${conn.source.namespace}/${conn.source.serviceAccount}`,
    ) &&
    // matches_principal: without a spiffe identity nothing matches.
    matchesInternal(
      m.principals,
      m.notPrincipals,
      p => id !== undefined && stringMatches(p, id),
    ) &&
    matchesInternal(m.namespaces, m.notNamespaces, p => stringMatches(p, ns))
  );
}

/** `Authorization::matches`: any group whose every clause has a matching, non-empty match. */
export function authorizationMatches(
  policy: ZtunnelAuthorization,
  conn: RbacConnection,
): boolean {
  if (policy.groups.length === 0) return false;
  return policy.groups.some(clauses =>
    clauses.every(
      clause =>
        clause.length === 0 ||
        clause.some(m => Object.keys(m).length > 0 && matchMatches(m, conn)),
    ),
  );
}

/** The policies ztunnel applies to a workload: global, its namespace, and selector ones. */
export function policiesFor(
  policies: readonly ZtunnelAuthorization[],
  workload: RbacWorkload,
  rootNamespace: string,
): ZtunnelAuthorization[] {
  return policies.filter(p => {
    if (p.scope === 'GLOBAL') return true;
    if (p.scope === 'NAMESPACE') return p.namespace === workload.namespace;
    const selects = Object.entries(p.selector ?? {}).every(
      ([k, v]) => workload.labels[k] === v,
    );
    return (
      selects &&
      (p.namespace === workload.namespace || p.namespace === rootNamespace)
    );
  });
}

/** `assert_rbac` of src/state.rs. */
export function assertRbac(
  policies: readonly ZtunnelAuthorization[],
  conn: RbacConnection,
): RbacDecision {
  const deny = policies.filter(p => p.action === 'DENY');
  const allow = policies.filter(p => p.action === 'ALLOW');
  for (const p of deny) {
    if (authorizationMatches(p, conn)) {
      return {
        allowed: false,
        reason: 'ExplicitlyDenied',
        policy: `${p.namespace}/${p.name}`,
      };
    }
  }
  if (allow.length === 0) return { allowed: true };
  const match = allow.find(p => authorizationMatches(p, conn));
  return match
    ? { allowed: true, policy: `${match.namespace}/${match.name}` }
    : { allowed: false, reason: 'NotAllowed' };
}
