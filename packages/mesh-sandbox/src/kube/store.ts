import { randomUUID } from 'node:crypto';
import { KubeObject } from './types';

/** The kind of change a watch event reports. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change in the store. */
export interface StoreEvent {
  type: WatchEventType;
  /** `group/plural`, e.g. `/pods` or `apps/deployments`. */
  resource: string;
  object: KubeObject;
  resourceVersion: number;
}

/** Key of a resource type in the store: `group/plural`. */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

const HISTORY_LIMIT = 20000;

/** A timestamp as metav1.Time marshals it: RFC 3339, whole seconds, UTC. */
export function rfc3339(time: string): string {
  const parsed = Date.parse(time);
  if (Number.isNaN(parsed)) return time;
  return new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function objectKey(namespace: string | undefined, name: string) {
  return `${namespace ?? ''}/${name}`;
}

/**
 * The in-memory object store behind the API server. It owns resourceVersion,
 * uid and creationTimestamp, keeps a bounded event history for watches, and
 * removes dependents (ownerReferences) and namespace contents on delete.
 * Objects handed out are copies.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private version = 1;
  /** The history holds every event with a resourceVersion above this one. */
  private historyStartsAfter = 0;

  /** The latest resourceVersion, as a string like the API server sends it. */
  currentVersion(): string {
    return String(this.version);
  }

  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const found = this.objects.get(resource)?.get(objectKey(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Objects of one resource, in one namespace or all, sorted by namespace and name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(resource)?.values() ?? [])];
    return all
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
          objectKey(b.metadata.namespace, b.metadata.name),
        ),
      )
      .map(o => structuredClone(o));
  }

  /** Stores a new object; the caller has checked that it does not exist. */
  create(resource: string, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid = stored.metadata.uid ?? randomUUID();
    stored.metadata.creationTimestamp =
      stored.metadata.creationTimestamp ?? new Date().toISOString();
    stored.metadata.generation = stored.metadata.generation ?? 1;
    return this.write('ADDED', resource, stored);
  }

  /** Replaces an existing object (the caller checked the resourceVersion). */
  update(resource: string, object: KubeObject): KubeObject {
    return this.write('MODIFIED', resource, structuredClone(object));
  }

  /**
   * Deletes an object and, like the garbage collector and the namespace
   * controller, everything it owns or contains. Returns the deleted object.
   */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const bucket = this.objects.get(resource);
    const key = objectKey(namespace, name);
    const existing = bucket?.get(key);
    if (!bucket || !existing) {
      return undefined;
    }
    bucket.delete(key);
    existing.metadata.deletionTimestamp =
      existing.metadata.deletionTimestamp ?? new Date().toISOString();
    if (resource === resourceKey('', 'namespaces')) {
      // A namespace's contents are gone before the namespace itself.
      this.deleteDependents(existing, resource);
      return this.record('DELETED', resource, existing);
    }
    const deleted = this.record('DELETED', resource, existing);
    this.deleteDependents(existing, resource);
    return deleted;
  }

  /** Events after a resourceVersion, or undefined when history no longer reaches it. */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.historyStartsAfter) {
      return undefined;
    }
    return this.history.filter(e => e.resourceVersion > resourceVersion);
  }

  /**
   * Forgets the watch history up to now, as etcd compaction does: a watch from an
   * older resourceVersion then gets 410 Expired.
   */
  compact(): void {
    this.history.length = 0;
    this.historyStartsAfter = this.version;
  }

  /** Calls the listener on every change; returns a function that stops it. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(type: WatchEventType, resource: string, object: KubeObject) {
    let bucket = this.objects.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    this.version += 1;
    object.metadata.resourceVersion = String(this.version);
    bucket.set(
      objectKey(object.metadata.namespace, object.metadata.name),
      object,
    );
    return this.emit(type, resource, object);
  }

  private record(type: WatchEventType, resource: string, object: KubeObject) {
    this.version += 1;
    object.metadata.resourceVersion = String(this.version);
    return this.emit(type, resource, object);
  }

  private emit(type: WatchEventType, resource: string, object: KubeObject) {
    const event: StoreEvent = {
      type,
      resource,
      object: structuredClone(object),
      resourceVersion: this.version,
    };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(
        0,
        this.history.length - HISTORY_LIMIT,
      );
      this.historyStartsAfter = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of [...this.listeners]) {
      listener(event);
    }
    return structuredClone(object);
  }

  private deleteDependents(owner: KubeObject, ownerResource: string) {
    const uid = owner.metadata.uid;
    const isNamespace = ownerResource === resourceKey('', 'namespaces');
    for (const [resource, bucket] of this.objects) {
      for (const object of [...bucket.values()]) {
        const owned = object.metadata.ownerReferences?.some(r => r.uid === uid);
        const contained =
          isNamespace && object.metadata.namespace === owner.metadata.name;
        if (owned || contained) {
          this.delete(
            resource,
            object.metadata.namespace,
            object.metadata.name,
          );
        }
      }
    }
  }
}
