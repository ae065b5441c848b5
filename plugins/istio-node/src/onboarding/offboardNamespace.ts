import { InputError } from '@backstage/errors';
import {
  FIELD_MANAGER,
  ObjectRef,
  OnboardingPlan,
  PlannedChange,
  describeObject,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import {
  GATEWAY_API_VERSION,
  SECURITY_API_VERSION,
  TELEMETRY_API_VERSION,
} from './objects';
import { assertNotProtected } from './protectedNamespaces';
import { KubeObject, managerOwnsFields, onlyManager } from './state';

/**
 * The kinds offboarding looks at, in the order their changes run: the
 * reverse of onboarding. Policies go first (the default deny before the
 * allows), then the Services' and the Namespace's waypoint bindings and
 * ambient labels, and the waypoint Gateway last, once nothing sends
 * traffic through it.
 *
 * @public
 */
export const OFFBOARD_KINDS: Array<{ apiVersion: string; kind: string }> = [
  { apiVersion: TELEMETRY_API_VERSION, kind: 'Telemetry' },
  { apiVersion: SECURITY_API_VERSION, kind: 'AuthorizationPolicy' },
  { apiVersion: SECURITY_API_VERSION, kind: 'RequestAuthentication' },
  { apiVersion: SECURITY_API_VERSION, kind: 'PeerAuthentication' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: GATEWAY_API_VERSION, kind: 'Gateway' },
];

/** Where the Namespace's release runs among {@link OFFBOARD_KINDS}. */
const NAMESPACE_ORDER =
  OFFBOARD_KINDS.findIndex(k => k.kind === 'Service') + 0.75;

/**
 * The current objects offboarding plans from.
 *
 * @public
 */
export interface OffboardState {
  namespace?: KubeObject;
  /** Objects of {@link OFFBOARD_KINDS} in the namespace. */
  objects: KubeObject[];
}

/**
 * Plans the removal of what our field manager applied in a namespace:
 * objects only we manage are deleted; on objects others also manage
 * (including the Namespace) only our fields are released, by applying an
 * object without them. What others made is kept. Pure.
 *
 * @public
 */
export function planNamespaceOffboard(
  request: { namespace: string },
  state: OffboardState,
  options: {
    cluster: string;
    protectedNamespaces?: readonly string[];
    fieldManager?: string;
  },
): OnboardingPlan {
  assertNotProtected(request.namespace, options.protectedNamespaces);
  const manager = options.fieldManager ?? FIELD_MANAGER;
  if (!state.namespace) {
    throw new InputError(
      `Input "namespace": namespace "${request.namespace}" does not exist; check the name and the cluster`,
    );
  }
  const steps: PlannedChange[] = [];
  const unchanged: ObjectRef[] = [];
  const visit = (object: KubeObject, canDelete: boolean) => {
    const ref = refOf(object as any);
    if (!managerOwnsFields(object, manager)) {
      unchanged.push(ref);
      return;
    }
    const kindKey = `${ref.kind}:${ref.namespace ?? ''}:${
      ref.name
    }`.toLowerCase();
    if (canDelete && onlyManager(object, manager)) {
      steps.push({
        key: `delete:${kindKey}`,
        operation: 'delete',
        exists: true,
        reason: `delete ${describeObject(
          ref,
        )}: created by onboarding and changed by no one else`,
        object: {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          // Preconditions of the DELETE: only the object that was seen
          metadata: {
            ...identity(ref),
            ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
            ...(object.metadata.resourceVersion
              ? { resourceVersion: object.metadata.resourceVersion }
              : {}),
          },
        },
      });
      return;
    }
    steps.push({
      key: `release:${kindKey}`,
      operation: 'apply',
      exists: true,
      reason: `remove onboarding's fields from ${describeObject(
        ref,
      )}, keeping what others set`,
      object: {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: identity(ref),
      },
    });
  };
  const order = (object: KubeObject) => {
    if (object.kind === 'Namespace') return NAMESPACE_ORDER;
    const index = OFFBOARD_KINDS.findIndex(k => k.kind === object.kind);
    // The default deny goes before the allows, so no window denies all.
    const denyFirst =
      object.kind === 'AuthorizationPolicy' &&
      Object.keys(object.spec ?? {}).length === 0
        ? 0
        : 0.5;
    return index + denyFirst;
  };
  [state.namespace, ...state.objects]
    .sort((a, b) => order(a) - order(b))
    .forEach(object =>
      visit(object, object.kind !== 'Service' && object.kind !== 'Namespace'),
    );
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions: [`Namespace ${request.namespace} exists`],
    warnings: [],
  };
}

function identity(ref: ObjectRef) {
  return {
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
  };
}
