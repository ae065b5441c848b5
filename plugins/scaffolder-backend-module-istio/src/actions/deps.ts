import {
  AuditorService,
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CallerSource,
  ClusterClientFactory,
  ManifestSources,
} from '@ambient-mesh/plugin-istio-node';

/**
 * What every istio:* action needs.
 *
 * @public
 */
export interface IstioActionDeps {
  /** Access to the configured clusters. */
  clusters: ClusterClientFactory;
  /** Checks `istio.namespace.manage` and `istio.mesh.admin` with the initiator's credentials. */
  permissions: PermissionsService;
  /** Finds the entities that claim a namespace; without it every namespace is unclaimed (admins only). */
  catalog?: CatalogService;
  /** Our own credentials for the catalog lookups. */
  auth?: AuthService;
  /** Records an event per write action. */
  auditor?: AuditorService;
  /** Namespaces refused in addition to the built-in list. */
  protectedNamespaces?: readonly string[];
  /** The mesh's root namespace (policies there are mesh-wide: admins only); default istio-system. */
  rootNamespace?: string;
  /** How long to wait for a waypoint to be Programmed (default 90 s). */
  waypointTimeoutMs?: number;
  /** Deadline of each Kubernetes request (default 30 s). */
  requestTimeoutMs?: number;
  /** Deadline of a whole action (default 10 min). */
  actionTimeoutMs?: number;
  /** Where Gateway API manifests may be downloaded from (config allow-list). */
  gatewayApiManifests?: ManifestSources;
  /** Downloads the Gateway API CRDs (provisioning); default: from `gatewayApiManifests`. */
  fetchGatewayApiCrds?: (
    version: string,
    options: { requestedUrl?: string; signal?: AbortSignal },
  ) => Promise<any[]>;
  /** Who called a namespace recently (Prometheus), for the blast radius of new denies. */
  callers?: CallerSource;
  /** The mode of write actions whose input names none (istio.gitops.defaultMode); default apply. */
  defaultMode?: 'apply' | 'gitops';
  /** Let jwksUri point to internal addresses (istio.onboarding.jwks.allowPrivateAddresses). */
  allowPrivateJwksUri?: boolean;
}
