import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import {
  DATAPLANE_MODE_LABEL,
  ISTIO_REV_LABEL,
  REDIRECTION_ANNOTATION,
  SIDECAR_STATUS_ANNOTATION,
  USE_WAYPOINT_LABEL,
} from '@ambient-mesh/plugin-istio-common';
import type { V1Pod } from '@kubernetes/client-node';
import { labelsOf, matchesLabels } from '../objects';
import type {
  AuthorizationPolicyObject,
  CustomObject,
  PolicyTargetReference,
  WorkloadSelector,
} from '../snapshot';
import type { DiagnosticRule } from './context';
import { commandFix, onboardFix, yamlFix } from './fixes';
import { GATEWAY_NAME_LABEL } from './extensionDiagnostics';
import {
  about,
  hostInRegistry,
  nameOf,
  objectOf,
  trafficView,
  TrafficView,
} from './trafficContext';

/** HTTP methods an AuthorizationPolicy may name (Kiali's list: RFC 9110 and PATCH). */
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
];

type Selectable = CustomObject<{
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
}>;

function inMeshPod(pod: V1Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/** Objects of the namespace whose selector matches no pod (Kiali KIA0004; istioctl IST0127, IST0101 on Telemetry). */
export const selectorMatchesNothingDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const objects: Array<{ kind: string; object: Selectable }> = [
    ...context.snapshot.authorizationPolicies.map(o => ({
      kind: 'AuthorizationPolicy',
      object: o as Selectable,
    })),
    ...context.snapshot.peerAuthentications.map(o => ({
      kind: 'PeerAuthentication',
      object: o as Selectable,
    })),
    ...context.snapshot.requestAuthentications.map(o => ({
      kind: 'RequestAuthentication',
      object: o as Selectable,
    })),
    ...view.traffic.telemetries.map(o => ({
      kind: 'Telemetry',
      object: o as Selectable,
    })),
    ...view.traffic.wasmPlugins.map(o => ({
      kind: 'WasmPlugin',
      object: o as Selectable,
    })),
  ];
  const pods = view.traffic.namespacePods.filter(inMeshPod);
  const result: Diagnostic[] = [];
  for (const { kind, object } of objects) {
    const matchLabels = object.spec?.selector?.matchLabels;
    if (
      object.metadata.namespace !== view.namespace ||
      !matchLabels ||
      Object.keys(matchLabels).length === 0
    )
      continue;
    if (object.spec?.targetRef || object.spec?.targetRefs?.length) continue;
    if (pods.some(p => matchesLabels(matchLabels, labelsOf(p)))) continue;
    const labels = Object.entries(matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    result.push(
      about(
        {
          id: 'policy-selector-matches-nothing',
          severity: 'warning',
          title: `${kind} selects no workload`,
          message: `The selector of ${nameOf(
            kind,
            object,
          )} (${labels}) matches no pod in ${
            view.namespace
          }: the ${kind} applies to nothing. Fix the labels or delete it.`,
          evidence: [
            `${nameOf(
              kind,
              object,
            )} spec.selector.matchLabels: ${labels} (0 of ${
              pods.length
            } pods in ${view.namespace})`,
          ],
          fix: commandFix(
            `kubectl get pods -n ${view.namespace} -l ${labels}`,
            `kubectl get pods -n ${view.namespace} --show-labels`,
            `kubectl edit ${kind.toLowerCase()} ${object.metadata.name} -n ${
              view.namespace
            }`,
          ),
        },
        objectOf(kind, object, 'spec.selector.matchLabels'),
      ),
    );
  }
  return result;
};

function patternMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function policiesOfView(view: TrafficView): AuthorizationPolicyObject[] {
  return view.context.snapshot.authorizationPolicies.filter(
    p =>
      p.metadata.namespace === view.namespace ||
      p.metadata.namespace === view.rootNamespace,
  );
}

/**
 * Rule-level AuthorizationPolicy checks (Kiali KIA0101, KIA0102, KIA0104, KIA0105, KIA0106,
 * KIA0108; istioctl IST0101).
 */
export const authorizationRuleDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const result: Diagnostic[] = [];
  const namespaces = [...view.namespaceLabels.keys()];
  const serviceAccounts = new Set(view.traffic.serviceAccounts);
  const strict = context.mtls.mode === 'STRICT';
  for (const policy of policiesOfView(view)) {
    const ref = nameOf('AuthorizationPolicy', policy);
    const ns = policy.metadata.namespace ?? view.namespace;
    const edit = commandFix(
      `kubectl edit authorizationpolicy ${policy.metadata.name} -n ${ns}`,
    );
    const identityFields: string[] = [];
    (policy.spec?.rules ?? []).forEach((rule, r) => {
      (rule.from ?? []).forEach((from, f) => {
        const source = from.source ?? {};
        for (const field of ['namespaces', 'notNamespaces'] as const) {
          (source[field] ?? []).forEach((value, i) => {
            if (
              namespaces.length === 0 ||
              namespaces.some(n => patternMatches(value, n))
            )
              return;
            const at = `spec.rules[${r}].from[${f}].source.${field}[${i}]`;
            result.push(
              about(
                {
                  id: 'policy-namespace-not-found',
                  severity: 'warning',
                  title:
                    'AuthorizationPolicy names a namespace that does not exist',
                  message: `${ref} matches clients of namespace "${value}", which does not exist: the rule never matches.`,
                  evidence: [`${ref} ${at}: ${value} (no such namespace)`],
                  fix: edit,
                },
                objectOf('AuthorizationPolicy', policy, at),
              ),
            );
          });
        }
        for (const field of ['principals', 'notPrincipals'] as const) {
          (source[field] ?? []).forEach((principal, i) => {
            const at = `spec.rules[${r}].from[${f}].source.${field}[${i}]`;
            const match = /^(.*)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
            if (!match) return;
            const [, trustDomain, saNs, sa] = match;
            if (
              trustDomain !== '*' &&
              !trustDomain.includes('*') &&
              trustDomain !== view.trustDomain
            ) {
              result.push(
                about(
                  {
                    id: 'principal-unknown-trust-domain',
                    severity: 'warning',
                    title: 'Principal of an unknown trust domain',
                    message: `${ref} names the principal ${principal}, whose trust domain "${trustDomain}" is not the mesh's (${view.trustDomain}): unless it is an alias, the rule never matches.`,
                    evidence: [
                      `${ref} ${at}: ${principal} (mesh trust domain ${view.trustDomain})`,
                    ],
                    fix: edit,
                  },
                  objectOf('AuthorizationPolicy', policy, at),
                ),
              );
              return;
            }
            if (serviceAccounts.size === 0 || principal.includes('*')) return;
            if (!serviceAccounts.has(`${saNs}/${sa}`)) {
              result.push(
                about(
                  {
                    id: 'principal-not-found',
                    severity: 'error',
                    title: 'Principal whose ServiceAccount does not exist',
                    message: `${ref} names the principal ${principal}, but there is no ServiceAccount ${saNs}/${sa}: no workload has that identity.`,
                    evidence: [
                      `${ref} ${at}: ${principal} (no ServiceAccount ${saNs}/${sa})`,
                    ],
                    fix: commandFix(
                      `kubectl get serviceaccounts -n ${saNs}`,
                      `kubectl edit authorizationpolicy ${policy.metadata.name} -n ${ns}`,
                    ),
                  },
                  objectOf('AuthorizationPolicy', policy, at),
                ),
              );
            }
          });
        }
        for (const field of [
          'principals',
          'notPrincipals',
          'namespaces',
          'notNamespaces',
        ] as const) {
          if (source[field]?.length)
            identityFields.push(`spec.rules[${r}].from[${f}].source.${field}`);
        }
      });
      (rule.to ?? []).forEach((to, t) => {
        const op = to.operation ?? {};
        for (const field of ['methods', 'notMethods'] as const) {
          (op[field] ?? []).forEach((method, i) => {
            const ok =
              HTTP_METHODS.includes(method) ||
              method.startsWith('*') ||
              method.endsWith('*');
            if (ok) return;
            const at = `spec.rules[${r}].to[${t}].operation.${field}[${i}]`;
            result.push(
              about(
                {
                  id: 'policy-invalid-method',
                  severity: 'warning',
                  title: 'Not an HTTP method',
                  message: `${ref} matches the method "${method}", which is not an HTTP method (methods are upper case: ${HTTP_METHODS.join(
                    ', ',
                  )}): the rule never matches.`,
                  evidence: [`${ref} ${at}: ${method}`],
                  fix: edit,
                },
                objectOf('AuthorizationPolicy', policy, at),
              ),
            );
          });
        }
        (op.hosts ?? []).forEach((host, i) => {
          const parts = host.split('.');
          const shortForm =
            parts.length === 1 ||
            (parts.length === 2 && view.namespaceLabels.has(parts[1]));
          if (!shortForm || host.includes('*') || host.includes(':')) return;
          if (hostInRegistry(view, host, ns, { virtualServices: true })) return;
          const at = `spec.rules[${r}].to[${t}].operation.hosts[${i}]`;
          result.push(
            about(
              {
                id: 'policy-host-not-found',
                severity: 'error',
                title: 'AuthorizationPolicy host not in the registry',
                message: `${ref} matches requests for host ${host}, which is no Service, ServiceEntry or VirtualService host: the rule never matches.`,
                evidence: [`${ref} ${at}: ${host} (not found)`],
                fix: edit,
              },
              objectOf('AuthorizationPolicy', policy, at),
            ),
          );
        });
      });
      (rule.when ?? []).forEach((when, w) => {
        if (
          ['source.namespace', 'source.principal', 'connection.sni'].includes(
            when.key,
          )
        ) {
          identityFields.push(`spec.rules[${r}].when[${w}] ${when.key}`);
        }
      });
    });
    const applies = context.authorizationPolicies.some(
      a => a.policy === policy,
    );
    if (
      identityFields.length > 0 &&
      !strict &&
      applies &&
      context.enrollment.mode === 'ambient'
    ) {
      result.push(
        about(
          {
            id: 'identity-rules-without-mtls',
            severity: policy.spec?.action === 'DENY' ? 'error' : 'warning',
            title: 'Identity rules while plaintext is accepted',
            message: `${ref} matches on client identity (principals, namespaces), but mTLS is ${
              context.mtls.mode
            } for ${view.namespace}: plaintext clients carry no identity, so ${
              policy.spec?.action === 'DENY'
                ? 'they slip past these DENY rules'
                : 'these rules cannot tell them apart'
            }. Require STRICT mTLS.`,
            evidence: [
              ...identityFields.map(f => `${ref} ${f}`),
              `effective PeerAuthentication mode: ${context.mtls.mode}`,
            ],
            fix: yamlFix({
              apiVersion: 'security.istio.io/v1',
              kind: 'PeerAuthentication',
              metadata: { name: 'default', namespace: view.namespace },
              spec: { mtls: { mode: 'STRICT' } },
            }),
          },
          objectOf(
            'AuthorizationPolicy',
            policy,
            identityFields[0].split(' ')[0],
          ),
        ),
      );
    }
  }
  return result;
};

