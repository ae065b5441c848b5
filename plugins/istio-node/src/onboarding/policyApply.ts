import { InputError } from '@backstage/errors';
import {
  ObjectRef,
  OnboardingPlan,
  PlanStep,
  USE_WAYPOINT_LABEL,
  refOf,
  serviceAccountPrincipal,
} from '@ambient-mesh/plugin-istio-common';
import {
  GATEWAY_API_VERSION,
  JwtRule,
  allowNothingPolicy,
  allowWaypointPolicy,
  SECURITY_API_VERSION,
  requestAuthentication,
  waypointTargetRef,
} from './objects';
import type { AuthorizationPolicySpec } from '../assessment/snapshot';
import { ztunnelEffectiveRules } from '../assessment/ztunnelRules';
import { DesiredObject, planApply } from './planApply';
import { assertNotProtected } from './protectedNamespaces';
import { ClusterState, KubeObject, lookup } from './state';

/**
 * One authorization rule from structured input.
 *
 * @public
 */
export interface PolicyRule {
  /** Callers' namespaces (L4). */
  fromNamespaces?: string[];
  /** Callers' service accounts as `namespace/name` (L4). */
  fromServiceAccounts?: string[];
  /** Destination ports (L4). */
  ports?: string[];
  /** HTTP methods (L7: needs a waypoint). */
  methods?: string[];
  /** HTTP paths (L7: needs a waypoint). */
  paths?: string[];
  /** Require a request principal (JWT); `*` for any valid token (L7). */
  requestPrincipals?: string[];
}

/**
 * What `istio:policy:apply` asks for.
 *
 * @public
 */
export interface PolicyApplyRequest {
  namespace: string;
  /** The AuthorizationPolicy's name. */
  name: string;
  action: 'ALLOW' | 'DENY' | 'CUSTOM';
  /** Enforce at this waypoint (targetRefs); without it ztunnel enforces. */
  waypoint?: string;
  /** Workloads the policy applies to when ztunnel enforces it (default: all in the namespace). */
  selector?: Record<string, string>;
  rules: PolicyRule[];
  /** JWT validation at the waypoint (RequestAuthentication `<name>-jwt`). */
  jwt?: JwtRule;
  overwrite?: boolean;
}

const L7_FIELDS: Array<keyof PolicyRule> = [
  'methods',
  'paths',
  'requestPrincipals',
];

/** The L7 fields a rule uses. @public */
export function l7FieldsOf(rule: PolicyRule): string[] {
  return L7_FIELDS.filter(field => (rule[field]?.length ?? 0) > 0);
}

/**
 * The objects {@link planPolicyApply} reads.
 *
 * @public
 */
export function policyReads(request: PolicyApplyRequest): ObjectRef[] {
  const refs: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'Namespace', name: request.namespace },
    {
      apiVersion: SECURITY_API_VERSION,
      kind: 'AuthorizationPolicy',
      name: request.name,
      namespace: request.namespace,
    },
  ];
  if (request.waypoint) {
    refs.push(
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: 'Gateway',
        name: request.waypoint,
        namespace: request.namespace,
      },
      refOf(allowNothingPolicy(request.namespace)),
      refOf(allowWaypointPolicy(request.namespace, request.waypoint)),
    );
  }
  if (request.jwt) {
    refs.push({
      apiVersion: SECURITY_API_VERSION,
      kind: 'RequestAuthentication',
      name: `${request.name}-jwt`,
      namespace: request.namespace,
    });
  }
  return refs;
}

/**
 * Refuses the shapes ztunnel cannot enforce as written (istio-ambient.md §4, and
 * istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go 1.28.0
 * through {@link ztunnelEffectiveRules}): L7 rules without a waypoint (an ALLOW rule is
 * removed whole, a DENY rule either never fires or denies every connection matching its
 * L4 part), CUSTOM on ztunnel, JWT without a waypoint. Pure.
 *
 * @public
 */
export function assertEnforceable(request: PolicyApplyRequest): void {
  if (request.waypoint) {
    if (request.selector) {
      throw new InputError(
        'Input "selector": waypoints ignore selectors; remove "selector" (the policy targets the waypoint) or remove "waypoint"',
      );
    }
    return;
  }
  if (request.action === 'CUSTOM') {
    throw new InputError(
      'Input "action": CUSTOM is rejected by ztunnel; set "waypoint" so the waypoint enforces it',
    );
  }
  if (request.jwt) {
    throw new InputError(
      'Input "jwt": in ambient mode JWT rules are enforced by a waypoint only; set "waypoint"',
    );
  }
  const effective = ztunnelEffectiveRules(
    authorizationPolicy(request) as { spec?: AuthorizationPolicySpec },
  );
  request.rules.forEach((rule, index) => {
    const l7 = l7FieldsOf(rule);
    if (l7.length === 0) {
      return;
    }
    const ztunnel = effective.rules[index];
    let consequence =
      'ztunnel removes an ALLOW rule with L7 fields whole, so this rule allows nothing (without another rule the policy denies all traffic)';
    if (ztunnel.outcome === 'never-matches') {
      consequence =
        'ztunnel removes the L7 fields and skips the match left empty, so this DENY rule is never enforced by ztunnel';
    } else if (ztunnel.outcome === 'without-http') {
      consequence = `ztunnel removes the L7 fields and enforces the rest, so this DENY rule would deny every connection ${ztunnel.enforced}`;
    }
    throw new InputError(
      `Input "rules[${index}]" uses L7 fields (${l7.join(
        ', ',
      )}) but no waypoint is in the path: ${consequence}. Set "waypoint" (create one with istio:waypoint:apply) or remove ${l7.join(
        ', ',
      )}`,
    );
  });
}

