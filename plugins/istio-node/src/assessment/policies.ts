import type {
  AppliedPolicy,
  ConfiguredMtls,
  PolicyCondition,
  PolicyLayer,
  WaypointStatus,
} from '@ambient-mesh/plugin-istio-common';
import { WAYPOINT_GATEWAY_CLASS } from '@ambient-mesh/plugin-istio-common';
import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { GATEWAY_API_GROUP } from './labelNames';
import { labelsOf, matchesLabels } from './objects';
import type {
  AuthorizationPolicyObject,
  AuthorizationRule,
  CustomObject,
  GatewayObject,
  MeshSnapshot,
  PeerAuthenticationObject,
  PolicyTargetReference,
  RequestAuthenticationObject,
  WorkloadSelector,
} from './snapshot';

const L4_SOURCE_FIELDS = new Set([
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
]);
const L4_OPERATION_FIELDS = new Set(['ports', 'notPorts']);
const L4_WHEN_KEYS = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);
/** Fields that name the client's identity, which becomes the waypoint's behind a waypoint. */
const IDENTITY_SOURCE_FIELDS = new Set([
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
]);
const IDENTITY_WHEN_KEYS = new Set(['source.principal', 'source.namespace']);

/** Field names a rule uses, as `source.x`, `operation.x` and `when.key`. */
function fieldsOf(rule: AuthorizationRule): { l4: string[]; l7: string[] } {
  const l4: string[] = [];
  const l7: string[] = [];
  for (const from of rule.from ?? []) {
    for (const field of Object.keys(from.source ?? {})) {
      (L4_SOURCE_FIELDS.has(field) ? l4 : l7).push(`source.${field}`);
    }
  }
  for (const to of rule.to ?? []) {
    for (const field of Object.keys(to.operation ?? {})) {
      (L4_OPERATION_FIELDS.has(field) ? l4 : l7).push(`operation.${field}`);
    }
  }
  for (const when of rule.when ?? []) {
    (L4_WHEN_KEYS.has(when.key) ? l4 : l7).push(`when ${when.key}`);
  }
  return { l4, l7 };
}

/** The L7 fields of a rule (those ztunnel cannot enforce). */
export function l7FieldsOf(rule: AuthorizationRule): string[] {
  return fieldsOf(rule).l7;
}

/** The client-identity fields of a rule (principals, service accounts, namespaces). */
export function identityFieldsOf(rule: AuthorizationRule): string[] {
  const fields: string[] = [];
  for (const from of rule.from ?? []) {
    for (const field of Object.keys(from.source ?? {})) {
      if (IDENTITY_SOURCE_FIELDS.has(field)) fields.push(`source.${field}`);
    }
  }
  for (const when of rule.when ?? []) {
    if (IDENTITY_WHEN_KEYS.has(when.key)) fields.push(`when ${when.key}`);
  }
  return fields;
}

/** L4, L7, both, or `none` for a policy without rules. */
export function layerOf(
  rules: readonly AuthorizationRule[] | undefined,
): PolicyLayer {
  if (!rules || rules.length === 0) return 'none';
  let l4 = false;
  let l7 = false;
  for (const rule of rules) {
    const fields = fieldsOf(rule);
    if (fields.l7.length > 0) l7 = true;
    if (fields.l4.length > 0 || fields.l7.length === 0) l4 = true;
  }
  if (l4 && l7) return 'L4+L7';
  return l7 ? 'L7' : 'L4';
}

function list(name: string, values: string[] | undefined): string | undefined {
  return values && values.length > 0
    ? `${name} [${values.join(', ')}]`
    : undefined;
}

function describeRule(rule: AuthorizationRule): string {
  const parts: string[] = [];
  const from = (rule.from ?? []).flatMap(f =>
    Object.entries(f.source ?? {}).map(([k, v]) => list(k, v)),
  );
  const to = (rule.to ?? []).flatMap(t =>
    Object.entries(t.operation ?? {}).map(([k, v]) => list(k, v)),
  );
  const when = (rule.when ?? []).map(w =>
    list(w.key, w.values ?? w.notValues?.map(v => `not ${v}`)),
  );
  const clean = (xs: Array<string | undefined>) =>
    xs.filter((x): x is string => Boolean(x)).join(', ');
  if (from.length) parts.push(`from ${clean(from)}`);
  if (to.length) parts.push(`to ${clean(to)}`);
  if (when.length) parts.push(`when ${clean(when)}`);
  return parts.length > 0 ? parts.join('; ') : 'any request';
}

