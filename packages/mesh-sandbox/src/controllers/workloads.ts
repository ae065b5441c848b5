import { ObjectStore } from '../kube/store';
import { KubeObject, OwnerReference } from '../kube/types';
import { Controller } from './controller';
import { KEYS } from './keys';
import { allocatePodIp, randomSuffix, templateHash } from './names';

/** The node every sandbox pod runs on. */
export const SANDBOX_NODE = 'sandbox-node';

function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(object: KubeObject, owner: KubeObject) {
  return Boolean(
    object.metadata.ownerReferences?.some(r => r.uid === owner.metadata.uid),
  );
}

function same(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function runningStatus(now: string, spec: any) {
  // The kubelet reports one status per container (k8s.io/api core/v1
  // ContainerStatus); kubectl's READY column counts the ready ones.
  const containerStatuses = ((spec?.containers as any[]) ?? []).map(c => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: now } },
  }));
  return {
    containerStatuses,
    phase: 'Running',
    hostIP: '172.18.0.2',
    podIP: allocatePodIp(),
    startTime: now,
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      type => ({ type, status: 'True', lastTransitionTime: now }),
    ),
  };
}

/**
 * A minimal kube-controller-manager and kubelet: Deployments get a
 * ReplicaSet per template, ReplicaSets/StatefulSets/DaemonSets get pods,
 * pods start Running and Ready at once, and every workload's status
 * reports its ready replicas. One node, no scheduling, no images.
 */
export class WorkloadController extends Controller {
  constructor(store: ObjectStore) {
    super(store, [
      KEYS.deployments,
      KEYS.replicaSets,
      KEYS.statefulSets,
      KEYS.daemonSets,
      KEYS.pods,
    ]);
  }

  protected reconcile(): void {
    for (const deployment of this.store.list(KEYS.deployments)) {
      this.reconcileDeployment(deployment);
    }
    for (const replicaSet of this.store.list(KEYS.replicaSets)) {
      this.reconcilePods(
        replicaSet,
        KEYS.replicaSets,
        () => `${replicaSet.metadata.name}-${randomSuffix()}`,
      );
    }
    for (const statefulSet of this.store.list(KEYS.statefulSets)) {
      this.reconcilePods(
        statefulSet,
        KEYS.statefulSets,
        i => `${statefulSet.metadata.name}-${i}`,
      );
    }
    for (const daemonSet of this.store.list(KEYS.daemonSets)) {
      this.reconcilePods(
        daemonSet,
        KEYS.daemonSets,
        () => `${daemonSet.metadata.name}-${randomSuffix()}`,
        1,
      );
    }
    this.runPods();
  }