/** Several PeerAuthentications for the namespace or for one pod (Kiali KIA0002, KIA0003). */
export const peerAuthenticationConflictDiagnostics: DiagnosticRule =
  context => {
    const view = trafficView(context);
    if (!view || view.namespace === view.rootNamespace) return [];
    const local = context.snapshot.peerAuthentications.filter(
      p => p.metadata.namespace === view.namespace,
    );
    const result: Diagnostic[] = [];
    const wide = local.filter(
      p =>
        !p.spec?.selector?.matchLabels ||
        Object.keys(p.spec.selector.matchLabels).length === 0,
    );
    if (wide.length > 1) {
      result.push(
        about(
          {
            id: 'peer-authentication-conflict',
            severity: 'error',
            title: 'Several namespace-wide PeerAuthentications',
            message: `PeerAuthentications ${wide
              .map(p => p.metadata.name)
              .join(', ')} in ${
              view.namespace
            } have no selector: only the oldest applies. Keep one.`,
            evidence: wide.map(
              p =>
                `PeerAuthentication ${view.namespace}/${p.metadata.name}: no selector`,
            ),
            fix: commandFix(
              ...wide
                .slice(1)
                .map(
                  p =>
                    `kubectl delete peerauthentication ${p.metadata.name} -n ${view.namespace}`,
                ),
            ),
          },
          objectOf('PeerAuthentication', wide[1], 'spec.selector'),
        ),
      );
    }
    const selecting = local.filter(p => !wide.includes(p));
    for (const pod of view.traffic.namespacePods) {
      const matching = selecting.filter(p =>
        matchesLabels(p.spec?.selector?.matchLabels, labelsOf(pod)),
      );
      if (matching.length < 2) continue;
      result.push(
        about(
          {
            id: 'peer-authentication-conflict',
            severity: 'error',
            title: 'Several PeerAuthentications select the same pod',
            message: `PeerAuthentications ${matching
              .map(p => p.metadata.name)
              .join(', ')} all select pod ${
              pod.metadata?.name
            }: only the oldest applies.`,
            evidence: [
              `pod ${view.namespace}/${
                pod.metadata?.name
              }: selected by ${matching.map(p => p.metadata.name).join(', ')}`,
            ],
            fix: commandFix(
              ...matching.map(
                p =>
                  `kubectl get peerauthentication ${p.metadata.name} -n ${view.namespace} -o yaml`,
              ),
            ),
          },
          objectOf('PeerAuthentication', matching[1], 'spec.selector'),
        ),
      );
      break;
    }
    return result;
  };

