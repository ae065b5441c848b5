import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { REDIRECTION_ANNOTATION } from '@ambient-mesh/plugin-istio-common';
import { labelsOf, matchesLabels } from '../objects';
import type {
  CustomObject,
  PolicyTargetReference,
  WorkloadSelector,
} from '../snapshot';
import type { DiagnosticRule } from './context';
import { commandFix, waypointTargetRefs, yamlFix } from './fixes';
import {
  about,
  hasTargetRefs,
  isAmbientNamespace,
  isNamespaceEnrolled,
  nameOf,
  objectOf,
  serviceWaypoint,
  telemetryL7Fields,
  trafficView,
  TrafficView,
  waypointTemplateFix,
} from './trafficContext';

/** Label Gateway API controllers put on gateway (and waypoint) pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

type Attachable = CustomObject<{
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
}>;

function targetsOf(object: Attachable): PolicyTargetReference[] {
  return [
    ...(object.spec?.targetRef ? [object.spec.targetRef] : []),
    ...(object.spec?.targetRefs ?? []),
  ];
}

function withTargetRefs(
  kind: string,
  apiVersion: string,
  object: Attachable,
  view: TrafficView,
): object {
  const { selector, targetRef, targetRefs, ...rest } = object.spec ?? {};
  return {
    apiVersion,
    kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? view.namespace,
    },
    spec: { targetRefs: waypointTargetRefs(view.context), ...rest },
  };
}

/**
 * Kiali's waypoint-enrolment checks for an extension object in an ambient namespace: on
 * ztunnel (no targetRefs) and targets not enrolled.
 */
function waypointAttachment(
  view: TrafficView,
  object: Attachable,
  kind: 'WasmPlugin' | 'Telemetry',
  apiVersion: string,
  l7Fields: string[],
): Diagnostic[] {
  const ns = object.metadata.namespace ?? view.namespace;
  if (ns === view.rootNamespace || !isAmbientNamespace(view, ns)) return [];
  const ref = nameOf(kind, object);
  const onZtunnelId =
    kind === 'WasmPlugin'
      ? 'wasm-plugin-on-ztunnel'
      : 'telemetry-l7-on-ztunnel';
  const needsId =
    kind === 'WasmPlugin'
      ? 'wasm-plugin-needs-waypoint'
      : 'telemetry-l7-needs-waypoint';
  const what =
    kind === 'WasmPlugin'
      ? 'WasmPlugin'
      : `L7 Telemetry (${l7Fields.join(', ')})`;
  const result: Diagnostic[] = [];
  if (!hasTargetRefs(object)) {
    result.push(
      about(
        {
          id: onZtunnelId,
          severity: 'warning',
          title: `${kind} without targetRefs in an ambient namespace`,
          message: `${ref} attaches with ${
            object.spec?.selector ? 'a selector' : 'no selector'
          }: waypoints ignore selector-based ${kind}s and ztunnel has no L7 to apply them to, so this ${what} does nothing. Attach it with targetRefs.`,
          evidence: [
            `${ref}: no targetRefs${
              object.spec?.selector
                ? `, selector ${JSON.stringify(
                    object.spec.selector.matchLabels ?? {},
                  )}`
                : ''
            }`,
          ],
          fix: yamlFix(withTargetRefs(kind, apiVersion, object, view)),
        },
        objectOf(
          kind,
          object,
          object.spec?.selector ? 'spec.selector' : 'spec',
        ),
      ),
    );
    if (!isNamespaceEnrolled(view, ns)) {
      result.push(
        about(
          {
            id: needsId,
            severity: 'warning',
            title: `${kind} in a namespace without a waypoint`,
            message: `${ref} needs a waypoint, and namespace ${ns} uses none.`,
            evidence: [`Namespace ${ns}: no istio.io/use-waypoint label`],
            fix: waypointTemplateFix(view, ns),
          },
          objectOf(kind, object, 'metadata.namespace'),
        ),
      );
    }
    return result;
  }
  targetsOf(object).forEach((target, i) => {
    if (target.kind !== 'Service') return;
    const key = `${target.namespace ?? ns}/${target.name}`;
    if (!view.servicesByKey.has(key) || serviceWaypoint(view, key)) return;
    result.push(
      about(
        {
          id: needsId,
          severity: 'warning',
          title: `${kind} targets a Service no waypoint serves`,
          message: `${ref} targets the Service ${key}, which uses no waypoint: nothing applies this ${what}.`,
          evidence: [
            `${ref} spec.targetRefs[${i}]: Service ${key}`,
            `Service ${key}: no istio.io/use-waypoint label on it or on its namespace`,
          ],
          fix: waypointTemplateFix(view, key.split('/')[0]),
        },
        objectOf(kind, object, `spec.targetRefs[${i}]`),
      ),
    );
  });
  return result;
}

