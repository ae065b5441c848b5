import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubeApis } from '../reader/kubeApis';
import { CACHED_KINDS, CachedKind } from './kinds';
import { NODE_AGENT_NAMESPACES } from '../reader/readControlPlane';
import { InformerState, KindInformer } from './KindInformer';

/** Options of {@link ClusterCache}. @public */
export interface ClusterCacheOptions {
  /** The kinds to keep; default {@link CACHED_KINDS}. */
  kinds?: CachedKind[];
  /** Istio's root namespace; default `istio-system`. */
  rootNamespace: string;
  /** Namespace of istiod, ztunnel and istio-cni; default `istio-system`. */
  istioNamespace: string;
  /** Deadline of each LIST in milliseconds. */
  requestTimeoutMs: number;
  /** At most this many entity namespaces are watched; others are read directly. */
  maxNamespaces: number;
  /** No namespace is added once the cache holds this many objects. */
  maxObjects: number;
  /** First delay before a failed informer lists again (doubles up to 30 s). */
  retryMs?: number;
  /** How often a missing CRD or a forbidden list is tried again. */
  recheckMs?: number;
  /** Called when an informer fails (for logs). */
  onError?: (message: string) => void;
}

/** Size and state of one cluster's cache. @public */
export interface ClusterCacheStats {
  cluster: string;
  namespaces: number;
  informers: number;
  objects: number;
  synced: number;
  syncing: number;
  absent: number;
  forbidden: number;
  lists: number;
  failures: number;
  /** Namespaces not watched because a bound was reached. */
  refused: number;
  limits: { maxNamespaces: number; maxObjects: number };
}

const KUBE_SYSTEM = 'kube-system';

/**
 * The watch-fed cache of one cluster: an informer per cached kind and namespace
 * (entity namespaces, the root namespace, the control-plane namespaces) and one
 * per cluster-scoped kind. Bounded in namespaces and objects; `generation`
 * changes whenever anything cached changes.
 *
 * @public
 */
export class ClusterCache {
  generation = 0;
  private readonly informers = new Map<string, KindInformer>();
  private readonly entityNamespaces = new Set<string>();
  private readonly kinds: CachedKind[];
  private readonly apis: KubeApis;
  private objects = 0;
  private lists = 0;
  private failures = 0;
  private refused = 0;
  private stopped = false;
  private readonly listeners = new Set<() => void>();
  /** When a view last asked for each namespace. */
  private readonly used = new Map<string, number>();

  constructor(
    readonly cluster: string,
    private readonly kubeConfig: KubeConfig,
    private readonly options: ClusterCacheOptions,
  ) {
    this.kinds = options.kinds ?? CACHED_KINDS;
    this.apis = new KubeApis(cluster, kubeConfig, options.requestTimeoutMs);
    for (const kind of this.kinds) {
      if (kind.where === 'cluster') this.add(kind, undefined);
    }
    for (const namespace of this.controlPlaneNamespaces()) {
      for (const kind of this.kinds) {
        if (kind.where === 'controlPlane' || kind.where === 'everywhere') {
          this.add(kind, namespace);
        }
      }
    }
    for (const kind of this.kinds) {
      if (kind.where === 'entityAndRoot') this.add(kind, options.rootNamespace);
    }
    // The node agents' DaemonSets where Sail Operator installs them (the
    // namespaces readControlPlaneObjects lists), so a view from the cache finds
    // the same ztunnel and istio-cni as a direct read
    const daemonSets = this.kinds.find(k => k.resource === 'daemonsets.apps');
    if (daemonSets) {
      for (const namespace of NODE_AGENT_NAMESPACES) {
        this.add(daemonSets, namespace);
      }
    }
  }

  private controlPlaneNamespaces(): string[] {
    return [...new Set([this.options.istioNamespace, KUBE_SYSTEM])];
  }

  private add(kind: CachedKind, namespace: string | undefined): void {
    const key = `${kind.resource}\u0000${namespace ?? ''}`;
    if (this.informers.has(key) || this.stopped) return;
    const informer = new KindInformer(kind, namespace, {
      apis: this.apis,
      kubeConfig: this.kubeConfig,
      timeoutMs: this.options.requestTimeoutMs,
      retryMs: this.options.retryMs ?? 500,
      recheckMs: this.options.recheckMs ?? 60_000,
      events: {
        changed: () => {
          this.generation += 1;
          for (const listener of [...this.listeners]) listener();
        },
        counted: delta => {
          this.objects += delta;
        },
        listed: () => {
          this.lists += 1;
        },
        failed: error => {
          this.failures += 1;
          this.options.onError?.(
            `Watch of ${kind.resource}${
              namespace ? ` in namespace ${namespace}` : ''
            } on cluster ${this.cluster} failed, listing again: ${
              (error as Error)?.message ?? error
            }`,
          );
        },
      },
    });
    this.informers.set(key, informer);
    informer.start();
  }

