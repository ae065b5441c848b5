import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { tlsRouteTrap, tlsRouteTrapCommands } from '../gatewayApiCompat';
import type { DiagnosticRule } from './context';
import { commandFix, meshFix, yamlFix } from './fixes';

/** No tracing provider, or Istio's default 1 % sampling. */
export const tracingDiagnostics: DiagnosticRule = context => {
  const tracing = context.controlPlane.tracing;
  if (!tracing.configured) {
    return [
      {
        id: 'tracing-not-configured',
        severity: 'warning',
        title: 'No tracing provider configured',
        message:
          tracing.providers.length > 0
            ? `The mesh defines the tracing provider(s) ${tracing.providers.join(
                ', ',
              )}, but no Telemetry or default provider selects one: waypoints send no spans.`
            : 'The mesh config has no tracing extension provider: waypoints send no spans, so there are no traces to show.',
        evidence: [
          `meshConfig extensionProviders (tracing): ${
            tracing.providers.join(', ') || 'none'
          }`,
          `meshConfig enableTracing: ${tracing.enableTracing ?? 'unset'}`,
        ],
        fix:
          tracing.providers.length > 0
            ? yamlFix({
                apiVersion: 'telemetry.istio.io/v1',
                kind: 'Telemetry',
                metadata: {
                  name: 'mesh-default',
                  namespace: context.rootNamespace,
                },
                spec: {
                  tracing: [
                    {
                      providers: [{ name: tracing.providers[0] }],
                      randomSamplingPercentage: 10,
                    },
                  ],
                },
              })
            : meshFix(context),
      },
    ];
  }
  if (tracing.samplingPercentage === null) {
    return [
      {
        id: 'tracing-default-sampling',
        severity: 'info',
        title: 'Tracing samples 1 % of requests',
        message:
          'No Telemetry sets randomSamplingPercentage, so Istio keeps its default of 1 %: most requests leave no trace.',
        evidence: ['no Telemetry with randomSamplingPercentage applies'],
        fix: yamlFix({
          apiVersion: 'telemetry.istio.io/v1',
          kind: 'Telemetry',
          metadata: {
            name: 'tracing-sampling',
            namespace: context.snapshot.namespace,
          },
          spec: { tracing: [{ randomSamplingPercentage: 10 }] },
        }),
      },
    ];
  }
  return [];
};

