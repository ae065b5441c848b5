import { PermissionsService } from '@backstage/backend-plugin-api';
import { ClusterClientFactory } from '@ambient-mesh/plugin-istio-node';

/**
 * What every istio:* action needs.
 *
 * @public
 */
export interface IstioActionDeps {
  /** Access to the configured clusters. */
  clusters: ClusterClientFactory;
  /** Checks `istio.mesh.onboard` with the initiator's credentials. */
  permissions: PermissionsService;
  /** Namespaces refused in addition to the built-in list. */
  protectedNamespaces?: readonly string[];
  /** How long to wait for a waypoint to be Programmed (default 90 s). */
  waypointTimeoutMs?: number;
  /** Downloads the Gateway API CRDs (provisioning); default: fetch from GitHub releases. */
  fetchGatewayApiCrds?: (version: string, url?: string) => Promise<any[]>;
}
