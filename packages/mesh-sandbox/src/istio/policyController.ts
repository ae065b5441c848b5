import { Controller } from '../controllers/controller';
import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { mergeConditions, Condition } from './conditions';
import { authorizationPolicyCondition, PolicyTargets } from './policyStatus';
import { waypointBinding } from './waypointBinding';

/** Istio's default root namespace (meshConfig `rootNamespace`). */
const ROOT_NAMESPACE = 'istio-system';
const WAYPOINT_CLASS = 'istio-waypoint';

/** Writes the ambient status conditions Istio puts on AuthorizationPolicies. */
export class PolicyStatusController extends Controller {
  constructor(store: ObjectStore) {
    super(store, [
      KEYS.authorizationPolicies,
      KEYS.gateways,
      KEYS.gatewayClasses,
      KEYS.services,
      KEYS.namespaces,
    ]);
  }

  private targets(): PolicyTargets {
    const waypoint = (namespace: string, name: string) => {
      const gateway = this.store.get(KEYS.gateways, namespace, name);
      return (gateway?.spec as { gatewayClassName?: string } | undefined)
        ?.gatewayClassName === WAYPOINT_CLASS
        ? gateway
        : undefined;
    };
    return {
      rootNamespace: ROOT_NAMESPACE,
      waypointExists: (namespace, name) => Boolean(waypoint(namespace, name)),
      gatewayClassController: name => {
        const gatewayClass = this.store.get(KEYS.gatewayClasses, '', name);
        if (!gatewayClass) return undefined;
        return (
          (gatewayClass.spec as { controllerName?: string } | undefined)
            ?.controllerName ?? ''
        );
      },
      serviceWaypoint: (kind, namespace, name) => {
        if (kind !== 'Service') return undefined;
        const service = this.store.get(KEYS.services, namespace, name);
        if (!service) return undefined;
        const binding = waypointBinding(
          service,
          this.store.get(KEYS.namespaces, '', namespace),
          waypoint,
        );
        const w = binding?.waypoint;
        return w && waypoint(w.namespace, w.name)
          ? `${w.namespace}/${w.name}`
          : null;
      },
    };
  }

  protected reconcile(): void {
    const targets = this.targets();
    for (const policy of this.store.list(KEYS.authorizationPolicies)) {
      const condition = authorizationPolicyCondition(
        policy as Parameters<typeof authorizationPolicyCondition>[0],
        targets,
        policy.metadata.generation,
      );
      const status = (policy.status ?? {}) as { conditions?: Condition[] };
      const others = (status.conditions ?? []).filter(
        c => c.type !== 'ZtunnelAccepted' && c.type !== 'WaypointAccepted',
      );
      const conditions = condition
        ? mergeConditions(
            [
              ...others,
              ...(status.conditions ?? []).filter(
                c => c.type === condition.type,
              ),
            ],
            [condition],
          )
        : others;
      const next = { ...status, conditions };
      if (
        JSON.stringify(next) !==
        JSON.stringify(policy.status ?? { conditions: [] })
      ) {
        this.store.update(KEYS.authorizationPolicies, {
          ...policy,
          status: next,
        });
      }
    }
  }
}