/**
 * The AuthorizationPolicy built from the request. Pure.
 *
 * @public
 */
export function authorizationPolicy(request: PolicyApplyRequest): KubeObject {
  const rules = request.rules.map(rule => {
    const source: Record<string, string[]> = {};
    if (rule.fromNamespaces?.length) source.namespaces = rule.fromNamespaces;
    if (rule.fromServiceAccounts?.length) {
      source.principals = rule.fromServiceAccounts.map(sa => {
        const [ns, name] = sa.split('/');
        return serviceAccountPrincipal(ns, name);
      });
    }
    if (rule.requestPrincipals?.length) {
      source.requestPrincipals = rule.requestPrincipals;
    }
    const operation: Record<string, string[]> = {};
    if (rule.ports?.length) operation.ports = rule.ports;
    if (rule.methods?.length) operation.methods = rule.methods;
    if (rule.paths?.length) operation.paths = rule.paths;
    return {
      ...(Object.keys(source).length ? { from: [{ source }] } : {}),
      ...(Object.keys(operation).length ? { to: [{ operation }] } : {}),
    };
  });
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'AuthorizationPolicy',
    metadata: { name: request.name, namespace: request.namespace },
    spec: {
      ...(request.waypoint
        ? { targetRefs: [waypointTargetRef(request.waypoint)] }
        : {}),
      ...(request.selector
        ? { selector: { matchLabels: request.selector } }
        : {}),
      action: request.action,
      rules,
    },
  };
}

/**
 * Plans an AuthorizationPolicy (and its RequestAuthentication). Pure.
 * Protected namespaces are refused, but for `options.rootNamespace`
 * (Istio's root namespace, where a policy is mesh-wide; the caller checks
 * istio.mesh.admin).
 *
 * @public
 */
export function planPolicyApply(
  request: PolicyApplyRequest,
  state: ClusterState,
  options: {
    cluster: string;
    protectedNamespaces?: readonly string[];
    rootNamespace?: string;
  },
): OnboardingPlan {
  if (request.namespace !== options.rootNamespace) {
    assertNotProtected(request.namespace, options.protectedNamespaces);
  }
  assertEnforceable(request);
  const namespace = lookup(state, {
    apiVersion: 'v1',
    kind: 'Namespace',
    name: request.namespace,
  });
  if (!namespace) {
    throw new InputError(
      `Input "namespace": namespace "${request.namespace}" does not exist; onboard it first (istio:namespace:onboard)`,
    );
  }
  const warnings: string[] = [];
  const preconditions = [`Namespace ${request.namespace} exists`];
  const usesWaypoint = namespace.metadata.labels?.[USE_WAYPOINT_LABEL];
  if (request.waypoint) {
    const gateway = lookup(state, {
      apiVersion: GATEWAY_API_VERSION,
      kind: 'Gateway',
      name: request.waypoint,
      namespace: request.namespace,
    });
    if (!gateway) {
      throw new InputError(
        `Input "waypoint": waypoint "${request.waypoint}" does not exist in namespace ${request.namespace}; create it with istio:waypoint:apply first`,
      );
    }
    preconditions.push(
      `Waypoint ${request.namespace}/${request.waypoint} exists`,
    );
    if (usesWaypoint !== request.waypoint) {
      warnings.push(
        `Namespace ${request.namespace} does not use waypoint ${request.waypoint} (label ${USE_WAYPOINT_LABEL}); only traffic bound to it is checked by this policy`,
      );
    }
  } else if (
    usesWaypoint &&
    request.rules.some(r => (r.fromServiceAccounts?.length ?? 0) > 0)
  ) {
    warnings.push(
      `Namespace ${request.namespace} uses waypoint ${usesWaypoint}: ztunnel sees the waypoint's identity, not the caller's, so service-account rules enforced by ztunnel stop matching; set "waypoint: ${usesWaypoint}"`,
    );
  }
  const force = request.overwrite ? true : undefined;
  const desired: DesiredObject[] = [];
  if (
    request.waypoint &&
    lookup(state, refOf(allowNothingPolicy(request.namespace)))
  ) {
    // With default deny, ztunnel must let the waypoint's identity through,
    // or nothing the waypoint allows reaches the workloads.
    desired.push({
      object: allowWaypointPolicy(request.namespace, request.waypoint),
      purpose: `the namespace denies by default: allow the waypoint's identity so traffic it allows reaches the workloads`,
    });
  }
  if (request.jwt && request.waypoint) {
    desired.push({
      object: requestAuthentication(
        request.namespace,
        request.waypoint,
        [request.jwt],
        `${request.name}-jwt`,
      ),
      purpose: `validate JWTs from ${request.jwt.issuer} at waypoint ${request.waypoint}`,
      force,
    });
  }
  desired.push({
    object: authorizationPolicy(request),
    purpose: `${request.action} rules enforced by ${
      request.waypoint ? `waypoint ${request.waypoint}` : 'ztunnel'
    }`,
    force,
  });
  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  for (const d of desired) {
    const decision = planApply(d, state);
    if (decision.change) steps.push(decision.change);
    else unchanged.push(refOf(d.object));
  }
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions,
    warnings,
  };
}
