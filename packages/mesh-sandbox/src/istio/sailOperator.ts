import { Controller } from '../controllers/controller';
import { KEYS } from '../controllers/keys';
import { applyCreateDefaults } from '../kube/defaults';
import { ResourceRegistry } from '../kube/registry';
import { ObjectStore, resourceKey } from '../kube/store';
import { KubeObject } from '../kube/types';
import { Condition, mergeConditions } from './conditions';
import {
  defaultMeshConfig,
  istioCni,
  istiod,
  meshConfigMap,
  plainVersion,
  waypointGatewayClass,
  ztunnel,
} from './controlPlane';

/**
 * Imitates the Sail Operator: an `Istio` (profile ambient) brings up istiod,
 * the mesh config and GatewayClass istio-waypoint in `spec.namespace`; an
 * `IstioCNI` the istio-cni-node DaemonSet; a `ZTunnel` (v1, or v1alpha1 before
 * Sail 1.28) the ztunnel DaemonSet, each in the namespace its `spec.namespace`
 * names (defaults `istio-system`, `istio-cni`, `ztunnel`: `+kubebuilder:default` of
 * istio-ecosystem/sail-operator api/v1). Components run `spec.version`. What it creates
 * is owned by the CR. Status: Reconciled/Ready.
 */
export class SailOperatorController extends Controller {
  constructor(store: ObjectStore, private readonly registry: ResourceRegistry) {
    super(store, [KEYS.istios, KEYS.istioCnis, KEYS.ztunnels, KEYS.namespaces]);
  }

  protected reconcile(): void {
    for (const cr of this.store.list(KEYS.istios)) {
      const spec = (cr.spec ?? {}) as any;
      const ns = spec.namespace ?? 'istio-system';
      const meshConfig = {
        ...defaultMeshConfig(),
        ...(spec.values?.meshConfig ?? {}),
      };
      this.install(KEYS.istios, cr, ns, [
        ...istiod(ns, plainVersion(spec.version)),
        meshConfigMap(ns, meshConfig),
        waypointGatewayClass(),
      ]);
    }
    for (const cr of this.store.list(KEYS.istioCnis)) {
      const ns = (cr.spec as any)?.namespace ?? 'istio-cni';
      this.install(
        KEYS.istioCnis,
        cr,
        ns,
        istioCni(ns, plainVersion((cr.spec as any)?.version)),
      );
    }
    for (const cr of this.store.list(KEYS.ztunnels)) {
      const ns = (cr.spec as any)?.namespace ?? 'ztunnel';
      this.install(
        KEYS.ztunnels,
        cr,
        ns,
        ztunnel(ns, plainVersion((cr.spec as any)?.version)),
      );
    }
  }

  private install(
    key: string,
    cr: KubeObject,
    ns: string,
    objects: KubeObject[],
  ) {
    const spec = (cr.spec ?? {}) as any;
    const nsExists = Boolean(this.store.get(KEYS.namespaces, undefined, ns));
    const ambient = key !== KEYS.istios || spec.profile === 'ambient';
    if (nsExists && ambient) {
      for (const object of objects) {
        const type = this.registry.forObject(object.apiVersion, object.kind);
        if (!type) continue; // e.g. GatewayClass while the Gateway API CRDs are missing
        const objectKey = resourceKey(type.group, type.plural);
        const namespace = object.kind === 'GatewayClass' ? undefined : ns;
        if (!this.store.get(objectKey, namespace, object.metadata.name)) {
          const copy = structuredClone(object);
          applyCreateDefaults(type, copy);
          this.store.create(objectKey, {
            ...copy,
            metadata: {
              ...copy.metadata,
              namespace,
              ownerReferences: [
                {
                  apiVersion: cr.apiVersion,
                  kind: cr.kind,
                  name: cr.metadata.name,
                  uid: cr.metadata.uid!,
                  controller: true,
                },
              ],
            },
          });
        }
      }
    }
    const ok = nsExists;
    let reason = 'all components are ready';
    if (!nsExists) reason = `namespace "${ns}" does not exist`;
    else if (!ambient) {
      reason = `profile "${
        spec.profile ?? 'default'
      }" installs sidecar mode only`;
    }
    const status = (cr.status ?? {}) as { conditions?: Condition[] };
    const conditions = mergeConditions(status.conditions, [
      {
        type: 'Reconciled',
        status: ok ? 'True' : 'False',
        reason: ok ? 'ReconcileSucceeded' : 'ReconcileError',
        message: reason,
      },
      {
        type: 'Ready',
        status: ok ? 'True' : 'False',
        reason: ok ? 'Healthy' : 'ReconcileError',
        message: reason,
      },
    ]);
    const next = {
      observedGeneration: cr.metadata.generation,
      state: ok ? 'Healthy' : 'ReconcileError',
      conditions,
    };
    if (JSON.stringify(next) !== JSON.stringify(cr.status)) {
      this.store.update(key, { ...cr, status: next });
    }
  }
}
