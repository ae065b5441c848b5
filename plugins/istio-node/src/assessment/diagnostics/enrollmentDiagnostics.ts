import type { Diagnostic, PodCapture } from '@ambient-mesh/plugin-istio-common';
import { ISTIO_REV_LABEL } from '@ambient-mesh/plugin-istio-common';
import { ISTIO_INJECTION_LABEL } from '../labelNames';
import { labelsOf } from '../objects';
import type { DiagnosticContext, DiagnosticRule } from './context';
import { commandFix, onboardFix, shellWord } from './fixes';

function podLine(pod: PodCapture): string {
  return `pod ${pod.name}${pod.node ? ` on node ${pod.node}` : ''} (${
    pod.phase ?? 'unknown phase'
  })`;
}

function podsIn(
  context: DiagnosticContext,
  state: PodCapture['state'],
): PodCapture[] {
  return context.enrollment.pods.filter(p => p.state === state);
}

/**
 * The namespace labels that make the sidecar injector inject, and so the ones to remove.
 * `istio-injection=enabled` selects the default injector; `istio.io/rev=<rev>` selects a
 * revision's injector only while `istio-injection` is absent (namespaceSelector
 * `istio-injection DoesNotExist` in istio/istio
 * manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml).
 */
export function injectingNamespaceLabels(
  labels: Record<string, string>,
): string[] {
  const hasInjectionLabel = ISTIO_INJECTION_LABEL in labels;
  const revision = labels[ISTIO_REV_LABEL];
  if (labels[ISTIO_INJECTION_LABEL] === 'enabled') {
    // Removing only istio-injection would hand the namespace to the revision's injector.
    return revision
      ? [ISTIO_INJECTION_LABEL, ISTIO_REV_LABEL]
      : [ISTIO_INJECTION_LABEL];
  }
  return revision && !hasInjectionLabel ? [ISTIO_REV_LABEL] : [];
}

/** Namespace missing, not enrolled, or enrolled with a sidecar-injection label. */
export const namespaceDiagnostics: DiagnosticRule = context => {
  const { enrollment, snapshot } = context;
  const ns = snapshot.namespace;
  if (!enrollment.namespaceExists) {
    return [
      {
        id: 'namespace-not-found',
        severity: 'error',
        title: 'Namespace not found',
        message: `The namespace ${ns} does not exist in cluster ${snapshot.cluster}. Check the entity's backstage.io/kubernetes-namespace annotation, or create and onboard the namespace.`,
        evidence: [`GET namespace ${ns}: not found`],
        fix: onboardFix(context),
      },
    ];
  }
  const labels = labelsOf(snapshot.namespaceObject);
  const result: Diagnostic[] = [];
  if (enrollment.mode !== 'ambient') {
    result.push({
      id: 'namespace-not-enrolled',
      severity: 'warning',
      title: 'Namespace not in ambient mode',
      message:
        enrollment.mode === 'sidecar'
          ? `The namespace ${ns} uses sidecar injection, not ambient mode: ztunnel does not capture its pods.`
          : `The namespace ${ns} is not in the mesh: its traffic is plaintext and no mesh policy applies. Label it istio.io/dataplane-mode=ambient (no restart needed).`,
      evidence: [
        `namespace ${ns} labels: istio.io/dataplane-mode=${
          labels['istio.io/dataplane-mode'] ?? '(unset)'
        }`,
      ],
      fix: onboardFix(context),
    });
  }
  const injecting = injectingNamespaceLabels(labels);
  if (enrollment.mode === 'ambient' && injecting.length > 0) {
    const evidence = [
      ...(labels[ISTIO_REV_LABEL] !== undefined
        ? [`${ISTIO_REV_LABEL}=${labels[ISTIO_REV_LABEL]}`]
        : []),
      ...(labels[ISTIO_INJECTION_LABEL] !== undefined
        ? [`${ISTIO_INJECTION_LABEL}=${labels[ISTIO_INJECTION_LABEL]}`]
        : [`${ISTIO_INJECTION_LABEL} absent`]),
    ];
    result.push({
      id: 'revision-label-on-ambient-namespace',
      severity: 'error',
      title: 'Sidecar injection enabled on an ambient namespace',
      message: `The namespace ${ns} is ambient but also labelled for sidecar injection (${injecting.join(
        ', ',
      )}): new pods get sidecars and leave ambient mode.${
        injecting.includes(ISTIO_REV_LABEL)
          ? ` ${ISTIO_REV_LABEL} injects because ${ISTIO_INJECTION_LABEL} is ${
              labels[ISTIO_INJECTION_LABEL] === 'enabled'
                ? 'also set: removing only that label would hand the namespace to the revision'
                : 'absent'
            }.`
          : ''
      }`,
      evidence: evidence.map(e => `namespace ${ns} label ${e}`),
      fix: commandFix(
        `kubectl label namespace ${shellWord(ns)} ${injecting
          .map(l => `${l}-`)
          .join(' ')}`,
      ),
    });
  }
  return result;
};

