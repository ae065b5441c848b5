import type {
  Diagnostic,
  WaypointInUse,
} from '@ambient-mesh/plugin-istio-common';
import { GATEWAY_API_GROUP } from '../labelNames';
import { waypointSelectorPolicies } from '../policies';
import type { DiagnosticContext, DiagnosticRule } from './context';
import {
  commandFix,
  onboardFix,
  shellWord,
  waypointGateway,
  yamlFix,
} from './fixes';

function gatewayRef(w: WaypointInUse): string {
  return `Gateway ${w.namespace}/${w.name}`;
}

function allowsOtherNamespaces(
  context: DiagnosticContext,
  w: WaypointInUse,
): boolean {
  const gateway = context.snapshot.waypointGateways.find(
    g => g.metadata.name === w.name && g.metadata.namespace === w.namespace,
  );
  return (gateway?.spec?.listeners ?? []).some(l => {
    const from = l.allowedRoutes?.namespaces?.from;
    return from === 'All' || from === 'Selector';
  });
}

/** Policies attached with targetRefs while no waypoint serves the entity. */
export const missingWaypointDiagnostics: DiagnosticRule = context => {
  if (context.waypoint.kind !== 'none') return [];
  const serviceNames = context.snapshot.services.map(s => s.metadata?.name);
  const waypointOnly = [
    ...context.snapshot.authorizationPolicies.map(p => ({
      kind: 'AuthorizationPolicy',
      p,
    })),
    ...context.snapshot.requestAuthentications.map(p => ({
      kind: 'RequestAuthentication',
      p,
    })),
  ].filter(({ p }) => {
    if (p.metadata.namespace !== context.snapshot.namespace) return false;
    const refs = [
      ...(p.spec?.targetRefs ?? []),
      ...(p.spec?.targetRef ? [p.spec.targetRef] : []),
    ];
    return refs.some(
      r =>
        (r.kind === 'Service' &&
          (r.group ?? '') === '' &&
          serviceNames.includes(r.name)) ||
        (r.kind === 'Gateway' && r.group === GATEWAY_API_GROUP),
    );
  });
  if (waypointOnly.length === 0) return [];
  return [
    {
      id: 'waypoint-missing-for-l7-policies',
      severity: 'error',
      title: 'L7 policies without a waypoint',
      message:
        'These policies attach with targetRefs, so only a waypoint enforces them, and no waypoint serves this service: they are not enforced at all. Deploy a waypoint and bind the namespace to it.',
      evidence: waypointOnly.map(
        ({ kind, p }) =>
          `${kind} ${p.metadata.namespace}/${p.metadata.name} uses targetRefs`,
      ),
      fix: onboardFix(context, { waypoint: true }),
    },
  ];
};

