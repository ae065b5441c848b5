import {
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  loadYaml,
  Watch,
} from '@kubernetes/client-node';
import type { KubeApis } from '../reader/kubeApis';
import { callKube } from '../reader/kubeCall';
import { CachedKind, watchPath } from './kinds';

/**
 * `syncing`: not listed yet (or re-listing after an error); `synced`: listed and
 * watching; `absent`: the CRD is not installed (no objects); `forbidden`: the
 * credentials may not list it.
 *
 * @public
 */
export type InformerState = 'syncing' | 'synced' | 'absent' | 'forbidden';

/**
 * A watch whose ADDED/MODIFIED/DELETED objects of built-in kinds become the
 * client-node model objects the typed LIST returns (dates as Date), so the
 * cache holds the same shapes as a direct read.
 */
class ModelWatch extends Watch {
  constructor(config: KubeConfig, private readonly kind: CachedKind) {
    super(config);
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, object, watchObject) => {
        if (
          this.kind.typed &&
          (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED')
        ) {
          callback(phase, toModel(this.kind, object), watchObject);
        } else {
          callback(phase, object, watchObject);
        }
      },
      done,
    );
  }
}

function toModel(kind: CachedKind, object: any): any {
  const apiVersion = kind.group
    ? `${kind.group}/${kind.version}`
    : kind.version;
  const model = loadYaml<any>(
    JSON.stringify({
      ...object,
      apiVersion: object.apiVersion ?? apiVersion,
      kind: object.kind ?? kind.kind,
    }),
  );
  if (object.apiVersion === undefined) delete model.apiVersion;
  if (object.kind === undefined) delete model.kind;
  return model;
}

/** What an informer tells its owner. */
export interface InformerEvents {
  /** An object was added, changed or removed, or the state changed. */
  changed(): void;
  /** Objects held went up or down by `delta`. */
  counted(delta: number): void;
  /** A LIST call was made. */
  listed(): void;
  /** The informer failed and restarts; `error` says why. */
  failed(error: unknown): void;
}

/**
 * One kind in one namespace (or cluster-wide), kept by a client-node informer:
 * list, then watch from the list's resourceVersion; on a 410 (an ERROR event
 * or status) client-node re-lists; on any other failure the informer is made
 * anew after a backoff and lists again. A missing CRD (404) or a 403 is looked
 * at again every `recheckMs`.
 */
export class KindInformer {
  state: InformerState = 'syncing';
  objects = 0;
  private informer?: ListWatch<KubernetesObject>;
  private timer?: ReturnType<typeof setTimeout>;
  private backoffMs: number;
  private stopped = false;

  constructor(
    readonly kind: CachedKind,
    readonly namespace: string | undefined,
    private readonly deps: {
      apis: KubeApis;
      kubeConfig: KubeConfig;
      timeoutMs: number;
      retryMs: number;
      recheckMs: number;
      events: InformerEvents;
    },
  ) {
    this.backoffMs = deps.retryMs;
  }

  start(): void {
    if (this.stopped) return;
    const { kind, namespace, deps } = this;
    const informer = new ListWatch<KubernetesObject>(
      watchPath(kind, namespace),
      new ModelWatch(deps.kubeConfig, kind),
      () => this.list(),
      false,
      undefined,
      kind.name ? `metadata.name=${kind.name}` : undefined,
    );
    this.informer = informer;
    const changed = () => {
      if (this.informer === informer) deps.events.changed();
    };
    informer.on('add', () => {
      if (this.informer !== informer) return;
      this.objects += 1;
      deps.events.counted(1);
      changed();
    });
    informer.on('update', changed);
    informer.on('delete', () => {
      if (this.informer !== informer) return;
      this.objects -= 1;
      deps.events.counted(-1);
      changed();
    });
    informer.on('error', error => {
      if (this.informer === informer) this.restart(error);
    });
    informer.start().catch(error => {
      if (this.informer === informer) this.restart(error);
    });
  }

  private async list(): Promise<KubernetesListObject<KubernetesObject>> {
    const { kind, namespace, deps } = this;
    deps.events.listed();
    const result = await callKube(
      deps.apis.cluster,
      { verb: 'list', resource: kind.resource, namespace },
      deps.timeoutMs,
      options => kind.list(deps.apis, namespace, options),
    );
    const list = result as KubernetesListObject<KubernetesObject>;
    // The informer adds the items right after this resolves, in the same task
    setImmediate(() => {
      if (this.state !== 'synced') {
        this.state = 'synced';
        this.backoffMs = deps.retryMs;
        deps.events.changed();
      }
    });
    return list;
  }

  private restart(error: unknown): void {
    if (this.stopped) return;
    const name = (error as Error)?.name;
    const informer = this.informer;
    this.informer = undefined;
    informer?.stop().catch(() => {});
    this.deps.events.counted(-this.objects);
    this.objects = 0;
    let delay: number;
    if (name === 'NotFoundError' && this.kind.optional) {
      this.state = 'absent';
      delay = this.deps.recheckMs;
    } else if (name === 'NotAllowedError') {
      this.state = 'forbidden';
      delay = this.deps.recheckMs;
    } else {
      this.state = 'syncing';
      this.deps.events.failed(error);
      delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    }
    this.deps.events.changed();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), delay);
    this.timer.unref?.();
  }

  /** The objects held, or undefined while not usable (`absent` reads as none). */
  read(): ReadonlyArray<KubernetesObject> | undefined {
    if (this.state === 'absent') return [];
    if (this.state !== 'synced' || !this.informer) return undefined;
    return this.informer.list(this.namespace);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const informer = this.informer;
    this.informer = undefined;
    informer?.stop().catch(() => {});
    this.deps.events.counted(-this.objects);
    this.objects = 0;
  }
}
