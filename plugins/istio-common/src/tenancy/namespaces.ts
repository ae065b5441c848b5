/**
 * One namespace a user may change with the istio:* write actions, with its
 * mesh state (`GET /api/istio/v1/namespaces`, the templates' namespace picker).
 *
 * @public
 */
export interface ManageableNamespace {
  cluster: string;
  namespace: string;
  /** Label istio.io/dataplane-mode=ambient on the namespace. */
  ambient: boolean;
  /** The waypoint the namespace uses (istio.io/use-waypoint), else the first in it. */
  waypoint?: string;
  /** An allow-nothing AuthorizationPolicy applies to the whole namespace. */
  defaultDeny: boolean;
  /** Owners of the entities claiming it (full entity refs), sorted. */
  owners: string[];
  /** The claiming entities. */
  entities: string[];
}

/**
 * The answer of `GET /api/istio/v1/namespaces`.
 *
 * @public
 */
export interface ManageableNamespacesResponse {
  /** True for platform admins (istio.mesh.admin): every namespace that is not protected. */
  admin: boolean;
  items: ManageableNamespace[];
}
