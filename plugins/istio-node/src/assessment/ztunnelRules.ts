/**
 * What ztunnel enforces of an AuthorizationPolicy attached with `selector` or namespace-wide.
 *
 * Follows istio/istio `pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go`
 * (`convertAuthorizationPolicy`, `handleRule`; tags 1.25-1.28, moved to
 * `pilot/pkg/serviceregistry/ambient/authorization.go` in 1.30, `hasEffectiveRules` from
 * PR #61166) and istio/ztunnel `src/rbac.rs` (`Authorization::matches`, tag 1.28.0):
 * - each rule becomes one group of clauses: one clause for `to` (a match per entry, ports
 *   only), one for `from` (a match per entry, L4 source fields only), one per `when`;
 * - ALLOW: a rule with any HTTP field is dropped whole; a policy left without rules
 *   matches nothing;
 * - DENY: HTTP fields are removed from the matches; ztunnel skips an empty match, so a
 *   clause left with only empty matches never matches and its rule never fires, while a
 *   rule whose clauses all keep an L4 match fires on every connection matching that L4 part;
 * - a rule without from/to/when matches every connection; a policy without rules matches none.
 */
import { isIP } from 'net';
import type { AuthorizationPolicySpec, AuthorizationRule } from './snapshot';

/**
 * The L4 part of one `from`/`to`/`when` entry that ztunnel keeps.
 *
 * @public
 */
export interface ZtunnelMatch {
  [field: string]: string[];
}

/**
 * What ztunnel does with one rule of the policy.
 *
 * @public
 */
export type ZtunnelRuleOutcome =
  /** No HTTP field: enforced as written. */
  | 'as-written'
  /** ALLOW with HTTP fields: the whole rule is removed, it allows nothing. */
  | 'dropped'
  /** A clause is left without any match: the rule never matches (a DENY never fires). */
  | 'never-matches'
  /** DENY enforced without its HTTP fields: it matches every connection its L4 part matches. */
  | 'without-http';

/**
 * One rule of the policy as ztunnel sees it.
 *
 * @public
 */
export interface ZtunnelRule {
  /** Index in `spec.rules`. */
  index: number;
  outcome: ZtunnelRuleOutcome;
  /** HTTP fields of the rule, as istiod names them (e.g. `paths`, `requestPrincipals`, a `when` key). */
  httpFields: string[];
  /** The clauses ztunnel evaluates (AND), each a list of matches (OR); empty matches removed. */
  clauses: ZtunnelMatch[][];
  /** A one-line description of what ztunnel matches, e.g. `from namespaces [a]; to ports [8080]`. */
  enforced: string;
}

/**
 * The policy-level effect.
 *
 * @public
 */
export type ZtunnelPolicyEffect =
  | 'as-written'
  /** CUSTOM or AUDIT: ztunnel does not support the action; nothing is enforced. */
  | 'rejected'
  /** ALLOW whose every rule was dropped: it matches nothing. */
  | 'allows-nothing'
  /** ALLOW with some rules dropped: it allows less than written. */
  | 'allows-less'
  /** DENY with no rule left that can fire: it never denies anything. */
  | 'no-op'
  /** DENY with a rule enforced without its HTTP fields: it denies more than written. */
  | 'denies-more'
  /** DENY with some HTTP-only rules skipped, the others enforced as written. */
  | 'partly-skipped';

/**
 * What ztunnel enforces of a policy.
 *
 * @public
 */
export interface ZtunnelEffectivePolicy {
  action: NonNullable<AuthorizationPolicySpec['action']>;
  effect: ZtunnelPolicyEffect;
  rules: ZtunnelRule[];
  /** Every HTTP field of the policy, sorted and unique, as istiod lists them in its status. */
  httpFields: string[];
}

const HTTP_OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
];
const HTTP_SOURCE_FIELDS = [
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'requestPrincipals',
  'notRequestPrincipals',
];
/** `l4WhenAttributes` of authorization.go. */
export const ZTUNNEL_WHEN_KEYS = [
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
];

/** `stringToPort`: base-10 numbers up to 65535; anything else is skipped. */
function ports(values: string[] | undefined): string[] {
  return (values ?? []).filter(
    v => /^\d+$/.test(v) && Number.parseInt(v, 10) <= 65535,
  );
}

/** `stringToIP`: an address or a CIDR; anything else is skipped. */
function ips(values: string[] | undefined): string[] {
  return (values ?? []).filter(v => {
    if (!v) return false;
    const [address, bits, extra] = v.split('/');
    if (extra !== undefined || isIP(address) === 0) return false;
    if (bits === undefined) return true;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d+$/.test(bits) && Number.parseInt(bits, 10) <= max;
  });
}

function strings(values: string[] | undefined): string[] {
  return values ?? [];
}

function compact(match: Record<string, string[]>): ZtunnelMatch {
  return Object.fromEntries(
    Object.entries(match).filter(([, v]) => v.length > 0),
  );
}

function isEmpty(match: ZtunnelMatch): boolean {
  return Object.keys(match).length === 0;
}

function present(values: string[] | undefined): boolean {
  return (values?.length ?? 0) > 0;
}

