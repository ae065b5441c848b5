import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the mesh status, metrics and traces of a catalog entity.
 *
 * @public
 */
export const istioEntityReadPermission = createPermission({
  name: 'istio.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Changing the mesh setup of a namespace (onboarding, offboarding,
 * waypoints, policies). A resource permission on the catalog entities that
 * claim the namespace (`backstage.io/kubernetes-namespace`, or the
 * namespaces their labelled workloads run in): it is authorized against
 * each claiming entity, so a policy can answer with a conditional decision
 * such as `catalogConditions.isEntityOwner`. Whoever is allowed on one
 * claiming entity may change the namespace.
 *
 * @public
 */
export const istioNamespaceManagePermission = createPermission({
  name: 'istio.namespace.manage',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Mesh-wide administration: provisioning, `istio:mesh:check`, policies in
 * the root namespace, and changes to namespaces no entity claims.
 *
 * @public
 */
export const istioMeshAdminPermission = createPermission({
  name: 'istio.mesh.admin',
  attributes: { action: 'update' },
});

/**
 * Every permission of the Istio plugins.
 *
 * @public
 */
export const istioPermissions = [
  istioEntityReadPermission,
  istioNamespaceManagePermission,
  istioMeshAdminPermission,
];
