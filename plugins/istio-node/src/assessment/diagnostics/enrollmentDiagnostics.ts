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
  const injection = labels[ISTIO_INJECTION_LABEL] === 'enabled';
  if (enrollment.mode === 'ambient' && (enrollment.revision || injection)) {
    const evidence = [
      ...(enrollment.revision
        ? [`${ISTIO_REV_LABEL}=${enrollment.revision}`]
        : []),
      ...(injection ? [`${ISTIO_INJECTION_LABEL}=enabled`] : []),
    ];
    result.push({
      id: 'revision-label-on-ambient-namespace',
      severity: 'error',
      title: 'Sidecar injection enabled on an ambient namespace',
      message: `The namespace ${ns} is ambient but also labelled for sidecar injection: new pods get sidecars and leave ambient mode.`,
      evidence: evidence.map(e => `namespace ${ns} label ${e}`),
      fix: commandFix(
        `kubectl label namespace ${shellWord(
          ns,
        )} ${ISTIO_REV_LABEL}- ${ISTIO_INJECTION_LABEL}-`,
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
  const istioNs = controlPlane.istioNamespace;
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
      fix: commandFix(
        ...(nodes.length > 0 ? nodes : ['<node>']).map(
          node =>
            `kubectl -n ${shellWord(
              istioNs,
            )} get pods -o wide --field-selector spec.nodeName=${shellWord(
              node,
            )}`,
        ),
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
        message: `Pods with an Istio sidecar are never captured by ztunnel, even in an ambient namespace. Remove the injection label and restart the workloads so new pods start without a sidecar.`,
        evidence: sidecars.map(
          p => `${podLine(p)}: annotation sidecar.istio.io/status present`,
        ),
        fix: commandFix(
          `kubectl label namespace ${shellWord(
            ns,
          )} ${ISTIO_REV_LABEL}- ${ISTIO_INJECTION_LABEL}-`,
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
          `kubectl -n ${shellWord(
            istioNs,
          )} rollout status daemonset/istio-cni-node`,
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
