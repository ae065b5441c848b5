import { ObjectRef } from '@ambient-mesh/plugin-istio-common';

/**
 * A Kubernetes object as read from the API (the fields the planner uses).
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: Array<{
      manager?: string;
      operation?: string;
      subresource?: string;
      fieldsV1?: Record<string, unknown>;
    }>;
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/**
 * The current state of the objects a plan looks at, keyed by {@link stateKey}.
 * A missing key means the object does not exist.
 *
 * @public
 */
export type ClusterState = Record<string, KubeObject | undefined>;

/**
 * The key of an object in a {@link ClusterState}.
 *
 * @public
 */
export function stateKey(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** Looks an object up in a state. */
export function lookup(
  state: ClusterState,
  ref: ObjectRef,
): KubeObject | undefined {
  return state[stateKey(ref)];
}

/**
 * Builds a state from a list of existing objects.
 *
 * @public
 */
export function stateOf(objects: KubeObject[]): ClusterState {
  const state: ClusterState = {};
  for (const object of objects) {
    state[
      stateKey({
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name ?? '',
        namespace: object.metadata.namespace,
      })
    ] = object;
  }
  return state;
}

const IDENTITY_FIELDS = new Set(['f:name', 'f:namespace']);

/**
 * True when `manager` owns fields of the object beyond its identity
 * (name, namespace); status subresource entries are not counted.
 *
 * @public
 */
export function managerOwnsFields(
  object: KubeObject,
  manager: string,
): boolean {
  return (object.metadata.managedFields ?? []).some(
    entry =>
      entry.manager === manager &&
      !entry.subresource &&
      managerOwnsFieldsEntry(entry),
  );
}

/**
 * True when no manager other than `manager` owns fields of the object
 * (status written by controllers does not count).
 *
 * @public
 */
export function onlyManager(object: KubeObject, manager: string): boolean {
  const entries = (object.metadata.managedFields ?? []).filter(
    entry => !entry.subresource,
  );
  return (
    entries.length > 0 &&
    entries.every(
      entry => entry.manager === manager || !managerOwnsFieldsEntry(entry),
    )
  );
}

function managerOwnsFieldsEntry(entry: {
  fieldsV1?: Record<string, unknown>;
}): boolean {
  const fields = entry.fieldsV1 ?? {};
  return Object.entries(fields).some(([key, value]) => {
    if (key === 'f:status') {
      return false;
    }
    if (key === 'f:metadata' && value && typeof value === 'object') {
      return Object.keys(value).some(k => !IDENTITY_FIELDS.has(k));
    }
    return key !== 'f:apiVersion' && key !== 'f:kind';
  });
}

/**
 * The label keys `manager` owns on the object (from managedFields).
 */
export function ownedLabelKeys(object: KubeObject, manager: string): string[] {
  const keys = new Set<string>();
  for (const entry of object.metadata.managedFields ?? []) {
    if (entry.manager !== manager || entry.subresource) {
      continue;
    }
    const metadata = (entry.fieldsV1?.['f:metadata'] ?? {}) as Record<
      string,
      unknown
    >;
    const labels = (metadata['f:labels'] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(labels)) {
      if (key.startsWith('f:')) {
        keys.add(key.slice(2));
      }
    }
  }
  return [...keys];
}