/** WasmPlugin checks (Kiali KIA1111, KIA1116). */
export const wasmPluginDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  return view.traffic.wasmPlugins.flatMap(w =>
    waypointAttachment(
      view,
      w,
      'WasmPlugin',
      'extensions.istio.io/v1alpha1',
      [],
    ),
  );
};

/** Telemetry checks (Kiali KIA1112, KIA1117; istioctl IST0157, IST0159, IST0160). */
export const telemetryDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const result: Diagnostic[] = [];
  const telemetries = view.traffic.telemetries;
  for (const t of telemetries) {
    const l7 = telemetryL7Fields(t);
    if (l7.length > 0)
      result.push(
        ...waypointAttachment(
          view,
          t,
          'Telemetry',
          'telemetry.istio.io/v1',
          l7,
        ),
      );
    const defaults = view.traffic.meshDefaultAccessLogging;
    (t.spec?.accessLogging ?? []).forEach((entry, i) => {
      if (entry.disabled || (entry.providers ?? []).length > 0) return;
      if (defaults === undefined || defaults.length > 0) return;
      result.push(
        about(
          {
            id: 'telemetry-access-log-no-provider',
            severity: 'warning',
            title: 'Access logging without a provider',
            message: `${nameOf(
              'Telemetry',
              t,
            )} turns on access logging with no provider, and the mesh config sets no default access-log provider: the setting is ignored.`,
            evidence: [
              `${nameOf(
                'Telemetry',
                t,
              )} spec.accessLogging[${i}].providers: empty`,
              'mesh config defaultProviders.accessLogging: empty',
            ],
            fix: yamlFix({
              apiVersion: 'telemetry.istio.io/v1',
              kind: 'Telemetry',
              metadata: {
                name: t.metadata.name,
                namespace: t.metadata.namespace,
              },
              spec: {
                ...t.spec,
                accessLogging: (t.spec?.accessLogging ?? []).map(a => ({
                  ...a,
                  providers: a.providers?.length
                    ? a.providers
                    : [{ name: 'envoy' }],
                })),
              },
            }),
          },
          objectOf('Telemetry', t, `spec.accessLogging[${i}].providers`),
        ),
      );
    });
  }
  // Conflicts in the entity's namespace (IST0159, IST0160); the root namespace is mesh-wide.
  const local = telemetries.filter(
    t =>
      t.metadata.namespace === view.namespace &&
      view.namespace !== view.rootNamespace,
  );
  const namespaceWide = local.filter(
    t => !t.spec?.selector?.matchLabels && !hasTargetRefs(t),
  );
  if (namespaceWide.length > 1) {
    const names = namespaceWide.map(t => t.metadata.name);
    result.push(
      about(
        {
          id: 'telemetry-conflict',
          severity: 'error',
          title: 'Several namespace-wide Telemetries',
          message: `Telemetries ${names.join(', ')} in ${
            view.namespace
          } have no selector: which one applies is undefined. Merge them into one.`,
          evidence: names.map(
            n => `Telemetry ${view.namespace}/${n}: no selector, no targetRefs`,
          ),
          fix: commandFix(
            ...names
              .slice(1)
              .map(
                n =>
                  `kubectl delete telemetry ${n} -n ${view.namespace}  # after merging it into ${names[0]}`,
              ),
          ),
        },
        objectOf('Telemetry', namespaceWide[1], 'spec.selector'),
      ),
    );
  }
  const selecting = local.filter(
    t => t.spec?.selector?.matchLabels && !hasTargetRefs(t),
  );
  for (const pod of view.traffic.namespacePods) {
    const matching = selecting.filter(t =>
      matchesLabels(t.spec?.selector?.matchLabels, labelsOf(pod)),
    );
    if (matching.length > 1) {
      const names = matching.map(t => t.metadata.name);
      result.push(
        about(
          {
            id: 'telemetry-conflict',
            severity: 'error',
            title: 'Several Telemetries select the same pod',
            message: `Telemetries ${names.join(', ')} all select pod ${
              pod.metadata?.name
            }: which one applies is undefined.`,
            evidence: [
              `pod ${view.namespace}/${
                pod.metadata?.name
              }: selected by ${names.join(', ')}`,
            ],
            fix: commandFix(
              ...names.map(
                n => `kubectl get telemetry ${n} -n ${view.namespace} -o yaml`,
              ),
            ),
          },
          objectOf('Telemetry', matching[1], 'spec.selector'),
        ),
      );
      break;
    }
  }
  return result;
};

