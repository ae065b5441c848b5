import { ObjectStore, StoreEvent } from '../kube/store';

/**
 * Base for the sandbox's controllers: watches the store for the resources
 * it cares about and runs `reconcile()` soon after (batched, never inside
 * the store's own event dispatch).
 */
export abstract class Controller {
  private scheduled: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    protected readonly store: ObjectStore,
    private readonly watched: readonly string[],
  ) {}

  /** Starts watching and reconciles once. */
  start(): void {
    this.unsubscribe = this.store.subscribe(event => this.onEvent(event));
    this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.scheduled) clearImmediate(this.scheduled);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Reconciles again after `ms` (used for simulated delays). */
  protected later(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.schedule();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  protected schedule(): void {
    if (this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.reconcile();
    });
  }

  private onEvent(event: StoreEvent) {
    if (this.watched.includes(event.resource)) this.schedule();
  }

  /** Brings the store to the desired state; must be idempotent. */
  protected abstract reconcile(): void;
}