/** A one-line description of an AuthorizationPolicy. */
export function describeAuthorizationPolicy(
  policy: AuthorizationPolicyObject,
): string {
  const action = policy.spec?.action ?? 'ALLOW';
  const rules = policy.spec?.rules ?? [];
  if (rules.length === 0) {
    return action === 'ALLOW'
      ? 'ALLOW nothing: denies all traffic to the selected workloads'
      : `${action} with no rules: matches nothing`;
  }
  const provider =
    action === 'CUSTOM' && policy.spec?.provider?.name
      ? ` (provider ${policy.spec.provider.name})`
      : '';
  return `${action}${provider}: ${rules.map(describeRule).join(' | ')}`;
}

function targetRefsOf(spec: {
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
}): PolicyTargetReference[] {
  return [
    ...(spec.targetRefs ?? []),
    ...(spec.targetRef ? [spec.targetRef] : []),
  ];
}

function hasSelector(selector: WorkloadSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length > 0;
}

function conditionsOf(object: CustomObject<unknown>): PolicyCondition[] {
  return (object.status?.conditions ?? []).map(c => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  }));
}

/** The entity a policy may apply to. */
export interface PolicyContext {
  namespace: string;
  rootNamespace: string;
  pods: readonly V1Pod[];
  services: readonly V1Service[];
  waypoint: WaypointStatus;
}

type Attachment = Pick<AppliedPolicy, 'scope' | 'enforcer'>;

/**
 * How a policy attaches to the entity, or undefined when it does not apply.
 * targetRefs (to one of the entity's Services, or to its waypoint Gateway) are
 * enforced by the waypoint; `selector` and namespace-wide policies by ztunnel.
 */
export function attachmentOf(
  object: CustomObject<{
    selector?: WorkloadSelector;
    targetRef?: PolicyTargetReference;
    targetRefs?: PolicyTargetReference[];
  }>,
  context: PolicyContext,
): Attachment | undefined {
  const spec = object.spec ?? {};
  const namespace = object.metadata.namespace;
  const isRoot = namespace === context.rootNamespace;
  const waypoint =
    context.waypoint.kind === 'waypoint' ? context.waypoint : undefined;

  // pilot/pkg/model/policyattachment.go (1.28.0) ShouldAttachPolicy: a Service target
  // needs the policy in the Service's namespace, a Gateway target the policy in the
  // waypoint's namespace, and the GatewayClass istio-waypoint target (1.26+) the policy
  // in the root namespace, where it applies to every waypoint.
  const refs = targetRefsOf(spec);
  if (refs.length > 0) {
    const sameNamespace = (ref: PolicyTargetReference) =>
      !ref.namespace || ref.namespace === namespace;
    const serviceNames = context.services.map(s => s.metadata?.name);
    let viaClass = false;
    const matches = refs.some(ref => {
      if (isWaypointClassRef(ref)) {
        viaClass = viaClass || (isRoot && waypoint !== undefined);
        return isRoot && waypoint !== undefined;
      }
      if (ref.kind === 'Service' && (ref.group ?? '') === '') {
        return (
          namespace === context.namespace &&
          sameNamespace(ref) &&
          serviceNames.includes(ref.name)
        );
      }
      if (ref.kind === 'Gateway' && ref.group === GATEWAY_API_GROUP) {
        return (
          waypoint !== undefined &&
          waypoint.name === ref.name &&
          waypoint.namespace === namespace &&
          sameNamespace(ref)
        );
      }
      return false;
    });
    if (!matches) return undefined;
    return {
      scope: viaClass ? 'gatewayClass' : 'targetRefs',
      enforcer: 'waypoint',
    };
  }
  if (namespace !== context.namespace && !isRoot) return undefined;
  if (hasSelector(spec.selector)) {
    const selects = context.pods.some(pod =>
      matchesLabels(spec.selector?.matchLabels, labelsOf(pod)),
    );
    return selects ? { scope: 'selector', enforcer: 'ztunnel' } : undefined;
  }
  return { scope: isRoot ? 'mesh' : 'namespace', enforcer: 'ztunnel' };
}

