import {
  Diagnostic,
  gradingMode,
  plaintextPorts,
} from '@ambient-mesh/plugin-istio-common';
import { identityFieldsOf } from '../policies';
import { ZtunnelRule, ztunnelEffectiveRules } from '../ztunnelRules';
import type { DiagnosticRule } from './context';
import { policyOnWaypoint, yamlFix } from './fixes';

const FAILED_REASONS = [
  'Invalid',
  'PartiallyInvalid',
  'TargetNotFound',
  'AncestorNotBound',
];

/** AuthorizationPolicies that ztunnel cannot enforce as written, or that break behind a waypoint. */
export const authorizationDiagnostics: DiagnosticRule = context => {
  const result: Diagnostic[] = [];
  for (const { policy, applied } of context.authorizationPolicies) {
    const ref = `AuthorizationPolicy ${applied.namespace}/${applied.name}`;
    const object = {
      kind: 'AuthorizationPolicy',
      namespace: applied.namespace,
      name: applied.name,
    };
    const moveFix = yamlFix(
      policyOnWaypoint('AuthorizationPolicy', policy as never, context),
    );
    const rules = policy.spec?.rules ?? [];
    const needsWaypoint =
      context.waypoint.kind === 'none'
        ? ' No waypoint serves this service yet: deploy one first (onboarding template, waypoint enabled).'
        : '';
    if (applied.enforcer === 'ztunnel') {
      const ztunnel = ztunnelEffectiveRules(policy);
      const attaches = `${ref} attaches with ${
        applied.scope === 'selector' ? 'a selector' : 'no selector'
      }, so ztunnel enforces it`;
      const httpRules = ztunnel.rules.filter(r => r.httpFields.length > 0);
      const istiod = applied.conditions
        .filter(
          c => c.type === 'ZtunnelAccepted' && c.reason === 'UnsupportedValue',
        )
        .map(
          c =>
            `ZtunnelAccepted=${c.status} (UnsupportedValue): ${
              c.message ?? ''
            }`,
        );
      const evidenceOf = (r: ZtunnelRule) =>
        `${ref} rule ${r.index + 1}: HTTP fields ${r.httpFields.join(
          ', ',
        )}; ztunnel enforces ${r.enforced}`;
      if (applied.action === 'ALLOW' && httpRules.length > 0) {
        const nothing = ztunnel.effect === 'allows-nothing';
        result.push({
          id: 'l7-allow-on-ztunnel',
          severity: 'error',
          title: 'L7 rules in an ALLOW policy enforced by ztunnel',
          message: `${attaches}, and ztunnel removes every ALLOW rule that uses HTTP fields (${ztunnel.httpFields.join(
            ', ',
          )}), L4 part included. ${
            nothing
              ? 'No rule is left, so the policy matches nothing: unless another ALLOW policy matches, every connection to the selected workloads is denied.'
              : 'The remaining rules allow less than written: connections only those rules allowed are denied.'
          } Attach the policy to the waypoint with targetRefs.${needsWaypoint}`,
          evidence: [...httpRules.map(evidenceOf), ...istiod],
          fix: moveFix,
          object: { ...object, field: 'spec.rules' },
        });
      }
      if (applied.action === 'DENY') {
        const skipped = httpRules.filter(r => r.outcome === 'never-matches');
        const broadened = httpRules.filter(r => r.outcome === 'without-http');
        if (skipped.length > 0) {
          const all = ztunnel.effect === 'no-op';
          result.push({
            id: 'l7-deny-on-ztunnel',
            severity: all ? 'error' : 'warning',
            title: 'DENY rules that ztunnel never fires',
            message: `${attaches}. ztunnel removes HTTP fields and skips a match left empty, so ${
              all
                ? 'the policy never denies anything'
                : `rule${skipped.length > 1 ? 's' : ''} ${skipped
                    .map(r => r.index + 1)
                    .join(', ')} never deny anything`
            }: the requests they describe are let through. Attach the policy to the waypoint with targetRefs.${needsWaypoint}`,
            evidence: [...skipped.map(evidenceOf), ...istiod],
            fix: moveFix,
            object: { ...object, field: 'spec.rules' },
          });
        }
        if (broadened.length > 0) {
          result.push({
            id: 'l7-deny-broadened-on-ztunnel',
            severity: 'error',
            title: 'DENY rules that ztunnel enforces without their HTTP part',
            message: `${attaches}. ztunnel removes the HTTP fields of rule${
              broadened.length > 1 ? 's' : ''
            } ${broadened
              .map(r => r.index + 1)
              .join(
                ', ',
              )} and enforces the rest: it denies every connection matching the L4 part, also requests the HTTP fields would have let through. Attach the policy to the waypoint with targetRefs.${needsWaypoint}`,
            evidence: [...broadened.map(evidenceOf), ...istiod],
            fix: moveFix,
            object: { ...object, field: 'spec.rules' },
          });
        }
      }
      if (applied.action === 'CUSTOM') {
        result.push({
          id: 'custom-action-on-ztunnel',
          severity: 'error',
          title: 'CUSTOM action enforced by ztunnel',
          message: `ztunnel rejects CUSTOM (external authorization) policies (UnsupportedValue): ${ref} is not enforced. Attach it to the waypoint with targetRefs.${needsWaypoint}`,
          evidence: [
            `${ref}: action CUSTOM, ${
              applied.scope === 'selector' ? 'selector' : 'namespace-wide'
            }`,
          ],
          fix: moveFix,
          object: { ...object, field: 'spec.action' },
        });
      }
      if (context.waypoint.kind === 'waypoint') {
        const identity = rules.map(identityFieldsOf);
        if (identity.some(f => f.length > 0)) {
          const w = context.waypoint;
          result.push({
            id: 'client-identity-rules-behind-waypoint',
            severity: applied.action === 'DENY' ? 'warning' : 'error',
            title: 'Client-identity rules on ztunnel behind a waypoint',
            message: `Traffic reaches the pods through the waypoint ${
              w.namespace
            }/${w.name}, so ztunnel sees the waypoint's identity (${
              context.trustDomain
            }/ns/${w.namespace}/sa/${w.name}), not the client's: ${
              applied.action === 'DENY'
                ? 'these DENY rules no longer match'
                : 'these rules no longer allow the real clients'
            }. Move the policy to the waypoint, which sees the client's identity.`,
            evidence: identity.flatMap((fields, i) =>
              fields.length > 0
                ? [`${ref} rule ${i + 1}: ${fields.join(', ')}`]
                : [],
            ),
            fix: moveFix,
          });
        }
      }
    }
  }
  return result;
};

