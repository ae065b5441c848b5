import { Controller } from '../controllers/controller';
import { ISTIO, KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';
import { wantsAmbient } from './enrollment';

type Redirection = 'enabled' | 'pending' | undefined;

/**
 * Imitates the istio-cni node agent: annotates pods
 * `ambient.istio.io/redirection` from the enrollment labels, without
 * restarting them. Nothing happens when the istio-cni-node DaemonSet is
 * missing; pods stay `pending` while no ztunnel is ready, and for
 * `pendingMs` after they become eligible (0 skips that phase).
 */
export class CniController extends Controller {
  private readonly eligibleSince = new Map<string, number>();

  constructor(store: ObjectStore, private readonly pendingMs: number) {
    super(store, [KEYS.pods, KEYS.namespaces, KEYS.daemonSets]);
  }

  protected reconcile(): void {
    const daemonSets = this.store.list(KEYS.daemonSets);
    const cniPresent = daemonSets.some(
      d => d.metadata.name === 'istio-cni-node',
    );
    const ztunnelReady = daemonSets.some(
      d =>
        d.metadata.name === 'ztunnel' &&
        Number(
          (d.status as Record<string, unknown> | undefined)?.numberReady ?? 0,
        ) > 0,
    );
    const namespaces = new Map(
      this.store.list(KEYS.namespaces).map(n => [n.metadata.name, n]),
    );
    const now = Date.now();
    const seen = new Set<string>();
    for (const pod of this.store.list(KEYS.pods)) {
      const uid = pod.metadata.uid!;
      seen.add(uid);
      const eligible =
        cniPresent &&
        wantsAmbient(pod, namespaces.get(pod.metadata.namespace ?? ''));
      let desired: Redirection;
      if (eligible) {
        const since = this.eligibleSince.get(uid) ?? now;
        this.eligibleSince.set(uid, since);
        const waited = now - since >= this.pendingMs;
        desired = ztunnelReady && waited ? 'enabled' : 'pending';
        if (ztunnelReady && !waited)
          this.later(this.pendingMs - (now - since) + 5);
      } else {
        this.eligibleSince.delete(uid);
      }
      this.annotate(pod, desired);
    }
    for (const uid of this.eligibleSince.keys()) {
      if (!seen.has(uid)) this.eligibleSince.delete(uid);
    }
  }

  private annotate(pod: KubeObject, desired: Redirection) {
    const current = pod.metadata.annotations?.[ISTIO.redirection];
    if (current === desired) return;
    const annotations = { ...pod.metadata.annotations };
    if (desired) annotations[ISTIO.redirection] = desired;
    else delete annotations[ISTIO.redirection];
    const { annotations: _previous, ...rest } = pod.metadata;
    const metadata =
      Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
    this.store.update(KEYS.pods, { ...pod, metadata });
  }
}