/** targetRefs that name a Service or Gateway that does not exist (istioctl IST0171 WaypointAccepted TargetNotFound). */
export const policyTargetDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const objects: Array<{ kind: string; object: Selectable }> = [
    ...context.snapshot.authorizationPolicies.map(o => ({
      kind: 'AuthorizationPolicy',
      object: o as Selectable,
    })),
    ...context.snapshot.requestAuthentications.map(o => ({
      kind: 'RequestAuthentication',
      object: o as Selectable,
    })),
    ...view.traffic.telemetries.map(o => ({
      kind: 'Telemetry',
      object: o as Selectable,
    })),
    ...view.traffic.wasmPlugins.map(o => ({
      kind: 'WasmPlugin',
      object: o as Selectable,
    })),
  ];
  const result: Diagnostic[] = [];
  for (const { kind, object } of objects) {
    const ns = object.metadata.namespace ?? view.namespace;
    if (ns !== view.namespace) continue;
    const refs = [
      ...(object.spec?.targetRef ? [object.spec.targetRef] : []),
      ...(object.spec?.targetRefs ?? []),
    ];
    refs.forEach((target, i) => {
      const key = `${target.namespace ?? ns}/${target.name}`;
      let exists = true;
      if (target.kind === 'Service') exists = view.servicesByKey.has(key);
      if (target.kind === 'Gateway') {
        exists = view.traffic.gateways.some(
          g => `${g.metadata.namespace}/${g.metadata.name}` === key,
        );
      }
      if (exists) return;
      const at = object.spec?.targetRef
        ? 'spec.targetRef'
        : `spec.targetRefs[${i}]`;
      result.push(
        about(
          {
            id: 'policy-target-not-found',
            severity: 'warning',
            title: `${kind} targets something that does not exist`,
            message: `${nameOf(kind, object)} targets the ${
              target.kind
            } ${key}, which does not exist: no waypoint applies it (TargetNotFound).`,
            evidence: [
              `${nameOf(kind, object)} ${at}: ${
                target.kind
              } ${key} (not found)`,
            ],
            fix: commandFix(
              `kubectl get ${
                target.kind === 'Service'
                  ? 'services'
                  : 'gateways.gateway.networking.k8s.io'
              } -n ${target.namespace ?? ns}`,
              `kubectl edit ${kind.toLowerCase()} ${
                object.metadata.name
              } -n ${ns}`,
            ),
          },
          objectOf(kind, object, at),
        ),
      );
    });
  }
  return result;
};

