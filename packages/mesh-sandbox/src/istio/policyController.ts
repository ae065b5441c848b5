import { Controller } from '../controllers/controller';
import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { mergeConditions, Condition } from './conditions';
import { authorizationPolicyCondition } from './policyStatus';

/** Writes the ambient status conditions Istio puts on AuthorizationPolicies. */
export class PolicyStatusController extends Controller {
  constructor(store: ObjectStore) {
    super(store, [KEYS.authorizationPolicies, KEYS.gateways, KEYS.services]);
  }

  protected reconcile(): void {
    for (const policy of this.store.list(KEYS.authorizationPolicies)) {
      const namespace = policy.metadata.namespace;
      const exists = (ref: {
        group?: string;
        kind?: string;
        name?: string;
      }) => {
        if (ref.kind === 'Gateway') {
          return Boolean(
            this.store.get(KEYS.gateways, namespace, ref.name ?? ''),
          );
        }
        if (ref.kind === 'Service') {
          return Boolean(
            this.store.get(KEYS.services, namespace, ref.name ?? ''),
          );
        }
        return false;
      };
      const condition = authorizationPolicyCondition(
        policy.spec,
        exists,
        policy.metadata.generation,
      );
      const status = (policy.status ?? {}) as { conditions?: Condition[] };
      const others = (status.conditions ?? []).filter(
        c => c.type !== 'ZtunnelAccepted' && c.type !== 'WaypointAccepted',
      );
      const conditions = mergeConditions(
        [
          ...others,
          ...(status.conditions ?? []).filter(c => c.type === condition.type),
        ],
        [condition],
      );
      const next = { ...status, conditions };
      if (JSON.stringify(next) !== JSON.stringify(policy.status)) {
        this.store.update(KEYS.authorizationPolicies, {
          ...policy,
          status: next,
        });
      }
    }
  }
}