  /**
   * Watches an entity namespace (the kinds entities read there). False when a
   * bound keeps it out: its views are then read directly.
   */
  watchNamespace(namespace: string): boolean {
    this.used.set(namespace, Date.now());
    if (this.entityNamespaces.has(namespace)) return true;
    if (
      this.stopped ||
      this.entityNamespaces.size >= this.options.maxNamespaces ||
      this.objects >= this.options.maxObjects
    ) {
      this.refused += 1;
      return false;
    }
    this.entityNamespaces.add(namespace);
    for (const kind of this.kinds) {
      if (
        kind.where === 'entity' ||
        kind.where === 'entityAndRoot' ||
        kind.where === 'everywhere'
      ) {
        this.add(kind, namespace);
      }
    }
    return true;
  }

  /**
   * Stops watching entity namespaces that are not in `keep` and no view asked
   * for within `usedWithinMs`.
   */
  forgetNamespacesExcept(keep: Set<string>, usedWithinMs = 0): void {
    const since = Date.now() - usedWithinMs;
    const protectedNamespaces = new Set([
      ...this.controlPlaneNamespaces(),
      this.options.rootNamespace,
    ]);
    for (const namespace of [...this.entityNamespaces]) {
      if (keep.has(namespace) || (this.used.get(namespace) ?? 0) > since)
        continue;
      this.entityNamespaces.delete(namespace);
      this.used.delete(namespace);
      for (const [key, informer] of [...this.informers]) {
        if (
          informer.namespace === namespace &&
          !(
            protectedNamespaces.has(namespace) &&
            informer.kind.where !== 'entity'
          )
        ) {
          informer.stop();
          this.informers.delete(key);
        }
      }
    }
    this.generation += 1;
  }

  /** True when the namespace's entity kinds are watched. */
  watches(namespace: string): boolean {
    return this.entityNamespaces.has(namespace);
  }

  /**
   * The cached objects of a kind in a namespace (or cluster-wide), or undefined
   * when they cannot be served from the cache (not watched, not synced, or
   * forbidden unless `allowForbidden`).
   */
  list(
    resource: string,
    namespace?: string,
    options: { allowForbidden?: boolean } = {},
  ): ReadonlyArray<KubernetesObject> | undefined {
    const informer = this.informers.get(`${resource}\u0000${namespace ?? ''}`);
    if (!informer) return undefined;
    if (informer.state === 'forbidden' && options.allowForbidden) return [];
    return informer.read();
  }

  /** The state of a kind's informer in a namespace (or cluster-wide), if watched there. */
  stateOf(resource: string, namespace?: string): InformerState | undefined {
    return this.informers.get(`${resource}\u0000${namespace ?? ''}`)?.state;
  }

  /** Resolves when every informer has left `syncing` (or the time is up). */
  async whenSynced(timeoutMs: number): Promise<boolean> {
    const done = () =>
      [...this.informers.values()].every(i => i.state !== 'syncing');
    if (done()) return true;
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(true);
      };
      timer = setTimeout(() => {
        this.listeners.delete(check);
        resolve(done());
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ClusterCacheStats {
    const states: Record<InformerState, number> = {
      syncing: 0,
      synced: 0,
      absent: 0,
      forbidden: 0,
    };
    for (const informer of this.informers.values()) states[informer.state]++;
    return {
      cluster: this.cluster,
      namespaces: this.entityNamespaces.size,
      informers: this.informers.size,
      objects: this.objects,
      ...states,
      lists: this.lists,
      failures: this.failures,
      refused: this.refused,
      limits: {
        maxNamespaces: this.options.maxNamespaces,
        maxObjects: this.options.maxObjects,
      },
    };
  }

  stop(): void {
    this.stopped = true;
    for (const informer of this.informers.values()) informer.stop();
    this.informers.clear();
    this.listeners.clear();
  }
}