/** Pods pending, with sidecars, not captured, opted out, or on the host network. */
export const podDiagnostics: DiagnosticRule = context => {
  const { enrollment, snapshot, controlPlane } = context;
  if (!enrollment.namespaceExists) return [];
  const ns = snapshot.namespace;
  // ztunnel and istio-cni may live outside the Istio namespace (Sail: `ztunnel`, `istio-cni`).
  const ztunnelNs =
    controlPlane.ztunnel.namespace ?? controlPlane.istioNamespace;
  const cniNs = controlPlane.istioCni.namespace ?? controlPlane.istioNamespace;
  const result: Diagnostic[] = [];

  const pending = podsIn(context, 'pending');
  if (pending.length > 0) {
    const nodes = [
      ...new Set(pending.map(p => p.node).filter(Boolean)),
    ] as string[];
    result.push({
      id: 'pods-pending',
      severity: 'error',
      title: `${pending.length} pod(s) waiting for ztunnel`,
      message: `istio-cni marked these pods pending: their traffic is redirected but no ztunnel has taken them, so they have no traffic at all. istio-cni or ztunnel is not ready on ${
        nodes.length > 0 ? `node(s) ${nodes.join(', ')}` : 'their nodes'
      }.`,
      evidence: [
        ...pending.map(
          p => `${podLine(p)}: ambient.istio.io/redirection=pending`,
        ),
        `ztunnel ready ${controlPlane.ztunnel.ready}/${controlPlane.ztunnel.desired}, istio-cni ready ${controlPlane.istioCni.ready}/${controlPlane.istioCni.desired}`,
      ],
      // Pod labels: `app: ztunnel` (istio/istio manifests/charts/ztunnel/templates/daemonset.yaml),
      // `k8s-app: istio-cni-node` (manifests/charts/istio-cni/templates/daemonset.yaml).
      fix: commandFix(
        ...(nodes.length > 0 ? nodes : ['<node>']).flatMap(node => [
          `kubectl -n ${shellWord(
            ztunnelNs,
          )} get pods -l app=ztunnel -o wide --field-selector spec.nodeName=${shellWord(
            node,
          )}`,
          `kubectl -n ${shellWord(
            cniNs,
          )} get pods -l k8s-app=istio-cni-node -o wide --field-selector spec.nodeName=${shellWord(
            node,
          )}`,
        ]),
      ),
    });
  }

  if (enrollment.mode === 'ambient') {
    const sidecars = podsIn(context, 'sidecar');
    if (sidecars.length > 0) {
      const workloads = snapshot.deployments
        .map(d => d.metadata?.name)
        .filter(Boolean) as string[];
      result.push({
        id: 'pods-with-sidecar',
        severity: 'warning',
        title: `${sidecars.length} pod(s) run a sidecar`,
        message: `Pods with an Istio sidecar are never captured by ztunnel, even in an ambient namespace. Remove what injects (namespace label, or the pods' sidecar.istio.io/inject label) and restart the workloads so new pods start without a sidecar.`,
        evidence: sidecars.map(
          p => `${podLine(p)}: annotation sidecar.istio.io/status present`,
        ),
        fix: commandFix(
          ...(injectingNamespaceLabels(labelsOf(snapshot.namespaceObject))
            .length > 0
            ? [
                `kubectl label namespace ${shellWord(
                  ns,
                )} ${injectingNamespaceLabels(
                  labelsOf(snapshot.namespaceObject),
                )
                  .map(l => `${l}-`)
                  .join(' ')}`,
              ]
            : []),
          ...(workloads.length > 0 ? workloads : ['<deployment>']).map(
            name =>
              `kubectl -n ${shellWord(
                ns,
              )} rollout restart deployment/${shellWord(name)}`,
          ),
        ),
      });
    }

    // Pods not running yet (or finished) have no traffic to capture.
    const notCaptured = podsIn(context, 'not-captured').filter(
      p => p.phase === undefined || p.phase === 'Running',
    );
    if (notCaptured.length > 0) {
      result.push({
        id: 'pods-not-captured',
        severity: 'error',
        title: `${notCaptured.length} pod(s) not captured`,
        message: `The namespace is ambient but istio-cni has not marked these pods (no ambient.istio.io/redirection annotation): their traffic bypasses ztunnel. Check that istio-cni runs on their nodes.`,
        evidence: notCaptured.map(
          p => `${podLine(p)}: no ambient.istio.io/redirection annotation`,
        ),
        fix: commandFix(
          `kubectl -n ${shellWord(cniNs)} rollout status daemonset/${
            controlPlane.istioCni.name ?? 'istio-cni-node'
          }`,
        ),
      });
    }

    const optedOut = podsIn(context, 'opted-out');
    if (optedOut.length > 0) {
      result.push({
        id: 'pods-opted-out',
        severity: 'info',
        title: `${optedOut.length} pod(s) opted out of the mesh`,
        message: `These pods carry istio.io/dataplane-mode=none, which beats the namespace label: they are outside the mesh on purpose.`,
        evidence: optedOut.map(
          p => `${podLine(p)}: label istio.io/dataplane-mode=none`,
        ),
      });
    }
  }

  const hostNetwork = podsIn(context, 'host-network');
  if (hostNetwork.length > 0) {
    result.push({
      id: 'host-network-pods',
      severity: 'warning',
      title: `${hostNetwork.length} pod(s) use the host network`,
      message: `Pods with hostNetwork: true share the node's network and cannot be captured by ambient mode: no mTLS and no mesh policy for them.`,
      evidence: hostNetwork.map(p => `${podLine(p)}: spec.hostNetwork=true`),
    });
  }
  return result;
};