/** ztunnel, istio-cni, istiod, GatewayClass and Gateway API CRDs. */
export const controlPlaneDiagnostics: DiagnosticRule = context => {
  const cp = context.controlPlane;
  const needsWaypoint = context.waypoint.kind === 'waypoint';
  const result: Diagnostic[] = [];
  const fix = meshFix(context);
  if (!cp.ztunnel.present) {
    result.push({
      id: 'ztunnel-missing',
      severity: 'error',
      title: 'ztunnel is not installed',
      message:
        'No ztunnel DaemonSet was found: ambient mode cannot capture any pod in this cluster.',
      evidence: [
        `no DaemonSet ztunnel in ${cp.istioNamespace}, kube-system or ztunnel`,
      ],
      fix,
    });
  } else if (!cp.ztunnel.allReady) {
    result.push({
      id: 'ztunnel-not-ready',
      severity: 'error',
      title: 'ztunnel not ready on every node',
      message:
        'Pods on nodes without a ready ztunnel stay pending and have no traffic.',
      evidence: [
        `DaemonSet ${cp.ztunnel.namespace}/${cp.ztunnel.name}: ${cp.ztunnel.ready}/${cp.ztunnel.desired} ready`,
      ],
      fix: commandFix(
        `kubectl -n ${cp.ztunnel.namespace} rollout status daemonset/${cp.ztunnel.name}`,
      ),
    });
  }
  if (!cp.istioCni.present) {
    result.push({
      id: 'istio-cni-missing',
      severity: 'error',
      title: 'istio-cni is not installed',
      message:
        'No istio-cni-node DaemonSet was found: pods cannot be enrolled in ambient mode.',
      evidence: [
        `no DaemonSet istio-cni-node in ${cp.istioNamespace}, kube-system or istio-cni`,
      ],
      fix,
    });
  }
  if (!cp.istiod.present || cp.istiod.ambient === false) {
    result.push({
      id: 'istiod-not-ambient',
      severity: 'error',
      title: cp.istiod.present
        ? 'istiod runs without ambient support'
        : 'istiod is not installed',
      message: cp.istiod.present
        ? 'istiod does not set PILOT_ENABLE_AMBIENT=true: install it with the ambient profile.'
        : `No istiod Deployment (label app=istiod) was found in ${cp.istioNamespace}.`,
      evidence: [
        cp.istiod.present
          ? `Deployment ${cp.istioNamespace}/${cp.istiod.name}: PILOT_ENABLE_AMBIENT not true`
          : `no Deployment with label app=istiod in ${cp.istioNamespace}`,
      ],
      fix,
    });
  }
  // istio/istio#59387, #59443 (fixed by PR #59309): Gateway API v1.5 serves TLSRoute
  // only as v1, and istiod 1.24-1.27.8, 1.28.0-1.28.5, 1.29.0-1.29.1 then never gets ready.
  const trap = cp.gatewayApi.installed
    ? tlsRouteTrap(cp.istiod.version, cp.gatewayApi.bundleVersion)
    : undefined;
  if (cp.istiod.present && trap) {
    result.push({
      id: 'istiod-gateway-api-incompatible',
      severity: 'error',
      title: `istiod ${trap.istioVersion} cannot start with Gateway API ${trap.gatewayApiVersion}`,
      message: `Gateway API ${trap.gatewayApiVersion} serves TLSRoute only as v1; istiod ${trap.istioVersion} watches TLSRoute v1alpha2 and never becomes ready (istio/istio#59443), so no new configuration, certificate or waypoint reaches the mesh.`,
      evidence: [
        `Deployment ${cp.istioNamespace}/${cp.istiod.name}: Istio ${
          trap.istioVersion
        }, ${cp.istiod.readyReplicas ?? 0} ready replica(s)`,
        `CRD gateways.gateway.networking.k8s.io: bundle-version ${cp.gatewayApi.bundleVersion}`,
        ...(cp.gatewayApi.safeUpgradesPolicy
          ? [
              'ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io: present (denies CRDs older than v1.5.0)',
            ]
          : []),
      ],
      fix: commandFix(
        ...tlsRouteTrapCommands(trap, {
          istioNamespace: cp.istioNamespace,
          safeUpgradesPolicy: cp.gatewayApi.safeUpgradesPolicy,
        }),
      ),
    });
  }
  if (!cp.gatewayApi.installed) {
    result.push({
      id: 'gateway-api-crds-missing',
      severity: needsWaypoint ? 'error' : 'warning',
      title: 'Gateway API CRDs are not installed',
      message:
        'Waypoints are Gateway API Gateways: without the CRDs no waypoint (and no L7 feature) can exist.',
      evidence: ['CRD gateways.gateway.networking.k8s.io: not found'],
      fix,
    });
  }
  if (!cp.waypointGatewayClass) {
    result.push({
      id: 'waypoint-gatewayclass-missing',
      severity: needsWaypoint ? 'error' : 'warning',
      title: 'GatewayClass istio-waypoint is missing',
      message:
        'istiod creates the GatewayClass istio-waypoint only when ambient mode is on: waypoints cannot be deployed.',
      evidence: ['GatewayClass istio-waypoint: not found'],
      fix,
    });
  }
  return result;
};

const HELM_UPGRADE =
  'helm upgrade cilium cilium/cilium -n kube-system --reuse-values';

/** Cilium settings that break ambient mode. */
export const ciliumDiagnostics: DiagnosticRule = context => {
  const cilium = context.controlPlane.cilium;
  if (!cilium.present) return [];
  const result: Diagnostic[] = [];
  if (cilium.cniExclusive === true) {
    result.push({
      id: 'cilium-cni-exclusive',
      severity: 'error',
      title: 'Cilium removes the istio-cni plugin',
      message:
        'Cilium runs with cni-exclusive=true, so it deletes other CNI plugins from the node config and istio-cni cannot capture pods. Chain them with cni.exclusive=false.',
      evidence: ['ConfigMap kube-system/cilium-config: cni-exclusive=true'],
      fix: commandFix(`${HELM_UPGRADE} --set cni.exclusive=false`),
    });
  }
  if (cilium.bpfMasquerade === true) {
    result.push({
      id: 'cilium-bpf-masquerade',
      severity: 'warning',
      title: 'Cilium BPF masquerading breaks health probes',
      message:
        'With bpf.masquerade=true, kubelet probes to captured pods fail in ambient mode.',
      evidence: [
        'ConfigMap kube-system/cilium-config: enable-bpf-masquerade=true',
      ],
      fix: commandFix(`${HELM_UPGRADE} --set bpf.masquerade=false`),
    });
  }
  if (cilium.socketLbHostNamespaceOnly === false) {
    result.push({
      id: 'cilium-socket-lb-host-namespace',
      severity: 'warning',
      title: 'Cilium socket load-balancing runs in pod namespaces',
      message:
        'Cilium should balance sockets in the host namespace only (socketLB.hostNamespaceOnly=true), otherwise it rewrites Service addresses before ztunnel sees them.',
      evidence: [
        'ConfigMap kube-system/cilium-config: bpf-lb-sock-hostns-only=false',
      ],
      fix: commandFix(`${HELM_UPGRADE} --set socketLB.hostNamespaceOnly=true`),
    });
  }
  return result;
};