/** Entity pods no AuthorizationPolicy covers (Kiali KIA1301). */
export const uncoveredWorkloadDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view || context.enrollment.mode !== 'ambient') return [];
  const policies = policiesOfView(view);
  const workloads = context.snapshot.pods.filter(
    p => !labelsOf(p)[GATEWAY_NAME_LABEL] && inMeshPod(p),
  );
  const uncovered = workloads.filter(
    pod =>
      !policies.some(p => {
        if (p.spec?.targetRef || p.spec?.targetRefs?.length) {
          const refs = [
            ...(p.spec.targetRef ? [p.spec.targetRef] : []),
            ...(p.spec.targetRefs ?? []),
          ];
          return refs.some(r => {
            if (r.kind !== 'Service') return false;
            const service = view.servicesByKey.get(
              `${p.metadata.namespace}/${r.name}`,
            );
            const selector = service?.spec?.selector;
            return Boolean(
              selector &&
                Object.keys(selector).length > 0 &&
                matchesLabels(selector, labelsOf(pod)),
            );
          });
        }
        return matchesLabels(p.spec?.selector?.matchLabels, labelsOf(pod));
      }),
  );
  if (uncovered.length === 0) return [];
  return [
    {
      id: 'workload-without-authorization-policy',
      severity: 'info',
      title: 'No AuthorizationPolicy covers these pods',
      message: `No AuthorizationPolicy in ${view.namespace} or ${view.rootNamespace} applies to ${uncovered.length} of the entity's pods: any client in the mesh may call them. Start from an allow-nothing policy and allow the callers you expect.`,
      evidence: uncovered
        .slice(0, 5)
        .map(
          p =>
            `pod ${view.namespace}/${p.metadata?.name}: no AuthorizationPolicy selects it`,
        ),
      fix: yamlFix({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', namespace: view.namespace },
        spec: {},
      }),
      object: { kind: 'Namespace', name: view.namespace },
    },
  ];
};

