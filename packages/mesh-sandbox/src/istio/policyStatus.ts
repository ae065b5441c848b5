import { Condition } from './conditions';

/*
 * istiod's ambient handling of AuthorizationPolicies, as of Istio 1.28.0:
 * - conversion for ztunnel and its status message:
 *   pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go
 *   (convertAuthorizationPolicy, handleRule, httpOperations, httpSources);
 * - the ZtunnelAccepted condition: pilot/pkg/model/service.go
 *   (WorkloadAuthorization.GetConditions) and ambient/policies.go (AuthzDerivedPolicies:
 *   Bound = a policy was produced for ztunnel);
 * - the WaypointAccepted condition: ambient/policies.go (WaypointPolicyStatusCollection)
 *   and pilot/pkg/model/service.go (flattenConditions).
 */

/** `l4WhenAttributes` of authorization.go. */
const L4_WHEN_KEYS = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);
/** `httpOperations`, in istiod's order. */
const HTTP_OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
];
/** `httpSources`, in istiod's order. */
const HTTP_SOURCE_FIELDS = [
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'requestPrincipals',
  'notRequestPrincipals',
];

const HTTP_RULE_FORMAT = (found: string, boilerplate: string) =>
  `ztunnel does not support HTTP attributes (found: ${found}). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${boilerplate}`;
const HTTP_DENY_BOILERPLATE =
  'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
const HTTP_ALLOW_BOILERPLATE =
  'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';

const MESH_CONTROLLER = 'istio.io/mesh-controller';

function nonEmpty(values: unknown): boolean {
  return Array.isArray(values) && values.length > 0;
}

/** The HTTP attributes an AuthorizationPolicy spec uses, sorted and unique (istiod's `found:` list). */
export function l7FieldsOf(spec: any): string[] {
  const found = new Set<string>();
  for (const rule of spec?.rules ?? []) {
    for (const to of rule?.to ?? []) {
      for (const field of HTTP_OPERATION_FIELDS) {
        if (nonEmpty(to?.operation?.[field])) found.add(field);
      }
    }
    for (const from of rule?.from ?? []) {
      for (const field of HTTP_SOURCE_FIELDS) {
        if (nonEmpty(from?.source?.[field])) found.add(field);
      }
    }
    for (const when of rule?.when ?? []) {
      if (when?.key && !L4_WHEN_KEYS.has(when.key)) found.add(when.key);
    }
  }
  return [...found].sort();
}

/** One ztunnel match (the L4 fields istiod keeps; empty lists omitted). */
export type ZtunnelMatch = Partial<
  Record<
    | 'destinationPorts'
    | 'notDestinationPorts'
    | 'sourceIps'
    | 'notSourceIps'
    | 'destinationIps'
    | 'notDestinationIps'
    | 'namespaces'
    | 'notNamespaces'
    | 'serviceAccounts'
    | 'notServiceAccounts'
    | 'principals'
    | 'notPrincipals',
    string[]
  >
>;

/** A policy as istiod sends it to ztunnel: groups (OR) of clauses (AND) of matches (OR). */
export interface ZtunnelAuthorization {
  name: string;
  namespace: string;
  scope: 'WORKLOAD_SELECTOR' | 'NAMESPACE' | 'GLOBAL';
  /** `selector.matchLabels` of a WORKLOAD_SELECTOR policy. */
  selector?: Record<string, string>;
  action: 'ALLOW' | 'DENY';
  groups: ZtunnelMatch[][][];
}

function portsOf(values: string[] | undefined): string[] {
  return (values ?? []).filter(
    v => /^\d+$/.test(v) && Number.parseInt(v, 10) <= 65535,
  );
}

function compact(match: Record<string, string[] | undefined>): ZtunnelMatch {
  return Object.fromEntries(
    Object.entries(match).filter(([, v]) => (v?.length ?? 0) > 0),
  ) as ZtunnelMatch;
}

const WHEN_FIELDS: Record<string, [keyof ZtunnelMatch, keyof ZtunnelMatch]> = {
  'source.namespace': ['namespaces', 'notNamespaces'],
  'source.principal': ['principals', 'notPrincipals'],
  'source.ip': ['sourceIps', 'notSourceIps'],
  'destination.port': ['destinationPorts', 'notDestinationPorts'],
  'destination.ip': ['destinationIps', 'notDestinationIps'],
};

