import { ConflictError, InputError } from '@backstage/errors';
import {
  DATAPLANE_MODE_LABEL,
  ISTIO_REV_LABEL,
  OnboardingPlan,
  PlanStep,
  PlannedWait,
  USE_WAYPOINT_LABEL,
  ObjectRef,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import {
  JwtRule,
  WaypointFor,
  allowCallersPolicy,
  allowNothingPolicy,
  allowWaypointPolicy,
  enrollmentLabels,
  namespaceObject,
  peerAuthentication,
  requestAuthentication,
  waypointGateway,
  waypointTracingTelemetry,
} from './objects';
import { DesiredObject, applyKey, planApply } from './planApply';
import { assertNotProtected } from './protectedNamespaces';
import { ClusterState, KubeObject, lookup } from './state';
import { isProgrammed } from './gatewayStatus';

/**
 * What `istio:namespace:onboard` asks for.
 *
 * @public
 */
export interface NamespaceOnboardRequest {
  namespace: string;
  /** Create the namespace when missing (default true). */
  createNamespace?: boolean;
  /** Deploy and bind a waypoint with this name. */
  waypoint?: { name: string; for: WaypointFor };
  /** Apply the default policies (mTLS STRICT, default deny, explicit allows). */
  defaultPolicies?: boolean;
  /** mTLS mode of the namespace's PeerAuthentication (default STRICT). */
  mtlsMode?: 'STRICT' | 'PERMISSIVE';
  /** Namespaces allowed to call (default: the namespace itself). */
  allowNamespaces?: string[];
  /** JWT validation at the waypoint. */
  jwt?: JwtRule;
  /** Require a valid JWT on every request through the waypoint. */
  requireJwt?: boolean;
  /** Sampling percentage of the waypoint's traces (tracing off when unset). */
  tracingSamplingPercentage?: number;
  /** Re-point an existing waypoint binding or weaken mTLS. */
  overwrite?: boolean;
}

/**
 * The objects {@link planNamespaceOnboard} reads before planning.
 *
 * @public
 */
export function onboardReads(request: NamespaceOnboardRequest): ObjectRef[] {
  const desired = desiredObjects(request);
  return [
    desired.namespace,
    ...(desired.gateway ? [desired.gateway] : []),
    ...desired.policies,
  ].map(d => refOf(d.object));
}

/**
 * Plans the enrollment of a namespace: labels, waypoint, default policies.
 * Pure: `state` holds the current objects listed by {@link onboardReads}.
 *
 * @public
 */
export function planNamespaceOnboard(
  request: NamespaceOnboardRequest,
  state: ClusterState,
  options: { cluster: string; protectedNamespaces?: readonly string[] },
): OnboardingPlan {
  const { namespace, waypoint } = request;
  assertNotProtected(namespace, options.protectedNamespaces);
  validateRequest(request);

  const currentNamespace = lookup(state, {
    apiVersion: 'v1',
    kind: 'Namespace',
    name: namespace,
  });
  const warnings: string[] = [];
  const preconditions: string[] = [];
  if (!currentNamespace) {
    if (request.createNamespace === false) {
      throw new InputError(
        `Input "namespace": namespace "${namespace}" does not exist; create it first or set createNamespace: true`,
      );
    }
    preconditions.push(
      `Namespace ${namespace} does not exist yet: it is created`,
    );
  } else {
    preconditions.push(`Namespace ${namespace} exists`);
    checkNamespaceLabels(currentNamespace, request, warnings);
  }
  checkPeerAuthentication(state, request);
  if (waypoint && request.defaultPolicies) {
    warnings.push(
      `Ingress gateways bypass the waypoint unless their Service or namespace has istio.io/ingress-use-waypoint=true; with default deny, ztunnel refuses their direct traffic`,
    );
  }

  const desired = desiredObjects(request);
  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  const add = (d: DesiredObject) => {
    const decision = planApply(d, state);
    if (decision.change) {
      steps.push(decision.change);
    } else {
      unchanged.push(decision.unchanged);
    }
  };
  // The waypoint's allow goes in before the namespace is bound to the
  // waypoint: from then on ztunnel sees the waypoint's identity, which an
  // existing default deny would refuse.
  const allowWaypoint = waypoint
    ? desired.policies.find(
        d =>
          d.object.kind === 'AuthorizationPolicy' &&
          d.object.metadata.name === `allow-${waypoint.name}`,
      )
    : undefined;
  const policies = desired.policies.filter(d => d !== allowWaypoint);
  if (!waypoint || !desired.gateway) {
    add(desired.namespace);
  } else {
    // The namespace must exist before its Gateway; an existing namespace is
    // bound to the waypoint only once the waypoint is Programmed.
    if (!currentNamespace) {
      add(desired.namespace);
    }
    if (allowWaypoint) add(allowWaypoint);
    add(desired.gateway);
    const gatewayRef = refOf(desired.gateway.object);
    const gatewayNow = lookup(state, gatewayRef);
    const gatewayChanges = steps.some(s => s.key === applyKey(gatewayRef));
    if (gatewayChanges || !isProgrammed(gatewayNow)) {
      const wait: PlannedWait = {
        key: `wait:gateway:${namespace}:${waypoint.name}`,
        operation: 'waitForWaypoint',
        reason: `wait until Gateway ${namespace}/${waypoint.name} is Programmed before traffic is sent through it`,
        gateway: gatewayRef,
      };
      steps.push(wait);
    }
    if (currentNamespace) {
      add(desired.namespace);
    }
  }
  policies.forEach(add);
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions,
    warnings,
  };
}

