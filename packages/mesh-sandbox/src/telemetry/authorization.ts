import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';

/**
 * AuthorizationPolicies as ztunnel enforces them. Two halves, each following its
 * upstream file:
 * - istiod's translation (istio/istio `pilot/pkg/serviceregistry/ambient/authorization.go`,
 *   master after PR #61166; the same logic as 1.28.0's
 *   `pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go`):
 *   `targetRefs` policies are not for ztunnel; CUSTOM/AUDIT are not sent; each
 *   rule keeps only its L4 fields; an ALLOW rule with any L7 field is dropped.
 * - ztunnel's evaluation (istio/ztunnel 1.28.0 `src/rbac.rs` `Authorization::matches`,
 *   `src/state.rs` `assert_rbac`): a policy without rules matches nothing; an
 *   empty match is skipped, so a clause made only of empty matches never
 *   matches (a DENY of only L7 fields, or an L4 `from` with an L7-only `to`,
 *   is a no-op); any DENY that matches denies; no ALLOW policy allows; else one
 *   ALLOW must match.
 */

/** One connection as the destination ztunnel sees it. */
export interface ZtunnelConnection {
  /** SPIFFE identity of the connecting peer (`spiffe://td/ns/N/sa/S`); absent for plaintext. */
  sourceIdentity?: string;
  sourceIp?: string;
  destinationIp?: string;
  /** The pod port the connection targets. */
  destinationPort: number;
}

/** A translated match (istio.security.Match): every list empty means "empty". */
interface Match {
  principals: string[];
  notPrincipals: string[];
  namespaces: string[];
  notNamespaces: string[];
  serviceAccounts: Array<{ namespace: string; name: string }>;
  notServiceAccounts: Array<{ namespace: string; name: string }>;
  sourceIps: string[];
  notSourceIps: string[];
  destinationIps: string[];
  notDestinationIps: string[];
  destinationPorts: number[];
  notDestinationPorts: number[];
}

/** rule -> clauses (to, from, each when) -> matches (any). */
type Group = Match[][];

/** A policy as ztunnel receives it. */
export interface ZtunnelPolicy {
  namespace: string;
  name: string;
  action: 'ALLOW' | 'DENY';
  scope: 'WORKLOAD_SELECTOR' | 'NAMESPACE' | 'GLOBAL';
  groups: Group[];
}

const L4_WHEN = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);

function emptyMatch(): Match {
  return {
    principals: [],
    notPrincipals: [],
    namespaces: [],
    notNamespaces: [],
    serviceAccounts: [],
    notServiceAccounts: [],
    sourceIps: [],
    notSourceIps: [],
    destinationIps: [],
    notDestinationIps: [],
    destinationPorts: [],
    notDestinationPorts: [],
  };
}