/** RequestAuthentications attached to ztunnel (in ambient they must target the waypoint). */
export const requestAuthenticationDiagnostics: DiagnosticRule = context => {
  const onZtunnel = context.requestAuthentications.filter(
    ({ policy }) =>
      !(policy.spec?.targetRefs?.length || policy.spec?.targetRef),
  );
  return onZtunnel.map(({ policy }) => ({
    id: 'request-authentication-on-ztunnel' as const,
    severity: 'warning' as const,
    title: 'RequestAuthentication not attached to the waypoint',
    message: `RequestAuthentication ${policy.metadata.namespace}/${policy.metadata.name} uses a selector or none: ztunnel cannot validate JWTs, so in ambient mode it must target the waypoint with targetRefs.`,
    evidence: [
      `RequestAuthentication ${policy.metadata.namespace}/${policy.metadata.name}: no targetRefs`,
    ],
    fix: yamlFix(
      policyOnWaypoint('RequestAuthentication', policy as never, context),
    ),
  }));
};

/** Policies whose status says ztunnel or the waypoint did not accept them. */
export const policyStatusDiagnostics: DiagnosticRule = context => {
  const result: Diagnostic[] = [];
  const all = [
    ...context.authorizationPolicies.map(p => p.applied),
    ...context.requestAuthentications.map(p => p.applied),
  ];
  for (const applied of all) {
    const failed = applied.conditions.filter(
      c =>
        c.status === 'False' ||
        (c.reason !== undefined && FAILED_REASONS.includes(c.reason)),
    );
    if (failed.length === 0) continue;
    result.push({
      id: 'policy-not-accepted',
      severity: 'warning',
      title: `${applied.kind} not fully accepted`,
      message: `Istio reports a problem with ${applied.kind} ${applied.namespace}/${applied.name}: part or all of it is not enforced.`,
      evidence: failed.map(
        c =>
          `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${
            c.message ? `: ${c.message}` : ''
          }`,
      ),
    });
  }
  return result;
};

