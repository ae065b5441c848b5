import { ResourceType } from './resources';
import { KubeObject } from './types';

let nextServiceIp = 10;

/** The next free ClusterIP in 10.96.0.0/16. */
export function allocateClusterIp(): string {
  const n = nextServiceIp++;
  return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

/**
 * What the real API server fills in on create: a Service's ClusterIP and
 * type, a Namespace's phase and `kubernetes.io/metadata.name` label.
 */
export function applyCreateDefaults(
  type: ResourceType,
  object: KubeObject,
): void {
  if (type.group === '' && type.kind === 'Service') {
    const spec = (object.spec ?? {}) as Record<string, any>;
    spec.type = spec.type ?? 'ClusterIP';
    if (!spec.clusterIP && spec.type !== 'ExternalName') {
      spec.clusterIP = allocateClusterIp();
    }
    if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
    object.spec = spec;
  }
  if (type.group === '' && type.kind === 'Namespace') {
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name,
    };
    object.status = { phase: 'Active' };
    // pkg/registry/core/namespace/strategy.go PrepareForCreate: the
    // `kubernetes` finalizer is always set.
    const spec = (object.spec ?? {}) as { finalizers?: string[] };
    object.spec = {
      ...spec,
      finalizers: [
        ...new Set([...(spec.finalizers ?? []), 'kubernetes']),
      ],
    };
  }
}
