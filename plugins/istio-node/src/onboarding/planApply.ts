import {
  FIELD_MANAGER,
  ObjectRef,
  PlannedChange,
  describeObject,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import { containsDesired } from './compare';
import { ClusterState, KubeObject, lookup, ownedLabelKeys } from './state';

/**
 * An object the request wants, with why.
 *
 * @public
 */
export interface DesiredObject {
  object: KubeObject;
  /** Why the object is needed, e.g. "enrolls the namespace in ambient mode". */
  purpose: string;
  /** Take fields from other managers (only when the request says overwrite). */
  force?: boolean;
}

/** The result of comparing one desired object with the cluster. @public */
export type ApplyDecision =
  | { change: PlannedChange; unchanged?: undefined }
  | { change?: undefined; unchanged: ObjectRef };

/**
 * The deterministic key of the apply of an object.
 *
 * @public
 */
export function applyKey(ref: ObjectRef): string {
  return `apply:${ref.kind}:${ref.namespace ?? ''}:${ref.name}`.toLowerCase();
}

/**
 * Compares a desired object with its current state: no change when every
 * desired field already has the desired value, else an apply.
 * Pure.
 *
 * @public
 */
export function planApply(
  desired: DesiredObject,
  state: ClusterState,
): ApplyDecision {
  const ref = refOf(desired.object);
  const current = lookup(state, ref);
  if (current && containsDesired(current, desired.object)) {
    return { unchanged: ref };
  }
  const object = current
    ? withOwnedLabels(desired.object, current)
    : desired.object;
  const reason = current
    ? `update ${describeObject(ref)} (${differingFields(
        current,
        desired.object,
      ).join(', ')}): ${desired.purpose}`
    : `create ${describeObject(ref)}: ${desired.purpose}`;
  return {
    change: {
      key: applyKey(ref),
      operation: 'apply',
      exists: Boolean(current),
      reason,
      object,
      ...(desired.force ? { force: true } : {}),
    },
  };
}

/**
 * Adds to `desired` the labels our field manager already owns on `current`
 * (with their current values): a server-side apply removes the fields its
 * manager owned but left out, and several actions label the same objects.
 */
export function withOwnedLabels(
  desired: KubeObject,
  current: KubeObject,
): KubeObject {
  const labels = { ...(desired.metadata.labels ?? {}) };
  let added = false;
  for (const key of ownedLabelKeys(current, FIELD_MANAGER)) {
    const value = current.metadata.labels?.[key];
    if (!(key in labels) && value !== undefined) {
      labels[key] = value;
      added = true;
    }
  }
  return added
    ? { ...desired, metadata: { ...desired.metadata, labels } }
    : desired;
}

/** Dotted paths (two levels deep) of the desired fields that differ. */
export function differingFields(current: unknown, desired: unknown): string[] {
  const paths: string[] = [];
  const visit = (cur: any, des: any, path: string, depth: number) => {
    if (containsDesired(cur, des)) {
      return;
    }
    if (
      depth < 2 &&
      des &&
      typeof des === 'object' &&
      !Array.isArray(des) &&
      cur &&
      typeof cur === 'object'
    ) {
      for (const key of Object.keys(des)) {
        visit(cur[key], des[key], path ? `${path}.${key}` : key, depth + 1);
      }
      return;
    }
    paths.push(path);
  };
  visit(current, desired, '', 0);
  return paths;
}
