import { KubeObject } from '../kube/types';

/**
 * What istiod tells ztunnel about a pod, as far as metrics labels go
 * (istio/istio 1.28.0 `pilot/pkg/serviceregistry/kube/controller/ambient/workloads.go`:
 * `WorkloadName`, `CanonicalName`, `CanonicalRevision`, identity from the service account).
 */
export interface WorkloadMeta {
  /** `workload_name`: the pod's controller (usually the Deployment). */
  workload: string;
  namespace: string;
  serviceAccount: string;
  /** `canonical_name`: `service.istio.io/canonical-name`, `app.kubernetes.io/name`, `app`, else the workload name. */
  canonicalName: string;
  /** `canonical_revision`: `service.istio.io/canonical-revision`, `app.kubernetes.io/version`, `version`, else "latest". */
  canonicalRevision: string;
  /** Pod IP, when known (for `ipBlocks`). */
  ip?: string;
}

const NAME_LABELS = [
  'service.istio.io/canonical-name',
  'app.kubernetes.io/name',
  'app',
];
const REVISION_LABELS = [
  'service.istio.io/canonical-revision',
  'app.kubernetes.io/version',
  'version',
];

function firstLabel(
  labels: Record<string, string>,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    if (labels[key] !== undefined) return labels[key];
  }
  return undefined;
}

/**
 * The workload name of a pod as istiod derives it (istio/istio 1.28.0
 * `pkg/kube/util.go` `GetWorkloadMetaFromPod`/`GetDeployMetaFromPod`): the
 * `service.istio.io/workload-name` label if set; else, for a pod with a
 * generateName, its controller's name, with a ReplicaSet's `-<pod-template-hash>`
 * trimmed (the Deployment); else the pod's own name.
 */
export function workloadNameOf(pod: KubeObject): string {
  const labels = pod.metadata.labels ?? {};
  const override = labels['service.istio.io/workload-name'];
  if (override !== undefined) return override;
  if (!pod.metadata.generateName) return pod.metadata.name;
  const controller = pod.metadata.ownerReferences?.find(r => r.controller);
  if (!controller) return pod.metadata.name;
  const hash = labels['pod-template-hash'];
  if (
    controller.kind === 'ReplicaSet' &&
    hash &&
    controller.name.endsWith(hash)
  ) {
    return controller.name.slice(0, -(hash.length + 1));
  }
  return controller.name;
}

/**
 * Canonical service name and revision (istio/istio 1.28.0
 * `pkg/kube/labels/labels.go` `CanonicalService`).
 */
export function canonicalServiceOf(
  labels: Record<string, string>,
  workloadName: string,
): { name: string; revision: string } {
  return {
    name: firstLabel(labels, NAME_LABELS) ?? workloadName,
    revision: firstLabel(labels, REVISION_LABELS) ?? 'latest',
  };
}

/** The metrics-relevant facts of a pod. */
export function workloadMetaOf(pod: KubeObject): WorkloadMeta {
  const workload = workloadNameOf(pod);
  const canonical = canonicalServiceOf(pod.metadata.labels ?? {}, workload);
  return {
    workload,
    namespace: pod.metadata.namespace ?? 'default',
    serviceAccount:
      ((pod.spec as any)?.serviceAccountName as string | undefined) ??
      'default',
    canonicalName: canonical.name,
    canonicalRevision: canonical.revision,
    ip: (pod.status as any)?.podIP as string | undefined,
  };
}

/** The SPIFFE identity of a workload (trust domain `cluster.local`). */
export function spiffeIdentity(meta: WorkloadMeta): string {
  return `spiffe://cluster.local/ns/${meta.namespace}/sa/${meta.serviceAccount}`;
}
