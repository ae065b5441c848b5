import { Controller } from '../controllers/controller';
import { ISTIO, KEYS } from '../controllers/keys';
import { allocateClusterIp } from '../kube/defaults';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';
import { Condition, mergeConditions } from './conditions';
import { waypointBinding } from './waypointBinding';
import { waypointResources } from './waypointResources';

/**
 * Imitates istiod's waypoint controller: for each Gateway of class
 * istio-waypoint (when that GatewayClass exists) it creates the waypoint's
 * ServiceAccount, Deployment and Service, marks the Gateway Accepted at once
 * and Programmed with `status.addresses` once `delayMs` have passed since the
 * Gateway's creationTimestamp and its Deployment is ready; and it keeps the
 * `istio.io/WaypointBound` condition of every Service up to date.
 */
export class WaypointController extends Controller {
  constructor(store: ObjectStore, private readonly delayMs: number) {
    super(store, [
      KEYS.gateways,
      KEYS.gatewayClasses,
      KEYS.services,
      KEYS.namespaces,
      KEYS.deployments,
    ]);
  }

  protected reconcile(): void {
    const classExists = Boolean(
      this.store.get(KEYS.gatewayClasses, undefined, ISTIO.waypointClass),
    );
    if (classExists) {
      this.acceptGatewayClass();
      for (const gateway of this.store.list(KEYS.gateways)) {
        if ((gateway.spec as any)?.gatewayClassName === ISTIO.waypointClass) {
          this.reconcileWaypoint(gateway);
        }
      }
    }
    this.reconcileServiceBindings();
  }

  private acceptGatewayClass() {
    const gatewayClass = this.store.get(
      KEYS.gatewayClasses,
      undefined,
      ISTIO.waypointClass,
    )!;
    const status = gatewayClass.status as
      | { conditions?: Condition[] }
      | undefined;
    const conditions = mergeConditions(status?.conditions, [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'Handled by Istio controller',
        observedGeneration: gatewayClass.metadata.generation,
      },
    ]);
    this.writeStatus(KEYS.gatewayClasses, gatewayClass, {
      ...status,
      conditions,
    });
  }

  private reconcileWaypoint(gateway: KubeObject) {
    const { namespace, name } = gateway.metadata;
    const resources = waypointResources(gateway);
    if (!this.store.get(KEYS.serviceAccounts, namespace, name)) {
      this.store.create(KEYS.serviceAccounts, resources.serviceAccount);
    }
    if (!this.store.get(KEYS.deployments, namespace, name)) {
      this.store.create(KEYS.deployments, resources.deployment);
    }
    if (!this.store.get(KEYS.services, namespace, name)) {
      const spec = resources.service.spec as Record<string, unknown>;
      spec.clusterIP = allocateClusterIp();
      spec.clusterIPs = [spec.clusterIP];
      this.store.create(KEYS.services, resources.service);
    }
    const now = Date.now();
    const created = Date.parse(gateway.metadata.creationTimestamp ?? '');
    const since = Number.isNaN(created) ? now : created;
    const service = this.store.get(KEYS.services, namespace, name);
    const deployment = this.store.get(KEYS.deployments, namespace, name);
    const readyReplicas = Number(
      (deployment?.status as any)?.readyReplicas ?? 0,
    );
    const delayOver = now - since >= this.delayMs;
    if (!delayOver) this.later(this.delayMs - (now - since) + 5);
    const programmed = delayOver && readyReplicas >= 1 && Boolean(service);
    const generation = gateway.metadata.generation;
    const clusterIp = (service?.spec as any)?.clusterIP as string | undefined;
    const status = gateway.status as { conditions?: Condition[] } | undefined;
    const conditions = mergeConditions(status?.conditions, [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'Resource accepted',
        observedGeneration: generation,
      },
      programmed
        ? {
            type: 'Programmed',
            status: 'True',
            reason: 'Programmed',
            message: `Resource programmed, assigned to service(s) ${name}.${namespace}.svc.cluster.local:15008`,
            observedGeneration: generation,
          }
        : {
            type: 'Programmed',
            status: 'False',
            reason: 'Pending',
            message: 'Waiting for the waypoint deployment to become ready',
            observedGeneration: generation,
          },
    ]);
    const next = {
      ...(programmed && clusterIp
        ? { addresses: [{ type: 'IPAddress', value: clusterIp }] }
        : {}),
      conditions,
      listeners: ((gateway.spec as any)?.listeners ?? []).map(
        (l: { name: string }) => ({
          name: l.name,
          attachedRoutes: 0,
          supportedKinds: [],
          conditions: [
            {
              type: 'Accepted',
              status: 'True',
              reason: 'Accepted',
              message: 'No errors found',
              lastTransitionTime: conditions[0].lastTransitionTime,
              observedGeneration: generation,
            },
            {
              type: 'Programmed',
              status: programmed ? 'True' : 'False',
              reason: programmed ? 'Programmed' : 'Pending',
              message: programmed
                ? 'No errors found'
                : 'Waiting for the waypoint',
              lastTransitionTime: conditions[1].lastTransitionTime,
              observedGeneration: generation,
            },
          ],
        }),
      ),
    };
    this.writeStatus(KEYS.gateways, gateway, next);
  }

  private reconcileServiceBindings() {
    const namespaces = new Map(
      this.store.list(KEYS.namespaces).map(n => [n.metadata.name, n]),
    );
    const findGateway = (ns: string, name: string) =>
      this.store.get(KEYS.gateways, ns, name);
    for (const service of this.store.list(KEYS.services)) {
      if (service.metadata.labels?.[ISTIO.gatewayName]) continue;
      const binding = waypointBinding(
        service,
        namespaces.get(service.metadata.namespace ?? ''),
        findGateway,
      );
      const status = (service.status ?? {}) as { conditions?: Condition[] };
      const others = (status.conditions ?? []).filter(
        c => c.type !== ISTIO.waypointBound,
      );
      let conditions: Condition[] | undefined;
      if (binding) {
        conditions = mergeConditions(status.conditions, [
          {
            type: ISTIO.waypointBound,
            status: binding.bound ? 'True' : 'False',
            reason: binding.reason,
            message: binding.message,
          },
        ]);
      } else {
        conditions = others.length > 0 ? others : undefined;
      }
      const next = { ...status, conditions };
      if (!conditions) delete next.conditions;
      const empty = Object.keys(next).length === 0;
      const current = service.status as object | undefined;
      if (empty && (current === undefined || Object.keys(current).length === 0))
        continue;
      this.writeStatus(
        KEYS.services,
        service,
        empty ? { loadBalancer: {} } : next,
      );
    }
  }

  private writeStatus(key: string, object: KubeObject, status: object) {
    if (JSON.stringify(object.status) !== JSON.stringify(status)) {
      this.store.update(key, { ...object, status });
    }
  }
}
