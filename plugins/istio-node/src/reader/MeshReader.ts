import type {
  ClusterMeshStatus,
  ControlPlaneFacts,
} from '@ambient-mesh/plugin-istio-common';
import { ISTIO_ROOT_NAMESPACE } from '@ambient-mesh/plugin-istio-common';
import { InputError } from '@backstage/errors';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { assessMesh, summarizeControlPlane } from '../assessment';
import type { AssessMeshOptions, MeshSnapshot } from '../assessment';
import { KubeApis } from './kubeApis';
import { readControlPlaneObjects } from './readControlPlane';
import { MeshTarget, readSnapshot } from './readSnapshot';
import { MeshExtras, readMeshExtras } from './readTrafficObjects';

/** Options of {@link MeshReader}. @public */
export interface MeshReaderOptions {
  /** Istio's root namespace (mesh-wide policies); default `istio-system`. */
  rootNamespace?: string;
  /** Namespace of istiod, ztunnel and istio-cni; default `istio-system`. */
  istioNamespace?: string;
  /** Deadline of each Kubernetes call in milliseconds; default 5000. */
  requestTimeoutMs?: number;
  /** How long control-plane facts are reused per cluster, in milliseconds; default 60000. */
  controlPlaneTtlMs?: number;
  /** Read NetworkPolicies (to check port 15008); default true. */
  readNetworkPolicies?: boolean;
  /** Clock for the cache; default `Date.now`. */
  now?: () => number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const targetSchema = z.object({
  namespace: z
    .string()
    .max(63)
    .regex(
      DNS_LABEL,
      'must be a Kubernetes namespace name (lowercase letters, digits and -)',
    ),
  labelSelector: z
    .string()
    .max(1024)
    .regex(/^[^\n\r]*$/, 'must be one line')
    .optional(),
});

/** Validates a mesh target; an InputError names the bad field. */
export function parseTarget(target: MeshTarget): MeshTarget {
  const result = targetSchema.safeParse(target);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid mesh target: ${issue.path.join('.') || 'target'} ${
        issue.message
      } (got ${JSON.stringify(
        issue.path.reduce<unknown>(
          (v, k) => (v as Record<string, unknown>)?.[k],
          target,
        ),
      )})`,
    );
  }
  return result.data;
}

/**
 * Reads the mesh state of an entity's workloads from a cluster and assesses it.
 *
 * Every view costs a fixed number of Kubernetes calls, run in parallel, whatever the
 * number of pods; control-plane facts are read once per cluster and kept for a TTL
 * (concurrent readers share one read). Each call has a deadline; a 403 becomes a
 * NotAllowedError naming the missing verb and resource.
 *
 * @public
 */
export class MeshReader {
  private readonly rootNamespace: string;
  private readonly istioNamespace: string;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly readNetworkPolicies: boolean;
  private readonly now: () => number;
  private readonly controlPlanes = new Map<
    string,
    { expires: number; facts: Promise<ControlPlaneFacts> }
  >();
  private readonly meshExtras = new Map<
    string,
    { expires: number; extras: Promise<MeshExtras> }
  >();

  constructor(options: MeshReaderOptions = {}) {
    this.rootNamespace = options.rootNamespace ?? ISTIO_ROOT_NAMESPACE;
    this.istioNamespace = options.istioNamespace ?? ISTIO_ROOT_NAMESPACE;
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.ttlMs = options.controlPlaneTtlMs ?? 60_000;
    this.readNetworkPolicies = options.readNetworkPolicies ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Control-plane facts of a cluster, from the cache while fresh. */
  async readControlPlane(
    cluster: string,
    kubeConfig: KubeConfig,
  ): Promise<ControlPlaneFacts> {
    const key = `${cluster}\u0000${
      kubeConfig.getCurrentCluster()?.server ?? ''
    }`;
    const cached = this.controlPlanes.get(key);
    if (cached && cached.expires > this.now()) return cached.facts;
    const apis = new KubeApis(cluster, kubeConfig, this.timeoutMs);
    const facts = readControlPlaneObjects(apis, {
      istioNamespace: this.istioNamespace,
    }).then(summarizeControlPlane);
    this.controlPlanes.set(key, { expires: this.now() + this.ttlMs, facts });
    facts.catch(() => {
      if (this.controlPlanes.get(key)?.facts === facts)
        this.controlPlanes.delete(key);
    });
    return facts;
  }

  /** Mesh-config and istiod facts of a cluster for the traffic checks, cached like the control plane. */
  private readExtras(
    cluster: string,
    kubeConfig: KubeConfig,
  ): Promise<MeshExtras> {
    const key = `${cluster}\u0000${
      kubeConfig.getCurrentCluster()?.server ?? ''
    }`;
    const cached = this.meshExtras.get(key);
    if (cached && cached.expires > this.now()) return cached.extras;
    const apis = new KubeApis(cluster, kubeConfig, this.timeoutMs);
    const extras = this.readControlPlane(cluster, kubeConfig).then(facts =>
      readMeshExtras(apis, this.istioNamespace, facts.istiod.name),
    );
    this.meshExtras.set(key, { expires: this.now() + this.ttlMs, extras });
    extras.catch(() => {
      if (this.meshExtras.get(key)?.extras === extras)
        this.meshExtras.delete(key);
    });
    return extras;
  }

  /** Reads the snapshot of one entity in one cluster (the assessment's input). */
  async readSnapshot(
    cluster: string,
    kubeConfig: KubeConfig,
    target: MeshTarget,
  ): Promise<MeshSnapshot> {
    const valid = parseTarget(target);
    const apis = new KubeApis(cluster, kubeConfig, this.timeoutMs);
    const controlPlane = this.readControlPlane(cluster, kubeConfig);
    return readSnapshot(apis, valid, this.rootNamespace, controlPlane, {
      readNetworkPolicies: this.readNetworkPolicies,
      meshExtras: this.readExtras(cluster, kubeConfig),
    });
  }

  /** Reads and assesses the mesh status of one entity in one cluster. */
  async readStatus(
    cluster: string,
    kubeConfig: KubeConfig,
    target: MeshTarget,
    options: Omit<AssessMeshOptions, 'rootNamespace'> = {},
  ): Promise<ClusterMeshStatus> {
    const snapshot = await this.readSnapshot(cluster, kubeConfig, target);
    return assessMesh(snapshot, {
      ...options,
      rootNamespace: this.rootNamespace,
    });
  }
}