/** PeerAuthentication PERMISSIVE or unset, or a STRICT one with plaintext ports: plaintext accepted. */
export const mtlsDiagnostics: DiagnosticRule = context => {
  const { mtls, enrollment, snapshot } = context;
  if (enrollment.mode !== 'ambient' || gradingMode(mtls) === 'STRICT') {
    return [];
  }
  const portEvidence = plaintextPorts(mtls).map(
    p =>
      `workload port ${p.targetPort}${
        p.servicePorts.length > 0
          ? ` (Service port ${p.servicePorts.join(', ')})`
          : ''
      }: ${p.mode}`,
  );
  if (mtls.mode === 'STRICT') {
    // A STRICT policy whose portLevelMtls lets plaintext in on some ports
    // (ambient/authorization.go convertPeerAuthentication, 1.28.0).
    const owner = mtls.portLevelResource ?? mtls.resource;
    const policy = snapshot.peerAuthentications.find(
      p =>
        p.metadata.name === owner?.name &&
        p.metadata.namespace === owner?.namespace,
    );
    const open = new Set(plaintextPorts(mtls).map(p => String(p.targetPort)));
    const kept = Object.entries(policy?.spec?.portLevelMtls ?? {}).filter(
      ([port]) => !open.has(port),
    );
    return [
      {
        id: 'mtls-permissive',
        severity: 'warning',
        title: 'Plaintext traffic accepted on some ports',
        message: `The effective PeerAuthentication mode is STRICT, but its portLevelMtls lets ztunnel accept plaintext on workload port${
          open.size > 1 ? 's' : ''
        } ${[...open].join(
          ', ',
        )}. PeerAuthentication ports are the pods' ports (a Service's targetPort), not the Service's ports. Set those ports to STRICT or remove them from portLevelMtls.`,
        evidence: [
          `PeerAuthentication ${owner?.namespace}/${owner?.name}: portLevelMtls`,
          ...portEvidence,
        ],
        ...(policy
          ? {
              fix: yamlFix({
                apiVersion: 'security.istio.io/v1',
                kind: 'PeerAuthentication',
                metadata: {
                  name: policy.metadata.name,
                  namespace: policy.metadata.namespace,
                },
                spec: {
                  ...(policy.spec?.selector
                    ? { selector: policy.spec.selector }
                    : {}),
                  ...(policy.spec?.mtls ? { mtls: policy.spec.mtls } : {}),
                  ...(kept.length > 0
                    ? { portLevelMtls: Object.fromEntries(kept) }
                    : {}),
                },
              }),
            }
          : {}),
      },
    ];
  }
  return [
    {
      id: 'mtls-permissive',
      severity: 'warning',
      title: 'Plaintext traffic accepted',
      message: `The effective PeerAuthentication mode is ${mtls.mode}${
        mtls.mode === 'DISABLE' ? ' (not supported in ambient mode)' : ''
      }: ztunnel accepts plaintext from clients outside the mesh${
        portEvidence.length > 0 ? ' on the ports listed' : ''
      }. Set STRICT so only mTLS (mesh) clients can connect.`,
      evidence: [
        mtls.resource
          ? `PeerAuthentication ${mtls.resource.namespace}/${mtls.resource.name} (${mtls.source}): mode ${mtls.mode}`
          : `no PeerAuthentication sets a mode for ${snapshot.namespace} (mesh default: PERMISSIVE)`,
        ...portEvidence,
      ],
      fix: yamlFix({
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: snapshot.namespace },
        spec: { mtls: { mode: 'STRICT' } },
      }),
    },
  ];
};
