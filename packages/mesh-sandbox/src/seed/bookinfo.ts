import { ISTIO } from '../controllers/keys';
import { KubeObject } from '../kube/types';

/** The namespace of the bookinfo-like demo app: ambient, no waypoint. */
export const BOOKINFO_NAMESPACE = 'bookinfo';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * A bookinfo-like app whose Deployment is named unlike its Service, as in Istio's
 * bookinfo sample (istio/istio 1.28.0 `samples/bookinfo/platform/kube/bookinfo.yaml`):
 * Service `productpage` (labels app/service, port 9080 `http`, selector
 * app=productpage), ServiceAccount `bookinfo-productpage`, Deployment
 * `productpage-v1` (labels app=productpage, version=v1). ztunnel therefore reports
 * `destination_workload="productpage-v1"`, `destination_service_name="productpage"`,
 * `destination_canonical_service="productpage"`, `destination_canonical_revision="v1"`.
 * The catalog entity `productpage` (examples/components.yaml) points at it.
 */
export function bookinfoObjects(): KubeObject[] {
  const ns = BOOKINFO_NAMESPACE;
  const id = { [KUBERNETES_ID]: 'productpage' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { [ISTIO.dataplaneMode]: 'ambient' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'bookinfo-productpage',
        namespace: ns,
        labels: { account: 'productpage' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'productpage',
        namespace: ns,
        labels: { app: 'productpage', service: 'productpage', ...id },
      },
      spec: {
        type: 'ClusterIP',
        ports: [
          { port: 9080, name: 'http', targetPort: 9080, protocol: 'TCP' },
        ],
        selector: { app: 'productpage' },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'productpage-v1',
        namespace: ns,
        labels: { app: 'productpage', version: 'v1', ...id },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'productpage', version: 'v1' } },
        template: {
          metadata: {
            labels: { app: 'productpage', version: 'v1', ...id },
          },
          spec: {
            serviceAccountName: 'bookinfo-productpage',
            containers: [
              {
                name: 'productpage',
                image:
                  'docker.io/istio/examples-bookinfo-productpage-v1:1.20.3',
                ports: [{ containerPort: 9080, name: 'http', protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    },
    /**
     * A DENY enforced by ztunnel that mixes L4 and L7 fields in ONE clause: the
     * operation has `ports` and `methods`. istiod drops `methods` (istio/istio
     * `pilot/pkg/serviceregistry/ambient/authorization.go` `handleRule`), so
     * ztunnel denies every connection from `microservices` to port 9080, not only
     * DELETEs: the frontend's calls show as `response_flags="DENY"`.
     */
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-delete-from-microservices', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'productpage' } },
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['microservices'] } }],
            to: [{ operation: { ports: ['9080'], methods: ['DELETE'] } }],
          },
        ],
      },
    },
    /**
     * A DENY made only of L7 fields: what is left for ztunnel is an empty match,
     * which ztunnel skips (istio/ztunnel `src/rbac.rs`; authorization.go after
     * PR #61166: "will have no effect"). It denies nothing.
     */
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-admin-paths', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'productpage' } },
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
      },
    },
  ];
}
