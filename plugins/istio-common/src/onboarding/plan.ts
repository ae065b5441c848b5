/**
 * The identity of a Kubernetes object.
 *
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * One write of a plan: a server-side apply of `object` (or a delete).
 *
 * @public
 */
export interface PlannedChange {
  /** Deterministic key, stable between runs (used as checkpoint key). */
  key: string;
  /** `apply` creates or updates fields; `delete` removes the object. */
  operation: 'apply' | 'delete';
  /** Whether the object exists before the change. */
  exists: boolean;
  /** One line saying why the change is needed. */
  reason: string;
  /** The object to apply (desired fields only) or to delete. */
  object: {
    apiVersion: string;
    kind: string;
    metadata: Record<string, any>;
  } & Record<string, any>;
  /** Take ownership of fields owned by other managers (only with `overwrite`). */
  force?: boolean;
}

/**
 * A read-only step between changes, e.g. waiting for a waypoint.
 *
 * @public
 */
export interface PlannedWait {
  key: string;
  operation: 'waitForWaypoint';
  reason: string;
  gateway: ObjectRef;
}

/**
 * A step of a plan.
 *
 * @public
 */
export type PlanStep = PlannedChange | PlannedWait;

/**
 * What an onboarding action will do, computed from the cluster's current state.
 *
 * @public
 */
export interface OnboardingPlan {
  /** The cluster the plan is for. */
  cluster: string;
  /** Ordered steps; empty when everything is already as requested. */
  steps: PlanStep[];
  /** Objects already as requested. */
  unchanged: ObjectRef[];
  /** Facts the plan relies on (checked at plan time). */
  preconditions: string[];
  /** Things the user should know; they do not stop the plan. */
  warnings: string[];
  /**
   * The current callers (seen by Prometheus) the plan's new policies would
   * deny; absent when the plan adds no deny.
   */
  blastRadius?: BlastRadius;
}

/**
 * A workload that called into a namespace, as Istio's metrics name it.
 *
 * @public
 */
export interface ObservedCaller {
  namespace: string;
  workload: string;
  /** The peer identity, e.g. spiffe://cluster.local/ns/a/sa/b; "unknown" for plaintext. */
  principal: string;
}

/**
 * The callers a plan would cut off.
 *
 * @public
 */
export interface BlastRadius {
  /** Where the callers come from, e.g. "prometheus local, last 1h". */
  source: string;
  /** False when the callers could not be read (then `problem` says why). */
  checked: boolean;
  problem?: string;
  /** Callers seen in the window that the new policies deny. */
  deniedCallers: ObservedCaller[];
}

/**
 * A label of the form `Kind namespace/name`.
 *
 * @public
 */
export function describeObject(ref: ObjectRef): string {
  return ref.namespace
    ? `${ref.kind} ${ref.namespace}/${ref.name}`
    : `${ref.kind} ${ref.name}`;
}

/**
 * The identity of an object.
 *
 * @public
 */
export function refOf(object: {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? '',
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
  };
}

/**
 * The writes of a plan, in order (waits left out).
 *
 * @public
 */
export function planWrites(plan: OnboardingPlan): PlannedChange[] {
  return plan.steps.filter(
    (step): step is PlannedChange => step.operation !== 'waitForWaypoint',
  );
}