/** A targetRef to the GatewayClass `istio-waypoint` (every waypoint; Istio 1.26+). */
export function isWaypointClassRef(ref: PolicyTargetReference): boolean {
  return (
    ref.kind === 'GatewayClass' &&
    ref.group === GATEWAY_API_GROUP &&
    ref.name === WAYPOINT_GATEWAY_CLASS
  );
}

/**
 * The labels of a waypoint's pods, as istiod's waypoint template sets them
 * (manifests/charts/istio-control/istio-discovery/files/waypoint.yaml and
 * pilot/pkg/config/kube/gateway/deploymentcontroller.go extractInfrastructureLabels,
 * 1.28.0): the Deployment's pod template labels when read, else the Gateway's
 * `spec.infrastructure.labels` (or its own labels) plus the fixed ones.
 */
export function waypointPodLabels(
  gateway: GatewayObject | undefined,
  deployment: V1Deployment | undefined,
  name: string,
): Record<string, string> {
  const template = deployment?.spec?.template?.metadata?.labels;
  if (template && Object.keys(template).length > 0) return template;
  const infra = gateway?.spec?.infrastructure?.labels ?? labelsOf(gateway);
  return {
    'sidecar.istio.io/inject': 'false',
    'istio.io/dataplane-mode': 'none',
    'service.istio.io/canonical-name': name,
    'service.istio.io/canonical-revision': 'latest',
    ...Object.fromEntries(
      Object.entries(infra).filter(
        ([k]) => !k.startsWith(`${GATEWAY_API_GROUP}/`),
      ),
    ),
    [`${GATEWAY_API_GROUP}/gateway-name`]: name,
    [`${GATEWAY_API_GROUP}/gateway-class-name`]: WAYPOINT_GATEWAY_CLASS,
    'gateway.istio.io/managed': 'istio.io-mesh-controller',
  };
}

/** A policy whose `selector` picks the waypoint's pods, which waypoints ignore. */
export interface WaypointSelectorPolicy {
  kind: 'AuthorizationPolicy' | 'RequestAuthentication' | 'Telemetry';
  policy: CustomObject<{ selector?: WorkloadSelector }>;
}

/**
 * Policies in the waypoint's namespace (or the root namespace) that select the waypoint's
 * pods with `selector` and have no targetRefs. Waypoints never use selector-based policies
 * (pilot/pkg/model/policyattachment.go ShouldAttachPolicy, 1.28.0: "waypoints never use
 * selector"), and ztunnel does not capture waypoint pods (`istio.io/dataplane-mode: none`),
 * so these policies do nothing.
 */
