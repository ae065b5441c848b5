import { createRouteRef } from '@backstage/core-plugin-api';

/** The route of the Service Mesh entity tab. */
export const rootRouteRef = createRouteRef({
  id: 'istio',
});