  private reconcileDeployment(deployment: KubeObject) {
    const spec = deployment.spec as Record<string, any>;
    const hash = templateHash(spec.template);
    const name = `${deployment.metadata.name}-${hash}`;
    const namespace = deployment.metadata.namespace;
    const owned = this.store
      .list(KEYS.replicaSets, namespace)
      .filter(rs => ownedBy(rs, deployment));
    for (const old of owned.filter(rs => rs.metadata.name !== name)) {
      this.store.delete(KEYS.replicaSets, namespace, old.metadata.name);
    }
    const template = structuredClone(spec.template ?? {});
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
    };
    const desired = {
      replicas: spec.replicas ?? 1,
      selector: spec.selector,
      template,
    };
    const current = owned.find(rs => rs.metadata.name === name);
    if (!current) {
      this.store.create(KEYS.replicaSets, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace,
          labels: { ...template.metadata.labels },
          ownerReferences: [ownerRef(deployment)],
        },
        spec: desired,
      });
    } else if (!same(current.spec, desired)) {
      this.store.update(KEYS.replicaSets, { ...current, spec: desired });
    }
    const rs = this.store.get(KEYS.replicaSets, namespace, name);
    const rsStatus = (rs?.status ?? {}) as Record<string, number>;
    const ready = rsStatus.readyReplicas ?? 0;
    const replicas = rsStatus.replicas ?? 0;
    const status = {
      observedGeneration: deployment.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(desired.replicas - ready > 0
        ? { unavailableReplicas: desired.replicas - ready }
        : {}),
      conditions: [
        {
          type: 'Available',
          status: ready >= desired.replicas ? 'True' : 'False',
          reason:
            ready >= desired.replicas
              ? 'MinimumReplicasAvailable'
              : 'MinimumReplicasUnavailable',
          message:
            ready >= desired.replicas
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}" has successfully progressed.`,
        },
      ],
    };
    this.writeStatus(KEYS.deployments, deployment, status);
  }

  private reconcilePods(
    owner: KubeObject,
    ownerKey: string,
    podName: (index: number) => string,
    fixedReplicas?: number,
  ) {
    const spec = owner.spec as Record<string, any>;
    const namespace = owner.metadata.namespace;
    const want = fixedReplicas ?? spec.replicas ?? 1;
    const pods = this.store
      .list(KEYS.pods, namespace)
      .filter(p => ownedBy(p, owner));
    for (const extra of pods.slice(want)) {
      this.store.delete(KEYS.pods, namespace, extra.metadata.name);
    }
    for (let i = pods.length; i < want; i += 1) {
      const template = spec.template ?? {};
      this.store.create(KEYS.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName(i),
          // As kube-controller-manager's GetPodFromTemplate: `<owner>-`
          generateName: `${owner.metadata.name}-`,
          namespace,
          labels: { ...template.metadata?.labels },
          ...(template.metadata?.annotations
            ? { annotations: { ...template.metadata.annotations } }
            : {}),
          ownerReferences: [ownerRef(owner)],
        },
        spec: {
          serviceAccountName: 'default',
          ...structuredClone(template.spec ?? { containers: [] }),
          nodeName: SANDBOX_NODE,
        },
      });
    }
    const live = Math.min(pods.length, want) + Math.max(0, want - pods.length);
    // Pods another controller marked not Ready (e.g. istiod's probe) do not count as ready.
    const notReady = this.store
      .list(KEYS.pods, namespace)
      .filter(
        p =>
          ownedBy(p, owner) &&
          ((p.status as any)?.conditions ?? []).some(
            (c: { type?: string; status?: string }) =>
              c.type === 'Ready' && c.status === 'False',
          ),
      ).length;
    const ready = Math.max(0, live - notReady);
    const status =
      ownerKey === KEYS.daemonSets
        ? {
            observedGeneration: owner.metadata.generation,
            currentNumberScheduled: 1,
            desiredNumberScheduled: 1,
            numberMisscheduled: 0,
            numberReady: ready,
            numberAvailable: ready,
            updatedNumberScheduled: 1,
          }
        : {
            observedGeneration: owner.metadata.generation,
            replicas: live,
            readyReplicas: ready,
            availableReplicas: ready,
            ...(ownerKey === KEYS.replicaSets
              ? { fullyLabeledReplicas: live }
              : { currentReplicas: live, updatedReplicas: live }),
          };
    this.writeStatus(ownerKey, owner, status);
  }

  /** The kubelet part: every pod without a phase starts Running and Ready. */
  private runPods() {
    const now = new Date().toISOString();
    for (const pod of this.store.list(KEYS.pods)) {
      const status = pod.status as { phase?: string } | undefined;
      if (!status?.phase) {
        this.store.update(KEYS.pods, {
          ...pod,
          spec: {
            ...(pod.spec as object),
            nodeName: (pod.spec as any)?.nodeName ?? SANDBOX_NODE,
          },
          status: runningStatus(now, pod.spec),
        });
      }
    }
  }

  private writeStatus(
    key: string,
    object: KubeObject,
    status: Record<string, unknown>,
  ) {
    const latest = this.store.get(
      key,
      object.metadata.namespace,
      object.metadata.name,
    );
    if (latest && !same(latest.status, status)) {
      this.store.update(key, { ...latest, status });
    }
  }
}