export function waypointSelectorPolicies(
  snapshot: Pick<
    MeshSnapshot,
    | 'authorizationPolicies'
    | 'requestAuthentications'
    | 'telemetries'
    | 'waypointGateways'
    | 'waypointDeployments'
  >,
  waypoint: WaypointStatus,
  rootNamespace: string,
): WaypointSelectorPolicy[] {
  if (waypoint.kind !== 'waypoint') return [];
  const gateway = snapshot.waypointGateways.find(
    g =>
      g.metadata.name === waypoint.name &&
      g.metadata.namespace === waypoint.namespace,
  );
  const deployment = snapshot.waypointDeployments.find(
    d =>
      d.metadata?.name === waypoint.name &&
      d.metadata?.namespace === waypoint.namespace,
  );
  const labels = waypointPodLabels(gateway, deployment, waypoint.name);
  const candidates: WaypointSelectorPolicy[] = [
    ...snapshot.authorizationPolicies.map(policy => ({
      kind: 'AuthorizationPolicy' as const,
      policy,
    })),
    ...snapshot.requestAuthentications.map(policy => ({
      kind: 'RequestAuthentication' as const,
      policy,
    })),
    ...snapshot.telemetries.map(policy => ({
      kind: 'Telemetry' as const,
      policy,
    })),
  ];
  const seen = new Set<string>();
  return candidates.filter(({ kind, policy }) => {
    const ns = policy.metadata.namespace;
    if (ns !== waypoint.namespace && ns !== rootNamespace) return false;
    const spec = (policy.spec ?? {}) as {
      selector?: WorkloadSelector;
      targetRef?: PolicyTargetReference;
      targetRefs?: PolicyTargetReference[];
    };
    if (targetRefsOf(spec).length > 0 || !hasSelector(spec.selector)) {
      return false;
    }
    const key = `${kind}/${ns}/${policy.metadata.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return matchesLabels(spec.selector?.matchLabels, labels);
  });
}

/** Summary prefix of a policy that targets the GatewayClass istio-waypoint. */
const EVERY_WAYPOINT = 'every waypoint (GatewayClass istio-waypoint): ';

/** An AuthorizationPolicy that applies, with its attachment. @public */
export interface ApplicableAuthorizationPolicy {
  policy: AuthorizationPolicyObject;
  applied: AppliedPolicy;
}

/** The AuthorizationPolicies that apply to the entity. */
export function applicableAuthorizationPolicies(
  policies: readonly AuthorizationPolicyObject[],
  context: PolicyContext,
): ApplicableAuthorizationPolicy[] {
  const result: ApplicableAuthorizationPolicy[] = [];
  for (const policy of policies) {
    const attachment = attachmentOf(policy, context);
    if (!attachment) continue;
    result.push({
      policy,
      applied: {
        kind: 'AuthorizationPolicy',
        name: policy.metadata.name,
        namespace: policy.metadata.namespace ?? context.namespace,
        action: policy.spec?.action ?? 'ALLOW',
        ...attachment,
        layer: layerOf(policy.spec?.rules),
        summary: `${
          attachment.scope === 'gatewayClass' ? EVERY_WAYPOINT : ''
        }${describeAuthorizationPolicy(policy)}`,
        conditions: conditionsOf(policy),
      },
    });
  }
  return result;
}

/** The RequestAuthentications that apply to the entity. */
export function applicableRequestAuthentications(
  policies: readonly RequestAuthenticationObject[],
  context: PolicyContext,
): Array<{ policy: RequestAuthenticationObject; applied: AppliedPolicy }> {
  const result = [];
  for (const policy of policies) {
    const attachment = attachmentOf(policy, context);
    if (!attachment) continue;
    const issuers = (policy.spec?.jwtRules ?? [])
      .map(r => r.issuer)
      .filter(Boolean);
    result.push({
      policy,
      applied: {
        kind: 'RequestAuthentication' as const,
        name: policy.metadata.name,
        namespace: policy.metadata.namespace ?? context.namespace,
        ...attachment,
        layer: 'L7' as const,
        summary: `${attachment.scope === 'gatewayClass' ? EVERY_WAYPOINT : ''}${
          issuers.length > 0
            ? `JWT from issuers [${issuers.join(', ')}]`
            : 'JWT rules without issuer'
        }`,
        conditions: conditionsOf(policy),
      },
    });
  }
  return result;
}

const PEER_SCOPE: Record<ConfiguredMtls['source'], AppliedPolicy['scope']> = {
  workload: 'selector',
  namespace: 'namespace',
  mesh: 'mesh',
  default: 'mesh',
};

/** The PeerAuthentication that decides the entity's mTLS mode, as an applied policy. */
export function appliedPeerAuthentication(
  policies: readonly PeerAuthenticationObject[],
  configured: ConfiguredMtls,
): AppliedPolicy | undefined {
  const resource = configured.resource;
  if (!resource) return undefined;
  const policy = policies.find(
    p =>
      p.metadata.name === resource.name &&
      p.metadata.namespace === resource.namespace,
  );
  return {
    kind: 'PeerAuthentication',
    name: resource.name,
    namespace: resource.namespace,
    scope: PEER_SCOPE[configured.source],
    enforcer: 'ztunnel',
    layer: 'L4',
    summary: `mTLS ${configured.mode}`,
    conditions: policy ? conditionsOf(policy) : [],
  };
}

/** True when an "allow-nothing" AuthorizationPolicy applies (ALLOW without rules). */
export function hasDefaultDeny(
  applicable: readonly ApplicableAuthorizationPolicy[],
): boolean {
  return applicable.some(
    ({ policy }) =>
      (policy.spec?.action ?? 'ALLOW') === 'ALLOW' &&
      (policy.spec?.rules ?? []).length === 0,
  );
}