/** RequestAuthentications while istiod may fetch JWKS from any address (istioctl IST0175). */
export const jwksDiagnostics: DiagnosticRule = context => {
  const env = context.snapshot.traffic?.istiodEnv;
  if (!env || context.snapshot.requestAuthentications.length === 0) return [];
  if (env.BLOCKED_CIDRS_IN_JWKS_URIS) return [];
  const names = context.snapshot.requestAuthentications.map(
    r => `${r.metadata.namespace}/${r.metadata.name}`,
  );
  const istiod = context.controlPlane.istiod.name ?? 'istiod';
  return [
    {
      id: 'jwks-blocked-cidrs-missing',
      severity: 'warning',
      title: 'istiod may fetch JWKS from internal addresses',
      message: `${names.length} RequestAuthentication(s) name JWKS URIs, and istiod has no BLOCKED_CIDRS_IN_JWKS_URIS: a jwksUri pointing at an internal address (e.g. the cloud metadata endpoint) would be fetched. Block those ranges.`,
      evidence: [
        `Deployment ${context.controlPlane.istioNamespace}/${istiod}: BLOCKED_CIDRS_IN_JWKS_URIS not set`,
        ...names.map(n => `RequestAuthentication ${n}`),
      ],
      fix: commandFix(
        `kubectl set env deployment/${istiod} -n ${context.controlPlane.istioNamespace} -c discovery BLOCKED_CIDRS_IN_JWKS_URIS=169.254.169.254/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16`,
      ),
      object: {
        kind: 'Deployment',
        name: istiod,
        namespace: context.controlPlane.istioNamespace,
        field: 'spec.template.spec.containers[discovery].env',
      },
    },
  ];
};

function sidecarLabel(
  nsLabels: Record<string, string>,
  pod: V1Pod,
): string | undefined {
  if (nsLabels['istio-injection'] === 'enabled')
    return 'namespace istio-injection=enabled';
  if (nsLabels[ISTIO_REV_LABEL])
    return `namespace ${ISTIO_REV_LABEL}=${nsLabels[ISTIO_REV_LABEL]}`;
  const own = labelsOf(pod)['sidecar.istio.io/inject'];
  if (own === 'true' || own === 'enabled')
    return `pod sidecar.istio.io/inject=${own}`;
  return undefined;
}

