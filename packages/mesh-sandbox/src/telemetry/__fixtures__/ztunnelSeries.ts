/**
 * Label sets of ztunnel's `istio_tcp_connections_*` series for the sandbox demo,
 * written after istio/ztunnel 1.28.0:
 * - `src/proxy/metrics.rs` `CommonTrafficLabels`: the label names and their order,
 *   `DefaultedUnknown` ("unknown"), `source_app`/`source_version` =
 *   canonical name/revision (`with_source`), `destination_principal` from the
 *   destination workload's identity (`with_destination`), the locality labels
 *   (`OptionallyEncode<LocalityLabels>`, present once a workload is known),
 *   `ResponseFlags` "-" / "DENY", `ConnectionResult::new` counting the opened
 *   connection with the labels of `ConnectionOpen` (flag "-"), `record_with_flag`
 *   setting the flag on the closed counter only;
 * - `src/proxy/inbound.rs` `build_inbound_request`: `reporter="destination"`, the
 *   source looked up by the connection's source IP, `source_principal` from the
 *   peer's mTLS identity, `connection_security_policy="mutual_tls"` for HBONE;
 *   a denied connection `record_with_flag(.., AuthorizationPolicyDenied)`;
 * - `src/proxy/outbound.rs` `conn_metrics_from_request`: `reporter="source"`,
 *   destination = `actual_destination_workload` (the waypoint when there is one),
 *   service = the intended one, own identity as `source_principal` for HBONE;
 *   its closed counter is recorded without a flag (`result_tracker.record`).
 * Workload names and canonical labels as istiod computes them (istio/istio 1.28.0
 * `pkg/kube/util.go` `GetDeployMetaFromPod`, `pkg/kube/labels/labels.go`
 * `CanonicalService`), for the bookinfo-like app of `seed/bookinfo.ts` and the
 * `microservices` demo (its waypoint `waypoint`).
 */

const LOCALITY = {
  source_region: 'unknown',
  source_zone: 'unknown',
  destination_region: 'unknown',
  destination_zone: 'unknown',
};

/**
 * frontend (microservices, captured) -> Service productpage (bookinfo, captured,
 * no waypoint), as productpage's ztunnel reports the connection it denied.
 */
export const PRODUCTPAGE_DENIED_CLOSED = {
  reporter: 'destination',
  source_workload: 'frontend',
  source_canonical_service: 'frontend',
  source_canonical_revision: 'v1',
  source_workload_namespace: 'microservices',
  source_principal: 'spiffe://cluster.local/ns/microservices/sa/frontend',
  source_app: 'frontend',
  source_version: 'v1',
  source_cluster: 'Kubernetes',
  destination_service: 'productpage.bookinfo.svc.cluster.local',
  destination_service_namespace: 'bookinfo',
  destination_service_name: 'productpage',
  destination_workload: 'productpage-v1',
  destination_canonical_service: 'productpage',
  destination_canonical_revision: 'v1',
  destination_workload_namespace: 'bookinfo',
  destination_principal:
    'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage',
  destination_app: 'productpage',
  destination_version: 'v1',
  destination_cluster: 'Kubernetes',
  request_protocol: 'tcp',
  response_flags: 'DENY',
  connection_security_policy: 'mutual_tls',
  ...LOCALITY,
};

/** The same connection on the opened counter: the flag is "-". */
export const PRODUCTPAGE_DENIED_OPENED = {
  ...PRODUCTPAGE_DENIED_CLOSED,
  response_flags: '-',
};

/**
 * reports (reporting, NOT captured: plaintext) -> productpage, as productpage's
 * ztunnel reports it: no peer identity, so `source_principal="unknown"`; the
 * destination's own identity is still set.
 */
export const PRODUCTPAGE_PLAINTEXT_OPENED = {
  ...PRODUCTPAGE_DENIED_OPENED,
  source_workload: 'reports',
  source_canonical_service: 'reports',
  source_canonical_revision: 'v1',
  source_workload_namespace: 'reporting',
  source_principal: 'unknown',
  source_app: 'reports',
  source_version: 'v1',
  connection_security_policy: 'unknown',
};

/**
 * frontend -> Service orders behind the namespace waypoint `waypoint`, as orders'
 * ztunnel reports it: the source is the waypoint.
 */
export const ORDERS_FROM_WAYPOINT_OPENED = {
  reporter: 'destination',
  source_workload: 'waypoint',
  source_canonical_service: 'waypoint',
  source_canonical_revision: 'latest',
  source_workload_namespace: 'microservices',
  source_principal: 'spiffe://cluster.local/ns/microservices/sa/waypoint',
  source_app: 'waypoint',
  source_version: 'latest',
  source_cluster: 'Kubernetes',
  destination_service: 'orders.microservices.svc.cluster.local',
  destination_service_namespace: 'microservices',
  destination_service_name: 'orders',
  destination_workload: 'orders',
  destination_canonical_service: 'orders',
  destination_canonical_revision: 'v1',
  destination_workload_namespace: 'microservices',
  destination_principal: 'spiffe://cluster.local/ns/microservices/sa/orders',
  destination_app: 'orders',
  destination_version: 'v1',
  destination_cluster: 'Kubernetes',
  request_protocol: 'tcp',
  response_flags: '-',
  connection_security_policy: 'mutual_tls',
  ...LOCALITY,
};

/** The same call as frontend's ztunnel reports it: the destination is the waypoint. */
export const ORDERS_FROM_FRONTEND_SOURCE_OPENED = {
  reporter: 'source',
  source_workload: 'frontend',
  source_canonical_service: 'frontend',
  source_canonical_revision: 'v1',
  source_workload_namespace: 'microservices',
  source_principal: 'spiffe://cluster.local/ns/microservices/sa/frontend',
  source_app: 'frontend',
  source_version: 'v1',
  source_cluster: 'Kubernetes',
  destination_service: 'orders.microservices.svc.cluster.local',
  destination_service_namespace: 'microservices',
  destination_service_name: 'orders',
  destination_workload: 'waypoint',
  destination_canonical_service: 'waypoint',
  destination_canonical_revision: 'latest',
  destination_workload_namespace: 'microservices',
  destination_principal: 'spiffe://cluster.local/ns/microservices/sa/waypoint',
  destination_app: 'waypoint',
  destination_version: 'latest',
  destination_cluster: 'Kubernetes',
  request_protocol: 'tcp',
  response_flags: '-',
  connection_security_policy: 'mutual_tls',
  ...LOCALITY,
};
