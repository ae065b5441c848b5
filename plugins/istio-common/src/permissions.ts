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
 * Changing a cluster's mesh from the scaffolder: enrolling namespaces,
 * waypoints, policies, provisioning.
 *
 * @public
 */
export const istioMeshOnboardPermission = createPermission({
  name: 'istio.mesh.onboard',
  attributes: {},
});

/**
 * Every permission of the Istio plugins.
 *
 * @public
 */
export const istioPermissions = [
  istioEntityReadPermission,
  istioMeshOnboardPermission,
];
