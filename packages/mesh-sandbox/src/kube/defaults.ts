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
      finalizers: [...new Set([...(spec.finalizers ?? []), 'kubernetes'])],
    };
  }
  if (type.group === '' && type.kind === 'Secret') {
    // pkg/apis/core/v1/defaults.go SetDefaults_Secret
    object.type = object.type ?? 'Opaque';
  }
  if (
    type.group === 'apiextensions.k8s.io' &&
    type.kind === 'CustomResourceDefinition'
  ) {
    object.status = crdStatus(object);
  }
}

/**
 * What apiextensions-apiserver's controllers write into a new CRD's status
 * (`pkg/controller/status/naming_controller.go`,
 * `pkg/controller/establish`, `pkg/registry/customresourcedefinition`):
 * the accepted names, NamesAccepted and Established conditions, and the
 * storage version in `storedVersions`. The sandbox writes it at once.
 */
export function crdStatus(object: KubeObject) {
  const spec = (object.spec ?? {}) as Record<string, any>;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const storage = ((spec.versions ?? []) as any[]).find(v => v.storage)?.name;
  return {
    acceptedNames: spec.names ?? {},
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: storage ? [storage] : [],
  };
}