/** Waypoint missing, not ready, not bound, wrong waypoint-for, attachment denied, bypassed by ingress. */
export const waypointDiagnostics: DiagnosticRule = context => {
  const w = context.waypoint;
  if (w.kind !== 'waypoint') return [];
  const ns = context.snapshot.namespace;
  const result: Diagnostic[] = [];

  if (!w.exists) {
    return [
      {
        id: 'waypoint-not-found',
        severity: 'error',
        title: 'The waypoint named by istio.io/use-waypoint does not exist',
        message: `Traffic is meant to go through ${gatewayRef(
          w,
        )}, but no Gateway of class istio-waypoint has that name: ztunnel sends traffic straight to the pods and no L7 policy applies.`,
        evidence: [
          `istio.io/use-waypoint=${w.name} on the ${w.boundFrom}`,
          `${gatewayRef(w)}: not found`,
        ],
        fix: yamlFix(waypointGateway(w.name, w.namespace)),
      },
    ];
  }

  if (!w.ready) {
    result.push({
      id: 'waypoint-not-ready',
      severity: 'error',
      title: 'Waypoint not ready',
      message: `${gatewayRef(
        w,
      )} is not ready. Until it is, ztunnel sends traffic straight to the pods: no L7 policy, no L7 metrics, no traces.`,
      evidence: [
        `Accepted=${w.accepted}`,
        `Programmed=${w.programmed}${
          w.programmedReason ? ` (${w.programmedReason})` : ''
        }`,
        `addresses: ${
          w.addresses.length > 0 ? w.addresses.join(', ') : 'none'
        }`,
        `Deployment ${w.namespace}/${w.name} ready replicas: ${w.readyReplicas}`,
      ],
      fix: commandFix(
        `kubectl -n ${shellWord(w.namespace)} describe gateway ${shellWord(
          w.name,
        )}`,
        `kubectl -n ${shellWord(
          w.namespace,
        )} get deployment,pods -l gateway.networking.k8s.io/gateway-name=${shellWord(
          w.name,
        )}`,
      ),
    });
  }

  const crossNamespace = w.namespace !== ns;
  const denied = w.services.filter(
    s => s.status === 'False' && s.reason === 'AttachmentDenied',
  );
  if (
    denied.length > 0 ||
    (crossNamespace && !allowsOtherNamespaces(context, w))
  ) {
    result.push({
      id: 'waypoint-attachment-denied',
      severity: 'error',
      title: 'Cross-namespace waypoint refuses the binding',
      message: `${gatewayRef(
        w,
      )} lives in another namespace and its listener does not allow routes from ${ns}, so the binding is denied (AttachmentDenied) and traffic skips the waypoint.`,
      evidence: [
        `istio.io/use-waypoint-namespace=${w.namespace} on the ${w.boundFrom}`,
        ...denied.map(
          s =>
            `Service ${ns}/${
              s.service
            }: WaypointBound=False (AttachmentDenied)${
              s.message ? `: ${s.message}` : ''
            }`,
        ),
      ],
      fix: yamlFix(
        waypointGateway(
          w.name,
          w.namespace,
          w.for === 'service' ? undefined : w.for,
          'All',
        ),
      ),
    });
  }

  const unbound = w.services.filter(
    s => s.status === 'False' && s.reason !== 'AttachmentDenied',
  );
  if (unbound.length > 0) {
    result.push({
      id: 'service-not-bound',
      severity: 'error',
      title: 'Service not bound to its waypoint',
      message: `istiod reports that these Services are not bound to ${gatewayRef(
        w,
      )}: their traffic does not go through the waypoint.`,
      evidence: unbound.map(
        s =>
          `Service ${ns}/${s.service}: istio.io/WaypointBound=False (${
            s.reason ?? 'no reason'
          })${s.message ? `: ${s.message}` : ''}`,
      ),
      fix: commandFix(
        `kubectl -n ${shellWord(ns)} get service ${unbound
          .map(s => shellWord(s.service))
          .join(
            ' ',
          )} -o jsonpath='{range .items[*]}{.metadata.name}{": "}{.status.conditions}{"\\n"}{end}'`,
      ),
    });
  }

  let needs: 'workload' | 'service' | undefined;
  if (w.boundFrom === 'pod') needs = 'workload';
  else if (context.snapshot.services.length > 0) needs = 'service';
  if (needs && w.for !== needs && w.for !== 'all') {
    const suggested = w.for === 'none' ? needs : 'all';
    result.push({
      id: 'waypoint-for-mismatch',
      severity: 'error',
      title: `Waypoint does not serve ${needs} traffic`,
      message: `${gatewayRef(w)} is labelled istio.io/waypoint-for=${
        w.for
      }, but the entity binds it from a ${
        w.boundFrom === 'pod' ? 'Pod' : 'Service'
      }, which needs ${needs} or all: its traffic skips the waypoint.`,
      evidence: [
        `${gatewayRef(w)} label istio.io/waypoint-for=${w.for}`,
        `istio.io/use-waypoint=${w.name} on the ${w.boundFrom}`,
      ],
      fix: commandFix(
        `kubectl -n ${shellWord(w.namespace)} label gateway ${shellWord(
          w.name,
        )} istio.io/waypoint-for=${suggested} --overwrite`,
      ),
    });
  }

  if (!w.ingressUsesWaypoint && context.snapshot.services.length > 0) {
    const notUsing = w.services.filter(s => !s.ingress?.usesWaypoint);
    const names = (
      notUsing.length > 0 ? notUsing.map(s => s.service) : []
    ).concat(
      w.services.length === 0
        ? context.snapshot.services.map(s => s.metadata?.name ?? '')
        : [],
    );
    const words = names.map(shellWord).join(' ');
    result.push({
      id: 'ingress-bypasses-waypoint',
      severity: 'warning',
      title: 'Ingress traffic bypasses the waypoint',
      message: `Istio's own ingress gateways send traffic straight to the pods unless the Service carries istio.io/ingress-use-waypoint=true (a label on the Service, whatever its value, beats the Namespace's). Other ingress controllers ignore that label: Traefik load-balances to the pod IPs, so its traffic skips the waypoint; Traefik's docs offer nativeLB, which makes the Service's cluster IP the only server (Service annotation traefik.ingress.kubernetes.io/service.nativelb: "true" for the Kubernetes Ingress provider, nativeLB: true on an IngressRoute service, or the provider option nativeLBByDefault), and Traefik's pods must be in an ambient namespace so ztunnel sends that traffic through the waypoint. Until then, L7 policies of the waypoint do not apply to ingress traffic.`,
      evidence: names.map(name => {
        const ingress = w.services.find(s => s.service === name)?.ingress;
        if (ingress?.from === 'service') {
          return `Service ${ns}/${name}: istio.io/ingress-use-waypoint=${ingress.value} on the Service (beats the Namespace label)`;
        }
        if (ingress?.from === 'namespace') {
          return `Service ${ns}/${name}: no label on the Service; Namespace ${ns} has istio.io/ingress-use-waypoint=${ingress.value}`;
        }
        return `Service ${ns}/${name}: no istio.io/ingress-use-waypoint=true on the Service or Namespace`;
      }),
      fix: commandFix(
        '# Istio ingress gateways (Gateway API class istio, istio-ingressgateway):',
        `kubectl -n ${shellWord(
          ns,
        )} label service ${words} istio.io/ingress-use-waypoint=true --overwrite`,
        "# Traefik (Kubernetes Ingress provider): send to the Service's cluster IP, from an ambient namespace:",
        `kubectl -n ${shellWord(
          ns,
        )} annotate service ${words} traefik.ingress.kubernetes.io/service.nativelb=true --overwrite`,
        '# kubectl label namespace TRAEFIK_NAMESPACE istio.io/dataplane-mode=ambient',
      ),
    });
  }
  return result;
};