/**
 * Selector-based policies that select a Gateway API gateway or waypoint pod (istioctl
 * IST0166): the gateway ignores them; they must use targetRefs.
 */
export const gatewaySelectorDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const candidates: Array<{
    kind: string;
    apiVersion: string;
    object: Attachable;
  }> = [
    ...context.snapshot.authorizationPolicies.map(object => ({
      kind: 'AuthorizationPolicy',
      apiVersion: 'security.istio.io/v1',
      object: object as Attachable,
    })),
    ...context.snapshot.requestAuthentications.map(object => ({
      kind: 'RequestAuthentication',
      apiVersion: 'security.istio.io/v1',
      object: object as Attachable,
    })),
    ...view.traffic.telemetries.map(object => ({
      kind: 'Telemetry',
      apiVersion: 'telemetry.istio.io/v1',
      object: object as Attachable,
    })),
    ...view.traffic.wasmPlugins.map(object => ({
      kind: 'WasmPlugin',
      apiVersion: 'extensions.istio.io/v1alpha1',
      object: object as Attachable,
    })),
  ];
  const result: Diagnostic[] = [];
  for (const { kind, apiVersion, object } of candidates) {
    const matchLabels = object.spec?.selector?.matchLabels;
    if (
      !matchLabels ||
      hasTargetRefs(object) ||
      object.metadata.namespace !== view.namespace
    )
      continue;
    const pod = view.traffic.namespacePods.find(
      p =>
        labelsOf(p)[GATEWAY_NAME_LABEL] &&
        matchesLabels(matchLabels, labelsOf(p)),
    );
    if (!pod) continue;
    const gateway = labelsOf(pod)[GATEWAY_NAME_LABEL];
    const { selector, ...rest } = object.spec ?? {};
    result.push(
      about(
        {
          id: 'selector-on-gateway-pod',
          severity: 'warning',
          title: `${kind} selects a gateway pod`,
          message: `${nameOf(kind, object)} selects pod ${
            pod.metadata?.name
          } of the Gateway ${gateway}; Gateway API gateways and waypoints ignore selectors. Use targetRefs to the Gateway.`,
          evidence: [
            `${nameOf(kind, object)} spec.selector: ${JSON.stringify(
              matchLabels,
            )}`,
            `pod ${pod.metadata?.name}: ${GATEWAY_NAME_LABEL}=${gateway}`,
          ],
          fix: yamlFix({
            apiVersion,
            kind,
            metadata: {
              name: object.metadata.name,
              namespace: object.metadata.namespace,
            },
            spec: {
              ...rest,
              targetRefs: [
                {
                  group: 'gateway.networking.k8s.io',
                  kind: 'Gateway',
                  name: gateway,
                },
              ],
            },
          }),
        },
        objectOf(kind, object, 'spec.selector'),
      ),
    );
  }
  return result;
};

/** Sidecar resources have no effect in ambient mode (istioctl IST0167). */
export const sidecarResourceDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  return view.traffic.sidecars
    .filter(s => s.metadata.namespace === view.namespace)
    .flatMap(sidecar => {
      const ambientNs = isAmbientNamespace(view, view.namespace);
      const selected = view.traffic.namespacePods.find(
        p =>
          p.metadata?.annotations?.[REDIRECTION_ANNOTATION] === 'enabled' &&
          matchesLabels(sidecar.spec?.workloadSelector?.labels, labelsOf(p)),
      );
      if (!ambientNs && !selected) return [];
      return [
        about(
          {
            id: 'sidecar-resource-in-ambient' as const,
            severity: 'warning' as const,
            title: 'Sidecar resource has no effect in ambient mode',
            message: `${nameOf(
              'Sidecar',
              sidecar,
            )} configures sidecar proxies, but ${
              ambientNs
                ? `namespace ${view.namespace} is in ambient mode`
                : `the pod ${selected?.metadata?.name} it selects is in ambient mode`
            }: the policy has no impact. Remove it (egress restrictions belong in a waypoint or NetworkPolicy).`,
            evidence: [
              ambientNs
                ? `Namespace ${view.namespace}: istio.io/dataplane-mode=ambient`
                : `pod ${selected?.metadata?.name}: ${REDIRECTION_ANNOTATION}=enabled`,
            ],
            fix: commandFix(
              `kubectl delete sidecar ${sidecar.metadata.name} -n ${sidecar.metadata.namespace}`,
            ),
          },
          objectOf(
            'Sidecar',
            sidecar,
            sidecar.spec?.workloadSelector
              ? 'spec.workloadSelector'
              : 'metadata.namespace',
          ),
        ),
      ];
    });
};