function whenMatch(when: {
  key: string;
  values?: string[];
  notValues?: string[];
}): ZtunnelMatch {
  const convert: Record<string, (v: string[] | undefined) => string[]> = {
    'source.namespace': strings,
    'source.principal': strings,
    'source.ip': ips,
    'destination.port': ports,
    'destination.ip': ips,
  };
  const names: Record<string, [string, string]> = {
    'source.namespace': ['namespaces', 'notNamespaces'],
    'source.principal': ['principals', 'notPrincipals'],
    'source.ip': ['ipBlocks', 'notIpBlocks'],
    'destination.port': ['ports', 'notPorts'],
    'destination.ip': ['destinationIps', 'notDestinationIps'],
  };
  const f = convert[when.key];
  if (!f) return {};
  const [positive, negative] = names[when.key];
  return compact({
    [positive]: f(when.values),
    [negative]: f(when.notValues),
  });
}

/** `handleRule`: the clauses of one rule and the HTTP fields it uses. */
function convertRule(rule: AuthorizationRule): {
  kinds: string[];
  clauses: ZtunnelMatch[][];
  httpFields: string[];
  rawClauses: ZtunnelMatch[][];
} {
  const http = new Set<string>();
  const raw: ZtunnelMatch[][] = [];
  const kinds: string[] = [];
  const to = (rule.to ?? []).map(t => {
    const op = t.operation ?? {};
    HTTP_OPERATION_FIELDS.filter(f => present(op[f])).forEach(f => http.add(f));
    return compact({ ports: ports(op.ports), notPorts: ports(op.notPorts) });
  });
  const from = (rule.from ?? []).map(f => {
    const s = f.source ?? {};
    HTTP_SOURCE_FIELDS.filter(x => present(s[x])).forEach(x => http.add(x));
    return compact({
      ipBlocks: ips(s.ipBlocks),
      notIpBlocks: ips(s.notIpBlocks),
      namespaces: strings(s.namespaces),
      notNamespaces: strings(s.notNamespaces),
      serviceAccounts: strings(s.serviceAccounts),
      notServiceAccounts: strings(s.notServiceAccounts),
      principals: strings(s.principals),
      notPrincipals: strings(s.notPrincipals),
    });
  });
  if (to.length > 0) {
    raw.push(to);
    kinds.push('to');
  }
  if (from.length > 0) {
    raw.push(from);
    kinds.push('from');
  }
  for (const when of rule.when ?? []) {
    if (!ZTUNNEL_WHEN_KEYS.includes(when.key)) http.add(when.key);
    raw.push([whenMatch(when)]);
    kinds.push('when');
  }
  return {
    kinds,
    rawClauses: raw,
    clauses: raw.map(c => c.filter(m => !isEmpty(m))),
    httpFields: [...http].sort(),
  };
}

function describeMatch(match: ZtunnelMatch): string {
  return Object.entries(match)
    .map(([k, v]) => `${k} [${v.join(', ')}]`)
    .join(', ');
}

function describeClauses(clauses: ZtunnelMatch[][], kinds: string[]): string {
  if (clauses.length === 0) return 'every connection';
  // Sources first, as the rule reads: from; to; when.
  const order = ['from', 'to', 'when'];
  return clauses
    .map((c, i) => ({ c, kind: kinds[i] }))
    .sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind))
    .map(({ c, kind }) => `${kind} ${c.map(describeMatch).join(' or ')}`)
    .join('; ');
}

/**
 * What ztunnel enforces of an AuthorizationPolicy it enforces (one with `selector` or
 * none). Pure; does not look at targetRefs (those are for waypoints).
 *
 * @public
 */
export function ztunnelEffectiveRules(policy: {
  spec?: AuthorizationPolicySpec;
}): ZtunnelEffectivePolicy {
  const action = policy.spec?.action ?? 'ALLOW';
  const specRules = policy.spec?.rules ?? [];
  const rules: ZtunnelRule[] = specRules.map((rule, index) => {
    const { kinds, clauses, rawClauses, httpFields } = convertRule(rule);
    let outcome: ZtunnelRuleOutcome = 'as-written';
    if (action === 'ALLOW' && httpFields.length > 0) outcome = 'dropped';
    else if (
      rawClauses.some(c => c.length > 0) &&
      clauses.some(c => c.length === 0)
    ) {
      outcome = 'never-matches';
    } else if (httpFields.length > 0) outcome = 'without-http';
    return {
      index,
      outcome,
      httpFields,
      clauses: outcome === 'dropped' ? [] : clauses,
      enforced:
        outcome === 'dropped' || outcome === 'never-matches'
          ? 'nothing'
          : describeClauses(clauses, kinds),
    };
  });
  const httpFields = [...new Set(rules.flatMap(r => r.httpFields))].sort();
  let effect: ZtunnelPolicyEffect = 'as-written';
  if (action !== 'ALLOW' && action !== 'DENY') effect = 'rejected';
  else if (httpFields.length > 0) {
    const firing = rules.filter(
      r => r.outcome === 'as-written' || r.outcome === 'without-http',
    );
    if (action === 'ALLOW') {
      effect = firing.length === 0 ? 'allows-nothing' : 'allows-less';
    } else if (firing.length === 0) effect = 'no-op';
    else if (firing.some(r => r.outcome === 'without-http')) {
      effect = 'denies-more';
    } else effect = 'partly-skipped';
  }
  return { action, effect, rules, httpFields };
}
