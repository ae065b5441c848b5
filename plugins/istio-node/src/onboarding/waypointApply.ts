import { ConflictError, InputError } from '@backstage/errors';
import {
  ObjectRef,
  OnboardingPlan,
  PlanStep,
  USE_WAYPOINT_LABEL,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import { WaypointFor, waypointGateway } from './objects';
import { DesiredObject, planApply } from './planApply';
import { assertNotProtected } from './protectedNamespaces';
import { ClusterState, KubeObject, lookup } from './state';
import { isProgrammed } from './gatewayStatus';

/**
 * What `istio:waypoint:apply` asks for.
 *
 * @public
 */
export interface WaypointApplyRequest {
  namespace: string;
  /** The Gateway's name (default `waypoint`). */
  name: string;
  /** Which traffic the waypoint serves. */
  for: WaypointFor;
  /** Bind the whole namespace (label istio.io/use-waypoint on the Namespace). */
  enrollNamespace?: boolean;
  /** Bind only this Service (label istio.io/use-waypoint on the Service). */
  service?: string;
  /** Re-point an existing binding. */
  overwrite?: boolean;
}

/**
 * The objects {@link planWaypointApply} reads.
 *
 * @public
 */
export function waypointReads(request: WaypointApplyRequest): ObjectRef[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', name: request.namespace },
    refOf(waypointGateway(request.namespace, request.name, request.for)),
    ...(request.service
      ? [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name: request.service,
            namespace: request.namespace,
          },
        ]
      : []),
  ];
}

/**
 * Plans a waypoint Gateway, the wait until it is Programmed, and its
 * binding to the namespace or to one Service. Pure.
 *
 * @public
 */
export function planWaypointApply(
  request: WaypointApplyRequest,
  state: ClusterState,
  options: { cluster: string; protectedNamespaces?: readonly string[] },
): OnboardingPlan {
  assertNotProtected(request.namespace, options.protectedNamespaces);
  if (request.enrollNamespace && request.service) {
    throw new InputError(
      'Inputs "enrollNamespace" and "service" exclude each other: bind the whole namespace or one Service',
    );
  }
  if (request.service && request.for === 'workload') {
    throw new InputError(
      `Input "for": a Service binds only to a waypoint for "service" or "all", not "workload"; set for: service`,
    );
  }
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
  const force = request.overwrite ? true : undefined;
  const bindings: DesiredObject[] = [];
  if (request.enrollNamespace) {
    refuseRepoint(namespace, request, `Namespace ${request.namespace}`);
    bindings.push({
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: request.namespace,
          labels: { [USE_WAYPOINT_LABEL]: request.name },
        },
      },
      purpose: `send the namespace's traffic through waypoint ${request.name}`,
      force,
    });
  }
  if (request.service) {
    const service = lookup(state, {
      apiVersion: 'v1',
      kind: 'Service',
      name: request.service,
      namespace: request.namespace,
    });
    if (!service) {
      throw new InputError(
        `Input "service": Service ${request.namespace}/${request.service} does not exist; check the name`,
      );
    }
    refuseRepoint(
      service,
      request,
      `Service ${request.namespace}/${request.service}`,
    );
    bindings.push({
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: request.service,
          namespace: request.namespace,
          labels: { [USE_WAYPOINT_LABEL]: request.name },
        },
      },
      purpose: `send Service ${request.service}'s traffic through waypoint ${request.name}`,
      force,
    });
  }

  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  const gateway: DesiredObject = {
    object: waypointGateway(request.namespace, request.name, request.for),
    purpose: `L7 waypoint for ${request.for} traffic`,
    force,
  };
  const decision = planApply(gateway, state);
  if (decision.change) steps.push(decision.change);
  else unchanged.push(decision.unchanged);
  const gatewayRef = refOf(gateway.object);
  if (decision.change || !isProgrammed(lookup(state, gatewayRef))) {
    steps.push({
      key: `wait:gateway:${request.namespace}:${request.name}`,
      operation: 'waitForWaypoint',
      reason: `wait until Gateway ${request.namespace}/${request.name} is Programmed before binding traffic to it`,
      gateway: gatewayRef,
    });
  }
  for (const binding of bindings) {
    const d = planApply(binding, state);
    if (d.change) steps.push(d.change);
    else unchanged.push(d.unchanged);
  }
  const warnings =
    !request.enrollNamespace && !request.service
      ? [
          `Nothing is bound to waypoint ${request.name} yet: set enrollNamespace or service, or label resources with ${USE_WAYPOINT_LABEL}=${request.name}`,
        ]
      : [];
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions: [`Namespace ${request.namespace} exists`],
    warnings,
  };
}

function refuseRepoint(
  current: KubeObject,
  request: WaypointApplyRequest,
  what: string,
) {
  const existing = current.metadata.labels?.[USE_WAYPOINT_LABEL];
  if (existing && existing !== request.name && !request.overwrite) {
    throw new ConflictError(
      `${what} already uses waypoint "${existing}" (label ${USE_WAYPOINT_LABEL}); set overwrite: true to re-point it to "${request.name}"`,
    );
  }
}