/**
 * AuthorizationPolicies, RequestAuthentications and Telemetries that pick the waypoint's
 * pods with `selector`: waypoints ignore them (pilot/pkg/model/policyattachment.go, 1.28.0).
 */
export const waypointSelectorDiagnostics: DiagnosticRule = context => {
  const w = context.waypoint;
  if (w.kind !== 'waypoint') return [];
  const found = waypointSelectorPolicies(
    context.snapshot,
    w,
    context.rootNamespace,
  );
  return found.map(({ kind, policy }) => {
    const ref = `${kind} ${policy.metadata.namespace}/${policy.metadata.name}`;
    const { selector, ...rest } = (policy.spec ?? {}) as Record<
      string,
      unknown
    > & { selector?: { matchLabels?: Record<string, string> } };
    const labels = Object.entries(selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return {
      id: 'selector-policy-on-waypoint' as const,
      severity: 'error' as const,
      title: `${kind} selects the waypoint's pods: ignored`,
      message: `${ref} picks the pods of ${gatewayRef(
        w,
      )} with a selector. Waypoints never apply selector-based policies, and ztunnel does not capture waypoint pods, so it has no effect on the traffic of this service. Attach it to the waypoint with targetRefs instead.`,
      evidence: [
        `${ref}: selector ${labels}, no targetRefs`,
        `${gatewayRef(w)} pods carry gateway.networking.k8s.io/gateway-name=${
          w.name
        }`,
      ],
      fix: yamlFix({
        apiVersion:
          kind === 'Telemetry'
            ? 'telemetry.istio.io/v1'
            : 'security.istio.io/v1',
        kind,
        metadata: {
          name: policy.metadata.name,
          namespace: w.namespace,
        },
        spec: {
          targetRefs: [
            { group: GATEWAY_API_GROUP, kind: 'Gateway', name: w.name },
          ],
          ...rest,
        },
      }),
    };
  });
};