/** Workload-level label mix-ups (Kiali KIA1311, KIA1312, KIA1314). */
export const workloadLabelDiagnostics: DiagnosticRule = context => {
  if (!context.snapshot.traffic) return [];
  const nsLabels = labelsOf(context.snapshot.namespaceObject);
  const ns = context.snapshot.namespace;
  const result: Diagnostic[] = [];
  const optedOut = nsLabels['istio-injection'] === 'disabled';
  const both: string[] = [];
  const redirected: string[] = [];
  const waypointNotAmbient: string[] = [];
  for (const pod of context.snapshot.pods) {
    const labels = labelsOf(pod);
    const podMode = labels[DATAPLANE_MODE_LABEL];
    const ambient =
      podMode === 'ambient' ||
      (nsLabels[DATAPLANE_MODE_LABEL] === 'ambient' && podMode !== 'none');
    const sidecar = sidecarLabel(nsLabels, pod);
    const name = pod.metadata?.name ?? '';
    const injectNone = labels['sidecar.istio.io/inject'] === 'false';
    // The namespace-only mix is revision-label-on-ambient-namespace; this is the pod-level one.
    if (
      ambient &&
      sidecar &&
      !optedOut &&
      !injectNone &&
      (podMode === 'ambient' || sidecar.startsWith('pod'))
    ) {
      both.push(
        `pod ${name}: ${
          podMode === 'ambient'
            ? `${DATAPLANE_MODE_LABEL}=ambient`
            : `namespace ${DATAPLANE_MODE_LABEL}=ambient`
        } and ${sidecar}`,
      );
    }
    if (
      sidecar &&
      pod.metadata?.annotations?.[REDIRECTION_ANNOTATION] === 'enabled' &&
      pod.metadata?.annotations?.[SIDECAR_STATUS_ANNOTATION] === undefined
    ) {
      redirected.push(
        `pod ${name}: ${REDIRECTION_ANNOTATION}=enabled and ${sidecar}`,
      );
    }
    const waypoint = labels[USE_WAYPOINT_LABEL] ?? nsLabels[USE_WAYPOINT_LABEL];
    if (waypoint && waypoint !== 'none' && !ambient && podMode !== 'none') {
      waypointNotAmbient.push(
        `pod ${name}: ${USE_WAYPOINT_LABEL}=${waypoint}${
          labels[USE_WAYPOINT_LABEL] ? '' : ' (from the namespace)'
        }, not ambient`,
      );
    }
  }
  if (both.length > 0) {
    result.push({
      id: 'sidecar-and-ambient-labels',
      severity: 'error',
      title: 'Pods labelled for both sidecar and ambient',
      message:
        'These pods carry both an ambient label and a sidecar-injection label: the injector adds a sidecar and ztunnel skips the pod, which is rarely what was meant. Remove the sidecar label.',
      evidence: both.slice(0, 5),
      fix: commandFix(
        `kubectl label pods -n ${ns} -l sidecar.istio.io/inject sidecar.istio.io/inject-`,
        `kubectl rollout restart deployment -n ${ns}`,
      ),
      object: {
        kind: 'Pod',
        name: both[0].split(':')[0].replace('pod ', ''),
        namespace: ns,
        field: 'metadata.labels',
      },
    });
  }
  if (redirected.length > 0) {
    result.push({
      id: 'sidecar-label-with-ambient-redirection',
      severity: 'error',
      title: 'Ambient-captured pods with a sidecar label',
      message:
        'ztunnel captures these pods, yet a sidecar-injection label applies to them: at the next restart they get a sidecar and leave ambient mode. Remove the sidecar label.',
      evidence: redirected.slice(0, 5),
      fix: commandFix(
        `kubectl label namespace ${ns} istio-injection- istio.io/rev-`,
      ),
      object: {
        kind: 'Pod',
        name: redirected[0].split(':')[0].replace('pod ', ''),
        namespace: ns,
        field: 'metadata.annotations',
      },
    });
  }
  if (waypointNotAmbient.length > 0) {
    result.push({
      id: 'waypoint-label-not-ambient',
      severity: 'warning',
      title: 'Waypoint label on pods that are not in ambient mode',
      message: `These pods ask for a waypoint (istio.io/use-waypoint) but are not in ambient mode, so no waypoint serves them. Enroll namespace ${ns} in ambient mode.`,
      evidence: waypointNotAmbient.slice(0, 5),
      fix: onboardFix(context, { waypoint: true }),
      object: {
        kind: 'Namespace',
        name: ns,
        field: `metadata.labels.${USE_WAYPOINT_LABEL}`,
      },
    });
  }
  return result;
};
