import { Controller } from '../controllers/controller';
import { ISTIO, KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';

const INJECTION = 'istio-injection';
const REV = 'istio.io/rev';
const INJECT = 'sidecar.istio.io/inject';

/**
 * The revision whose injector takes a new pod, from the four webhooks of the istiod
 * chart (istio/istio manifests/charts/istio-control/istio-discovery/templates/
 * mutatingwebhook.yaml), each only when an istiod of that revision exists:
 * - `namespace.sidecar-injector.istio.io`: namespace `istio-injection=enabled`
 *   (default revision), pod `sidecar.istio.io/inject` not `false`;
 * - `rev.namespace.sidecar-injector.istio.io`: namespace `istio.io/rev=<rev>` while
 *   `istio-injection` is ABSENT, pod `sidecar.istio.io/inject` not `false`;
 * - `rev.object.sidecar-injector.istio.io`: neither namespace label, pod
 *   `istio.io/rev=<rev>` (and inject not `false`);
 * - `object.sidecar-injector.istio.io`: neither namespace label, pod
 *   `sidecar.istio.io/inject=true` (default revision).
 */
export function injectingRevision(
  namespaceLabels: Record<string, string>,
  podLabels: Record<string, string>,
  revisions: ReadonlySet<string>,
): string | undefined {
  if (podLabels[INJECT] === 'false') return undefined;
  const has = (rev: string | undefined) =>
    rev !== undefined && revisions.has(rev) ? rev : undefined;
  if (INJECTION in namespaceLabels) {
    return namespaceLabels[INJECTION] === 'enabled'
      ? has('default')
      : undefined;
  }
  if (REV in namespaceLabels) return has(namespaceLabels[REV]);
  if (REV in podLabels) return has(podLabels[REV]);
  return podLabels[INJECT] === 'true' ? has('default') : undefined;
}

/**
 * Imitates istiod's sidecar injector: a pod the webhooks select gets, right after it
 * is created (a real injector mutates the CREATE itself), the `istio-proxy` container
 * and the `sidecar.istio.io/status` annotation. Pods seen once are never touched
 * again, as admission only runs at creation.
 */
export class SidecarInjectorController extends Controller {
  private readonly seen = new Set<string>();

  constructor(store: ObjectStore) {
    super(store, [KEYS.pods]);
  }

  protected reconcile(): void {
    const revisions = new Set(
      this.store
        .list(KEYS.deployments)
        .filter(d => d.metadata.labels?.app === 'istiod')
        .map(d => d.metadata.labels?.[REV] ?? 'default'),
    );
    const namespaces = new Map(
      this.store.list(KEYS.namespaces).map(n => [n.metadata.name, n]),
    );
    const live = new Set<string>();
    for (const pod of this.store.list(KEYS.pods)) {
      const uid = pod.metadata.uid!;
      live.add(uid);
      if (this.seen.has(uid)) continue;
      this.seen.add(uid);
      if (pod.metadata.annotations?.[ISTIO.sidecarStatus]) continue;
      const revision = injectingRevision(
        namespaces.get(pod.metadata.namespace ?? '')?.metadata.labels ?? {},
        pod.metadata.labels ?? {},
        revisions,
      );
      if (revision) this.inject(pod, revision);
    }
    for (const uid of [...this.seen]) if (!live.has(uid)) this.seen.delete(uid);
  }

  private inject(pod: KubeObject, revision: string) {
    const spec = (pod.spec ?? {}) as { containers?: object[] };
    this.store.update(KEYS.pods, {
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: {
          ...pod.metadata.annotations,
          [ISTIO.sidecarStatus]: JSON.stringify({
            initContainers: ['istio-init'],
            containers: ['istio-proxy'],
            volumes: [
              'istio-envoy',
              'istio-data',
              'istio-podinfo',
              'istio-token',
            ],
            imagePullSecrets: null,
            revision,
          }),
        },
      },
      spec: {
        ...spec,
        containers: [
          ...(spec.containers ?? []),
          {
            name: 'istio-proxy',
            image: 'docker.io/istio/proxyv2',
            args: ['proxy', 'sidecar'],
          },
        ],
      },
    });
  }
}