/** `handleRule`: the clauses of one rule; undefined when an ALLOW rule is dropped. */
function handleRule(action: 'ALLOW' | 'DENY', rule: any, ns: string) {
  let l7 = false;
  const toMatches = (rule?.to ?? []).map((to: any) => {
    const op = to?.operation ?? {};
    if (HTTP_OPERATION_FIELDS.some(f => nonEmpty(op[f]))) l7 = true;
    return compact({
      destinationPorts: portsOf(op.ports),
      notDestinationPorts: portsOf(op.notPorts),
    });
  });
  const fromMatches = (rule?.from ?? []).map((from: any) => {
    const s = from?.source ?? {};
    if (HTTP_SOURCE_FIELDS.some(f => nonEmpty(s[f]))) l7 = true;
    const sa = (v: string[] | undefined) =>
      v?.map(x => (x.includes('/') ? x : `${ns}/${x}`));
    return compact({
      sourceIps: s.ipBlocks,
      notSourceIps: s.notIpBlocks,
      namespaces: s.namespaces,
      notNamespaces: s.notNamespaces,
      serviceAccounts: sa(s.serviceAccounts),
      notServiceAccounts: sa(s.notServiceAccounts),
      principals: s.principals,
      notPrincipals: s.notPrincipals,
    });
  });
  const clauses: ZtunnelMatch[][] = [];
  if (toMatches.length > 0) clauses.push(toMatches);
  if (fromMatches.length > 0) clauses.push(fromMatches);
  for (const when of rule?.when ?? []) {
    if (!L4_WHEN_KEYS.has(when?.key)) l7 = true;
    const fields = WHEN_FIELDS[when?.key];
    const convert =
      when?.key === 'destination.port' ? portsOf : (v?: string[]) => v;
    clauses.push([
      fields
        ? compact({
            [fields[0]]: convert(when.values),
            [fields[1]]: convert(when.notValues),
          })
        : {},
    ]);
  }
  // "L7 policies never match for ALLOW"; for DENY the empty matches stay, and
  // ztunnel skips them (src/rbac.rs Authorization::matches).
  return action === 'ALLOW' && l7 ? undefined : clauses;
}

/**
 * `convertAuthorizationPolicy`: the policy ztunnel receives, or undefined for one it
 * does not enforce (targetRefs, or an action other than ALLOW/DENY).
 */
export function ztunnelAuthorization(
  policy: { metadata: { name: string; namespace?: string }; spec?: any },
  rootNamespace: string,
): ZtunnelAuthorization | undefined {
  const spec = policy.spec ?? {};
  const ns = policy.metadata.namespace ?? 'default';
  if (targetRefsOf(spec).length > 0) return undefined;
  const action = spec.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') return undefined;
  let scope: ZtunnelAuthorization['scope'] = 'WORKLOAD_SELECTOR';
  if (!spec.selector) scope = ns === rootNamespace ? 'GLOBAL' : 'NAMESPACE';
  const groups = (spec.rules ?? [])
    .map((rule: any) => handleRule(action, rule, ns))
    .filter((g: ZtunnelMatch[][] | undefined): g is ZtunnelMatch[][] =>
      Boolean(g),
    );
  return {
    name: policy.metadata.name,
    namespace: ns,
    scope,
    ...(spec.selector ? { selector: spec.selector.matchLabels ?? {} } : {}),
    action,
    groups,
  };
}

function targetRefsOf(spec: any): any[] {
  const refs = spec?.targetRefs ?? [];
  if (refs.length > 0) return refs;
  return spec?.targetRef ? [spec.targetRef] : [];
}

/** What the WaypointAccepted condition needs to know about the cluster. */
export interface PolicyTargets {
  rootNamespace: string;
  /** A Gateway of class istio-waypoint, by namespace and name. */
  waypointExists(namespace: string, name: string): boolean;
  /** The GatewayClass's `spec.controllerName`, undefined when it does not exist. */
  gatewayClassController(name: string): string | undefined;
  /**
   * The waypoint (`namespace/name`) a Service or ServiceEntry uses, null when the
   * object exists without a waypoint, undefined when it does not exist.
   */
  serviceWaypoint(
    kind: 'Service' | 'ServiceEntry',
    namespace: string,
    name: string,
  ): string | null | undefined;
}

interface Binding {
  ancestor: string;
  bound: boolean;
  reason: string;
  message: string;
}

