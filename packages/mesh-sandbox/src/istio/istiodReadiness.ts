import { Controller } from '../controllers/controller';
import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';
import { istiodBlockedByTlsRoute } from './controlPlane';

const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';

function imageVersion(pod: KubeObject): string | undefined {
  const containers: Array<{ name?: string; image?: string }> =
    (pod.spec as any)?.containers ?? [];
  const image = (containers.find(c => c.name === 'discovery') ?? containers[0])
    ?.image;
  return image?.includes(':')
    ? image.slice(image.lastIndexOf(':') + 1)
    : undefined;
}

/**
 * Imitates istiod's readiness probe (`/ready` on 8080) in one case upstream reports:
 * with the Gateway API v1.5+ CRDs, TLSRoute is served only as v1, and istiod releases
 * that watch v1alpha2 (1.24-1.27.8, 1.28.0-1.28.5, 1.29.0-1.29.1) wait for that informer
 * forever: the pod runs but stays 0/1 ready (istio/istio#59443 "istiod crashing with
 * unsupported gateway CRDs", #59387). The CRD read is the TLSRoute one when present,
 * else the Gateway one (both carry the bundle's annotation).
 */
export class IstiodReadinessController extends Controller {
  constructor(store: ObjectStore) {
    super(store, [KEYS.pods, KEYS.crds]);
  }

  protected reconcile(): void {
    const crds = this.store.list(KEYS.crds);
    const tlsRoutes = crds.find(
      c => c.metadata.name === 'tlsroutes.gateway.networking.k8s.io',
    );
    const servesV1alpha2 = ((tlsRoutes?.spec as any)?.versions ?? []).some(
      (v: { name?: string; served?: boolean }) =>
        v.name === 'v1alpha2' && v.served,
    );
    const bundle = (
      tlsRoutes ??
      crds.find(c => c.metadata.name === 'gateways.gateway.networking.k8s.io')
    )?.metadata.annotations?.[BUNDLE_VERSION];
    for (const pod of this.store.list(KEYS.pods)) {
      if (pod.metadata.labels?.app !== 'istiod') continue;
      const status = pod.status as Record<string, any> | undefined;
      if (status?.phase !== 'Running') continue;
      const blocked =
        Boolean(tlsRoutes) &&
        !servesV1alpha2 &&
        istiodBlockedByTlsRoute(imageVersion(pod), bundle);
      const ready = blocked ? 'False' : 'True';
      const conditions: Array<Record<string, string>> = status.conditions ?? [];
      const current = conditions.find(c => c.type === 'Ready')?.status;
      if (current === ready) continue;
      const now = new Date().toISOString();
      const next = conditions.map(c =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? {
              type: c.type,
              status: ready,
              lastTransitionTime: now,
              ...(blocked
                ? {
                    reason: 'ContainersNotReady',
                    message: 'containers with unready status: [discovery]',
                  }
                : {}),
            }
          : c,
      );
      this.store.update(KEYS.pods, {
        ...pod,
        status: {
          ...status,
          conditions: next,
          containerStatuses: [
            {
              name: 'discovery',
              ready: !blocked,
              started: true,
              restartCount: 0,
              image: imageVersion(pod)
                ? `docker.io/istio/pilot:${imageVersion(pod)}`
                : '',
              state: { running: { startedAt: status.startTime ?? now } },
            },
          ],
        },
      });
    }
  }
}