function isEmpty(match: Match): boolean {
  return Object.values(match).every((list: unknown[]) => list.length === 0);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [];

function ports(value: unknown): number[] {
  return strings(value)
    .map(p => Number(p))
    .filter(p => Number.isInteger(p) && p >= 0 && p <= 65535);
}

function serviceAccounts(value: unknown, ruleNamespace: string) {
  return strings(value).map(v => {
    const slash = v.indexOf('/');
    return slash >= 0
      ? { namespace: v.slice(0, slash), name: v.slice(slash + 1) }
      : { namespace: ruleNamespace, name: v };
  });
}

/** `handleRule`: the rule's L4 clauses, or undefined when an ALLOW rule has L7 fields. */
function translateRule(
  action: 'ALLOW' | 'DENY',
  rule: any,
  ruleNamespace: string,
): Group | undefined {
  let l7 = false;
  const clauses: Group = [];
  const to = Array.isArray(rule?.to) ? rule.to : [];
  if (to.length > 0) {
    clauses.push(
      to.map((entry: any) => {
        const op = entry?.operation ?? {};
        for (const key of [
          'hosts',
          'notHosts',
          'methods',
          'notMethods',
          'paths',
          'notPaths',
        ]) {
          if (strings(op[key]).length > 0) l7 = true;
        }
        return {
          ...emptyMatch(),
          destinationPorts: ports(op.ports),
          notDestinationPorts: ports(op.notPorts),
        };
      }),
    );
  }
  const from = Array.isArray(rule?.from) ? rule.from : [];
  if (from.length > 0) {
    clauses.push(
      from.map((entry: any) => {
        const s = entry?.source ?? {};
        for (const key of [
          'remoteIpBlocks',
          'notRemoteIpBlocks',
          'requestPrincipals',
          'notRequestPrincipals',
        ]) {
          if (strings(s[key]).length > 0) l7 = true;
        }
        return {
          ...emptyMatch(),
          sourceIps: strings(s.ipBlocks),
          notSourceIps: strings(s.notIpBlocks),
          namespaces: strings(s.namespaces),
          notNamespaces: strings(s.notNamespaces),
          serviceAccounts: serviceAccounts(s.serviceAccounts, ruleNamespace),
          notServiceAccounts: serviceAccounts(
            s.notServiceAccounts,
            ruleNamespace,
          ),
          principals: strings(s.principals),
          notPrincipals: strings(s.notPrincipals),
        };
      }),
    );
  }
  for (const when of Array.isArray(rule?.when) ? rule.when : []) {
    const key = String(when?.key ?? '');
    if (!L4_WHEN.has(key)) l7 = true;
    const values = strings(when?.values);
    const notValues = strings(when?.notValues);
    const match = emptyMatch();
    if (key === 'source.namespace') {
      match.namespaces = values;
      match.notNamespaces = notValues;
    } else if (key === 'source.principal') {
      match.principals = values;
      match.notPrincipals = notValues;
    } else if (key === 'source.ip') {
      match.sourceIps = values;
      match.notSourceIps = notValues;
    } else if (key === 'destination.port') {
      match.destinationPorts = ports(values);
      match.notDestinationPorts = ports(notValues);
    } else if (key === 'destination.ip') {
      match.destinationIps = values;
      match.notDestinationIps = notValues;
    }
    clauses.push([match]);
  }
  if (action === 'ALLOW' && l7) return undefined;
  return clauses;
}

/**
 * `convertAuthorizationPolicy`: the policy ztunnel gets, or undefined when it
 * gets none (a `targetRefs` policy, or an action other than ALLOW/DENY).
 */
export function translatePolicy(
  policy: KubeObject,
  rootNamespace: string,
): ZtunnelPolicy | undefined {
  const spec = (policy.spec ?? {}) as any;
  const targetRefs = [
    ...(Array.isArray(spec.targetRefs) ? spec.targetRefs : []),
    ...(spec.targetRef ? [spec.targetRef] : []),
  ];
  if (targetRefs.length > 0) return undefined;
  const action = spec.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') return undefined;
  const namespace = policy.metadata.namespace ?? 'default';
  let scope: ZtunnelPolicy['scope'] = 'NAMESPACE';
  if (spec.selector) scope = 'WORKLOAD_SELECTOR';
  else if (namespace === rootNamespace) scope = 'GLOBAL';
  const groups: Group[] = [];
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const group = translateRule(action, rule, namespace);
    if (group) groups.push(group);
  }
  return { namespace, name: policy.metadata.name, action, scope, groups };
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function inBlock(ip: string | undefined, block: string): boolean {
  if (!ip) return false;
  const [base, bits] = block.split('/');
  const a = ipv4(ip);
  const b = ipv4(base);
  if (a === undefined || b === undefined) return ip === block;
  const length = bits === undefined ? 32 : Number(bits);
  const size = 2 ** (32 - length);
  return Math.floor(a / size) === Math.floor(b / size);
}

/** istio.security.StringMatch from an AuthorizationPolicy value (`stringToMatch`). */
function stringMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

function identityParts(identity: string | undefined) {
  const match = /^spiffe:\/\/([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(
    identity ?? '',
  );
  return match
    ? {
        principal: `${match[1]}/ns/${match[2]}/sa/${match[3]}`,
        namespace: match[2],
        serviceAccount: match[3],
      }
    : undefined;
}

function matchesInternal<T>(
  positive: T[],
  negative: T[],
  test: (item: T) => boolean,
): boolean {
  if (positive.length > 0 && !positive.some(test)) return false;
  if (negative.some(test)) return false;
  return true;
}

function matchMatches(match: Match, conn: ZtunnelConnection): boolean {
  const id = identityParts(conn.sourceIdentity);
  const principal = id?.principal ?? '';
  const namespace = id?.namespace ?? '';
  return (
    matchesInternal(match.destinationIps, match.notDestinationIps, b =>
      inBlock(conn.destinationIp, b),
    ) &&
    matchesInternal(match.sourceIps, match.notSourceIps, b =>
      inBlock(conn.sourceIp, b),
    ) &&
    matchesInternal(
      match.destinationPorts,
      match.notDestinationPorts,
      p => p === conn.destinationPort,
    ) &&
    matchesInternal(
      match.serviceAccounts,
      match.notServiceAccounts,
      sa =>
        id !== undefined &&
        sa.namespace === id.namespace &&
        sa.name === id.serviceAccount,
    ) &&
    matchesInternal(match.principals, match.notPrincipals, p =>
      stringMatches(p.replace(/^spiffe:\/\//, ''), principal),
    ) &&
    matchesInternal(match.namespaces, match.notNamespaces, n =>
      stringMatches(n, namespace),
    )
  );
}

/** ztunnel `Authorization::matches`. */
export function policyMatches(
  policy: ZtunnelPolicy,
  conn: ZtunnelConnection,
): boolean {
  if (policy.groups.length === 0) return false;
  return policy.groups.some(group =>
    group.every(clause => {
      if (clause.length === 0) return true;
      return clause.some(m => !isEmpty(m) && matchMatches(m, conn));
    }),
  );
}

function selects(policy: KubeObject, podLabels: Record<string, string>) {
  const match = ((policy.spec as any)?.selector?.matchLabels ?? {}) as Record<
    string,
    string
  >;
  return Object.entries(match).every(([k, v]) => podLabels[k] === v);
}

/**
 * The policies ztunnel applies to a destination pod: selector policies of its
 * namespace (and of the root namespace) that select it, its namespace's
 * namespace-wide policies, and the root namespace's global ones.
 */
export function ztunnelPoliciesFor(
  store: ObjectStore,
  namespace: string,
  podLabels: Record<string, string>,
  rootNamespace = 'istio-system',
): ZtunnelPolicy[] {
  const candidates = [
    ...store.list(KEYS.authorizationPolicies, namespace),
    ...(namespace === rootNamespace
      ? []
      : store.list(KEYS.authorizationPolicies, rootNamespace)),
  ];
  const out: ZtunnelPolicy[] = [];
  for (const policy of candidates) {
    const translated = translatePolicy(policy, rootNamespace);
    if (!translated) continue;
    if (
      translated.scope === 'WORKLOAD_SELECTOR' &&
      !selects(policy, podLabels)
    ) {
      continue;
    }
    out.push(translated);
  }
  return out;
}

/** The verdict of ztunnel `assert_rbac`: the denying policy, or why it denied. */
export type AuthorizationVerdict =
  | { allowed: true }
  | { allowed: false; policy?: string; reason: 'denied' | 'not-allowed' };

/** ztunnel `assert_rbac` over the given policies. */
export function authorize(
  policies: readonly ZtunnelPolicy[],
  conn: ZtunnelConnection,
): AuthorizationVerdict {
  for (const policy of policies.filter(p => p.action === 'DENY')) {
    if (policyMatches(policy, conn)) {
      return {
        allowed: false,
        policy: `${policy.namespace}/${policy.name}`,
        reason: 'denied',
      };
    }
  }
  const allow = policies.filter(p => p.action === 'ALLOW');
  if (allow.length === 0) return { allowed: true };
  if (allow.some(p => policyMatches(p, conn))) return { allowed: true };
  return { allowed: false, reason: 'not-allowed' };
}