function bindingOf(ref: any, policyNamespace: string, t: PolicyTargets) {
  const namespace = ref?.namespace || policyNamespace;
  const key = `${namespace}/${ref?.name}`;
  let binding = { bound: false, reason: 'unknown', message: 'not bound' };
  switch (ref?.kind) {
    case 'GatewayClass': {
      if (namespace !== t.rootNamespace) {
        binding.reason = 'Invalid';
        binding.message = `AuthorizationPolicy must be in the root namespace \`${t.rootNamespace}\` when referencing a GatewayClass`;
        break;
      }
      const controller = t.gatewayClassController(ref.name);
      if (controller === undefined) binding.reason = 'TargetNotFound';
      else if (controller !== MESH_CONTROLLER) {
        binding.reason = 'Invalid';
        binding.message = `GatewayClass must use controller name \`${MESH_CONTROLLER}\` for waypoints`;
      } else {
        binding = {
          bound: true,
          reason: 'Accepted',
          message: `bound to ${ref.name}`,
        };
      }
      break;
    }
    case 'Gateway':
      binding = t.waypointExists(namespace, ref.name)
        ? { bound: true, reason: 'Accepted', message: `bound to ${key}` }
        : { bound: false, reason: 'TargetNotFound', message: 'not bound' };
      break;
    case 'Service':
    case 'ServiceEntry': {
      const waypoint = t.serviceWaypoint(ref.kind, namespace, ref.name);
      if (waypoint === undefined) {
        binding.reason = 'TargetNotFound';
        binding.message = `${ref.kind} ${key} was not found`;
      } else if (waypoint === null) {
        binding.reason = 'AncestorNotBound';
        binding.message = `${ref.kind} ${key} is not bound to a waypoint`;
      } else {
        binding = {
          bound: true,
          reason: 'Accepted',
          message: `bound to ${waypoint}`,
        };
      }
      break;
    }
    default:
      break;
  }
  const group = ref?.group || 'core';
  return { ...binding, ancestor: `${ref?.kind}.${group}:${key}` };
}

/** `flattenConditions` of pilot/pkg/model/service.go. */
function flatten(bindings: Binding[]): Omit<Condition, 'type'> {
  if (bindings.length === 1) {
    const [b] = bindings;
    return {
      status: b.bound ? 'True' : 'False',
      reason: b.reason,
      message: b.message,
    };
  }
  const bound = bindings.some(b => b.bound);
  const unbound = bindings.filter(b => !b.bound).map(b => b.ancestor);
  let reason = bound ? 'Accepted' : 'Invalid';
  if (bound && unbound.length > 0) reason = 'PartiallyInvalid';
  return {
    status: bound ? 'True' : 'False',
    reason,
    message:
      unbound.length > 0 ? `Invalid targetRefs: ${unbound.join(', ')}` : '',
  };
}

/**
 * The status condition istiod writes on an AuthorizationPolicy in ambient mode:
 * `WaypointAccepted` for policies with targetRefs, `ZtunnelAccepted` for the others;
 * undefined for a dry-run policy (annotation `istio.io/dry-run`), which gets none.
 */
export function authorizationPolicyCondition(
  policy: {
    metadata: {
      name: string;
      namespace?: string;
      annotations?: Record<string, string>;
    };
    spec?: any;
  },
  targets: PolicyTargets,
  generation: number | undefined,
): Condition | undefined {
  const spec = policy.spec ?? {};
  const namespace = policy.metadata.namespace ?? 'default';
  const refs = targetRefsOf(spec);
  if (refs.length > 0) {
    return {
      type: 'WaypointAccepted',
      ...flatten(refs.map(ref => bindingOf(ref, namespace, targets))),
      observedGeneration: generation,
    };
  }
  // ambient/policies.go AuthzDerivedPolicies: strconv.ParseBool of istio.io/dry-run.
  const dryRun = policy.metadata.annotations?.['istio.io/dry-run'];
  if (dryRun && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(dryRun)) {
    return undefined;
  }
  const action = spec.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') {
    return {
      type: 'ZtunnelAccepted',
      status: 'False',
      reason: 'UnsupportedValue',
      message: `ztunnel does not support the ${action} action`,
      observedGeneration: generation,
    };
  }
  const l7 = l7FieldsOf(spec);
  if (l7.length > 0) {
    return {
      type: 'ZtunnelAccepted',
      status: 'True',
      reason: 'UnsupportedValue',
      message: HTTP_RULE_FORMAT(
        l7.join(', '),
        action === 'DENY' ? HTTP_DENY_BOILERPLATE : HTTP_ALLOW_BOILERPLATE,
      ),
      observedGeneration: generation,
    };
  }
  return {
    type: 'ZtunnelAccepted',
    status: 'True',
    reason: 'Accepted',
    message: 'attached to ztunnel',
    observedGeneration: generation,
  };
}