function validateRequest(request: NamespaceOnboardRequest) {
  if (!request.waypoint && request.jwt) {
    throw new InputError(
      'Input "jwt": JWT rules are enforced by a waypoint only; set "waypoint" or remove "jwt"',
    );
  }
  if (!request.waypoint && request.requireJwt) {
    throw new InputError(
      'Input "requireJwt": requiring a JWT needs a waypoint; set "waypoint" or remove "requireJwt"',
    );
  }
  if (request.requireJwt && !request.jwt) {
    throw new InputError(
      'Input "requireJwt": requiring a JWT needs "jwt" (issuer and jwksUri) to validate it',
    );
  }
  if (request.requireJwt && !request.defaultPolicies) {
    throw new InputError(
      'Input "requireJwt": the JWT requirement is part of the default policies; set defaultPolicies: true',
    );
  }
  if (request.tracingSamplingPercentage !== undefined && !request.waypoint) {
    throw new InputError(
      'Input "tracingSamplingPercentage": only waypoints emit spans (ztunnel emits none); set "waypoint" or remove the tracing input',
    );
  }
}

function checkNamespaceLabels(
  current: KubeObject,
  request: NamespaceOnboardRequest,
  warnings: string[],
) {
  const labels = current.metadata.labels ?? {};
  const existingWaypoint = labels[USE_WAYPOINT_LABEL];
  if (
    request.waypoint &&
    existingWaypoint &&
    existingWaypoint !== request.waypoint.name &&
    !request.overwrite
  ) {
    throw new ConflictError(
      `Namespace ${request.namespace} already uses waypoint "${existingWaypoint}" (label ${USE_WAYPOINT_LABEL}); set overwrite: true to re-point it to "${request.waypoint.name}", or set waypoint name "${existingWaypoint}"`,
    );
  }
  const mode = labels[DATAPLANE_MODE_LABEL];
  if (mode && mode !== 'ambient' && !request.overwrite) {
    throw new ConflictError(
      `Namespace ${request.namespace} has ${DATAPLANE_MODE_LABEL}=${mode}; set overwrite: true to enroll it in ambient mode`,
    );
  }
  if (labels[ISTIO_REV_LABEL]) {
    warnings.push(
      `Namespace ${request.namespace} has ${ISTIO_REV_LABEL}=${labels[ISTIO_REV_LABEL]}: new pods get sidecars and leave ambient mode; remove the label`,
    );
  }
}

function checkPeerAuthentication(
  state: ClusterState,
  request: NamespaceOnboardRequest,
) {
  if (!request.defaultPolicies) {
    return;
  }
  const current = lookup(state, {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    name: 'default',
    namespace: request.namespace,
  });
  const currentMode = current?.spec?.mtls?.mode;
  const wanted = request.mtlsMode ?? 'STRICT';
  if (currentMode === 'STRICT' && wanted !== 'STRICT' && !request.overwrite) {
    throw new ConflictError(
      `PeerAuthentication ${request.namespace}/default is STRICT; refusing to weaken it to ${wanted} (input "mtlsMode"); set overwrite: true if that is intended`,
    );
  }
}

/**
 * The desired objects in apply order: Namespace, Gateway, then policies
 * with the allows before the default deny (no window where all is denied).
 */
function desiredObjects(request: NamespaceOnboardRequest): {
  namespace: DesiredObject;
  gateway?: DesiredObject;
  policies: DesiredObject[];
} {
  const { namespace, waypoint, overwrite } = request;
  const force = overwrite ? true : undefined;
  const list: DesiredObject[] = [];
  if (request.defaultPolicies) {
    list.push({
      object: peerAuthentication(namespace, request.mtlsMode ?? 'STRICT'),
      purpose: `mTLS ${request.mtlsMode ?? 'STRICT'} for the namespace`,
      force,
    });
    if (waypoint) {
      list.push({
        object: allowWaypointPolicy(namespace, waypoint.name),
        purpose: `allow the waypoint's identity (ztunnel sees it instead of the client's)`,
        force,
      });
    }
    list.push({
      object: allowCallersPolicy({
        namespace,
        callerNamespaces: request.allowNamespaces?.length
          ? request.allowNamespaces
          : [namespace],
        waypoint: waypoint?.name,
        requireJwt: request.requireJwt,
      }),
      purpose: `allow callers from ${(request.allowNamespaces?.length
        ? request.allowNamespaces
        : [namespace]
      ).join(', ')}${request.requireJwt ? ' carrying a valid JWT' : ''}${
        waypoint ? ' (enforced by the waypoint)' : ' (enforced by ztunnel)'
      }`,
      force,
    });
    if (waypoint && request.jwt) {
      list.push({
        object: requestAuthentication(namespace, waypoint.name, [request.jwt]),
        purpose: `validate JWTs from ${request.jwt.issuer} at the waypoint`,
        force,
      });
    }
    list.push({
      object: allowNothingPolicy(namespace),
      purpose: 'default deny: only the explicit allows pass',
      force,
    });
  }
  if (waypoint && request.tracingSamplingPercentage !== undefined) {
    list.push({
      object: waypointTracingTelemetry(
        namespace,
        waypoint.name,
        request.tracingSamplingPercentage,
      ),
      purpose: `trace ${request.tracingSamplingPercentage}% of requests through the waypoint`,
      force,
    });
  }
  return {
    namespace: {
      object: namespaceObject(namespace, enrollmentLabels(waypoint?.name)),
      purpose: waypoint
        ? `enroll the namespace in ambient mode and bind waypoint ${waypoint.name}`
        : 'enroll the namespace in ambient mode',
      force,
    },
    gateway: waypoint
      ? {
          object: waypointGateway(namespace, waypoint.name, waypoint.for),
          purpose: `L7 waypoint (for ${waypoint.for}) handling the namespace's traffic`,
          force,
        }
      : undefined,
    policies: list,
  };
}
