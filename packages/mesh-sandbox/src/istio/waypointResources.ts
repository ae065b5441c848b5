import { ISTIO } from '../controllers/keys';
import { KubeObject, OwnerReference } from '../kube/types';

/** The proxy image the sandbox's waypoints claim to run. */
export const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.28.0';

/**
 * What istiod creates for a waypoint Gateway: a ServiceAccount, Deployment
 * and Service named like it, owned by it, with the documented labels.
 */
export function waypointResources(gateway: KubeObject): {
  serviceAccount: KubeObject;
  deployment: KubeObject;
  service: KubeObject;
} {
  const { name, namespace } = gateway.metadata;
  const owner: OwnerReference = {
    apiVersion: gateway.apiVersion,
    kind: 'Gateway',
    name,
    uid: gateway.metadata.uid!,
    controller: true,
  };
  const labels = {
    [ISTIO.gatewayName]: name,
    [ISTIO.managed]: ISTIO.managedValue,
  };
  const metadata = () => ({
    name,
    namespace,
    labels: { ...labels },
    ownerReferences: [{ ...owner }],
  });
  return {
    serviceAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(),
    },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(),
      spec: {
        replicas: 1,
        selector: { matchLabels: { [ISTIO.gatewayName]: name } },
        template: {
          metadata: {
            labels: {
              ...labels,
              [ISTIO.dataplaneMode]: 'none',
              'service.istio.io/canonical-name': name,
            },
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': '15020',
              'prometheus.io/path': '/stats/prometheus',
            },
          },
          spec: {
            serviceAccountName: name,
            containers: [
              {
                name: 'istio-proxy',
                image: PROXY_IMAGE,
                args: ['proxy', 'waypoint'],
                ports: [
                  { containerPort: 15008, name: 'mesh', protocol: 'TCP' },
                  { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
                  {
                    containerPort: 15021,
                    name: 'status-port',
                    protocol: 'TCP',
                  },
                ],
              },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(),
      spec: {
        type: 'ClusterIP',
        selector: { [ISTIO.gatewayName]: name },
        ports: [
          {
            name: 'status-port',
            port: 15021,
            protocol: 'TCP',
            targetPort: 15021,
          },
          {
            name: 'mesh',
            port: 15008,
            protocol: 'TCP',
            targetPort: 15008,
            appProtocol: 'all',
          },
        ],
      },
    },
  };
}
