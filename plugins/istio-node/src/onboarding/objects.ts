import {
  DATAPLANE_MODE_AMBIENT,
  DATAPLANE_MODE_LABEL,
  OTEL_TRACING_PROVIDER,
  USE_WAYPOINT_LABEL,
  WAYPOINT_FOR_LABEL,
  WAYPOINT_GATEWAY_CLASS,
  serviceAccountPrincipal,
} from '@ambient-mesh/plugin-istio-common';
import { KubeObject } from './state';

/*
 * Builders of the desired objects: only the fields this project sets, as
 * sent in a server-side apply. Pure functions.
 */

/**
 * Which traffic a waypoint serves.
 *
 * @public
 */
export type WaypointFor = 'service' | 'workload' | 'all';

/** @public */
export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';
/** @public */
export const SECURITY_API_VERSION = 'security.istio.io/v1';
/** @public */
export const TELEMETRY_API_VERSION = 'telemetry.istio.io/v1';

/**
 * A Namespace carrying the given labels.
 *
 * @public
 */
export function namespaceObject(
  name: string,
  labels: Record<string, string>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/**
 * The labels that enroll a namespace, and bind it to a waypoint when given.
 *
 * @public
 */
export function enrollmentLabels(waypoint?: string): Record<string, string> {
  return {
    [DATAPLANE_MODE_LABEL]: DATAPLANE_MODE_AMBIENT,
    ...(waypoint ? { [USE_WAYPOINT_LABEL]: waypoint } : {}),
  };
}

/** A waypoint Gateway, as `istioctl waypoint apply` writes it. @public */
export function waypointGateway(
  namespace: string,
  name: string,
  waypointFor: WaypointFor,
): KubeObject {
  return {
    apiVersion: GATEWAY_API_VERSION,
    kind: 'Gateway',
    metadata: {
      name,
      namespace,
      labels: { [WAYPOINT_FOR_LABEL]: waypointFor },
    },
    spec: {
      gatewayClassName: WAYPOINT_GATEWAY_CLASS,
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    },
  };
}

/**
 * A `targetRefs` entry naming a waypoint Gateway.
 *
 * @public
 */
export function waypointTargetRef(waypoint: string) {
  return {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: waypoint,
  };
}

/**
 * The namespace's PeerAuthentication `default` with the given mode.
 *
 * @public
 */
export function peerAuthentication(
  namespace: string,
  mode: 'STRICT' | 'PERMISSIVE',
): KubeObject {
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace },
    spec: { mtls: { mode } },
  };
}

/**
 * An AuthorizationPolicy with an empty spec: default deny (enforced by ztunnel).
 *
 * @public
 */
export function allowNothingPolicy(namespace: string): KubeObject {
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'AuthorizationPolicy',
    metadata: { name: 'allow-nothing', namespace },
    spec: {},
  };
}

/**
 * Lets the waypoint's identity reach the namespace's workloads: once a
 * waypoint is in the path, ztunnel sees the waypoint's principal, not the
 * client's.
 *
 * @public
 */
export function allowWaypointPolicy(
  namespace: string,
  waypoint: string,
): KubeObject {
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'AuthorizationPolicy',
    metadata: { name: `allow-${waypoint}`, namespace },
    spec: {
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              source: {
                principals: [serviceAccountPrincipal(namespace, waypoint)],
              },
            },
          ],
        },
      ],
    },
  };
}

/**
 * Allows callers from the given namespaces. With a waypoint the policy
 * targets it (and may require a JWT); without one ztunnel enforces it with
 * L4 fields only.
 *
 * @public
 */
export function allowCallersPolicy(options: {
  namespace: string;
  callerNamespaces: string[];
  waypoint?: string;
  requireJwt?: boolean;
}): KubeObject {
  const source: Record<string, string[]> = {
    namespaces: options.callerNamespaces,
  };
  if (options.waypoint && options.requireJwt) {
    source.requestPrincipals = ['*'];
  }
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'AuthorizationPolicy',
    metadata: { name: 'allow-callers', namespace: options.namespace },
    spec: {
      ...(options.waypoint
        ? { targetRefs: [waypointTargetRef(options.waypoint)] }
        : {}),
      action: 'ALLOW',
      rules: [{ from: [{ source }] }],
    },
  };
}

/**
 * A JWT rule of a RequestAuthentication.
 *
 * @public
 */
export interface JwtRule {
  issuer: string;
  jwksUri?: string;
  audiences?: string[];
  forwardOriginalToken?: boolean;
}

/**
 * A RequestAuthentication targeting the waypoint (ambient needs targetRefs).
 *
 * @public
 */
export function requestAuthentication(
  namespace: string,
  waypoint: string,
  rules: JwtRule[],
  name = 'jwt',
): KubeObject {
  return {
    apiVersion: SECURITY_API_VERSION,
    kind: 'RequestAuthentication',
    metadata: { name, namespace },
    spec: {
      targetRefs: [waypointTargetRef(waypoint)],
      jwtRules: rules.map(rule => ({
        issuer: rule.issuer,
        ...(rule.jwksUri ? { jwksUri: rule.jwksUri } : {}),
        ...(rule.audiences?.length ? { audiences: rule.audiences } : {}),
        ...(rule.forwardOriginalToken !== undefined
          ? { forwardOriginalToken: rule.forwardOriginalToken }
          : {}),
      })),
    },
  };
}

/**
 * Tracing through the waypoint to the `otel-tracing` provider.
 *
 * @public
 */
export function waypointTracingTelemetry(
  namespace: string,
  waypoint: string,
  samplingPercentage: number,
): KubeObject {
  return {
    apiVersion: TELEMETRY_API_VERSION,
    kind: 'Telemetry',
    metadata: { name: `${waypoint}-tracing`, namespace },
    spec: {
      targetRefs: [waypointTargetRef(waypoint)],
      tracing: [
        {
          providers: [{ name: OTEL_TRACING_PROVIDER }],
          randomSamplingPercentage: samplingPercentage,
        },
      ],
    },
  };
}
