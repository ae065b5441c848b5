import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import {
  labelsOf,
  matchesLabelSelector,
  parseEqualitySelector,
} from '../objects';
import type { DiagnosticRule } from './context';
import { yamlFix } from './fixes';

const HBONE_PORT = 15008;

function restrictsIngress(policy: V1NetworkPolicy): boolean {
  const types = policy.spec?.policyTypes;
  return types ? types.includes('Ingress') : true;
}

/** True when some ingress rule of the policy lets TCP 15008 in (from anywhere it names). */
function allowsHbone(policy: V1NetworkPolicy): boolean {
  return (policy.spec?.ingress ?? []).some(rule => {
    const ports = rule.ports ?? [];
    if (ports.length === 0) return true;
    return ports.some(p => {
      if (p.protocol && p.protocol !== 'TCP') return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') {
        return (
          p.port === HBONE_PORT ||
          (p.endPort !== undefined &&
            p.port <= HBONE_PORT &&
            HBONE_PORT <= p.endPort)
        );
      }
      return false;
    });
  });
}

/**
 * NetworkPolicies select captured pods but none of those selecting a pod lets port 15008
 * (HBONE) in: ztunnel cannot deliver mTLS traffic to them.
 */
export const networkPolicyDiagnostics: DiagnosticRule = context => {
  const policies = (context.snapshot.networkPolicies ?? []).filter(
    restrictsIngress,
  );
  if (policies.length === 0 || context.enrollment.mode !== 'ambient') return [];
  const blocked: Array<{ pod: string; policies: string[] }> = [];
  for (const pod of context.snapshot.pods) {
    const labels = labelsOf(pod);
    const selecting = policies.filter(p =>
      matchesLabelSelector(p.spec?.podSelector, labels),
    );
    if (selecting.length > 0 && !selecting.some(allowsHbone)) {
      blocked.push({
        pod: pod.metadata?.name ?? '',
        policies: selecting.map(p => p.metadata?.name ?? ''),
      });
    }
  }
  if (blocked.length === 0) return [];
  const matchLabels = parseEqualitySelector(context.snapshot.labelSelector);
  const diagnostic: Diagnostic = {
    id: 'network-policy-blocks-hbone',
    severity: 'error',
    title: 'NetworkPolicy blocks the mesh port 15008',
    message: `Ambient traffic arrives over HBONE on port ${HBONE_PORT}. The NetworkPolicies selecting these pods do not allow it, so mesh traffic to them is dropped. Allow ingress on TCP ${HBONE_PORT}.`,
    evidence: blocked.map(
      b =>
        `pod ${b.pod}: selected by ${b.policies.join(
          ', ',
        )}, none allows TCP ${HBONE_PORT}`,
    ),
    fix: yamlFix({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'allow-istio-hbone',
        namespace: context.snapshot.namespace,
      },
      spec: {
        podSelector: matchLabels ? { matchLabels } : {},
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: HBONE_PORT }] }],
      },
    }),
  };
  return [diagnostic];
};
