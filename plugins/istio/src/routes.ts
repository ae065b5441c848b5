import { createRouteRef } from '@backstage/core-plugin-api';

/** The route of the Service Mesh entity tab. */
export const rootRouteRef = createRouteRef({
  id: 'istio',
});

/** The route of the fleet overview page. */
export const fleetRouteRef = createRouteRef({
  id: 'istio-fleet',
});
