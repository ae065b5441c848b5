/** Label, annotation and condition names the assessment reads beyond those in istio-common. */

/** Namespace label of the classic sidecar injector. */
export const ISTIO_INJECTION_LABEL = 'istio-injection';

/** Service condition set by istiod when a waypoint binds (or fails to bind) the Service. */
export const WAYPOINT_BOUND_CONDITION = 'istio.io/WaypointBound';

/** Group of Gateway API resources. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
