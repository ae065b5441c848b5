import { KubeObject } from '../kube/types';

const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';
const CHANNEL = 'gateway.networking.k8s.io/channel';
const SAFE_UPGRADES = 'safe-upgrades.gateway.networking.k8s.io';

function atLeastV15(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return Boolean(m && (Number(m[1]) > 1 || Number(m[2]) >= 5));
}

/**
 * The TLSRoute CRD of the v1.5 standard channel: served only as `v1` (kubernetes-sigs/
 * gateway-api v1.5.0 config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml; the
 * v1.4 standard channel has no TLSRoute). Shape only, schema left open.
 */
function tlsRouteCrd(annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'tlsroutes.gateway.networking.k8s.io', annotations },
    spec: {
      group: 'gateway.networking.k8s.io',
      scope: 'Namespaced',
      names: {
        kind: 'TLSRoute',
        listKind: 'TLSRouteList',
        plural: 'tlsroutes',
        singular: 'tlsroute',
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
    status: { acceptedNames: { kind: 'TLSRoute', plural: 'tlsroutes' } },
  };
}

/**
 * The ValidatingAdmissionPolicy and binding of the v1.5 standard-install that deny CRDs
 * with a bundle-version before v1.5.0 (kubernetes-sigs/gateway-api
 * config/crd/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml; fields written
 * here, messages as upstream's). Seeded only where the server serves the kind.
 */
function safeUpgradesPolicy(annotations: Record<string, string>): KubeObject[] {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: SAFE_UPGRADES, annotations },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['apiextensions.k8s.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['*'],
            },
          ],
        },
        validations: [
          {
            expression:
              "object.spec.group != 'gateway.networking.k8s.io' || (has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/bundle-version') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v1.[0-4].\\\\d+') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v0'))",
            message:
              'Installing CRDs with version before v1.5.0 is prohibited by default. Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install older versions.',
            reason: 'Invalid',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: SAFE_UPGRADES, annotations },
      spec: {
        policyName: SAFE_UPGRADES,
        validationActions: ['Deny'],
        matchResources: {
          resourceRules: [
            {
              apiGroups: ['apiextensions.k8s.io'],
              apiVersions: ['v1'],
              resources: ['customresourcedefinitions'],
              operations: ['CREATE', 'UPDATE'],
            },
          ],
        },
      },
    },
  ];
}

/**
 * The Gateway API standard-install of `version`: the given CRDs re-annotated with that
 * bundle-version, plus (v1.5+) TLSRoute served only as v1 and the safe-upgrades
 * admission policy; before v1.5 without TLSRoute.
 */
export function gatewayApiBundle(
  crds: KubeObject[],
  version: string,
): KubeObject[] {
  const annotations = { [BUNDLE_VERSION]: version, [CHANNEL]: 'standard' };
  const v15 = atLeastV15(version);
  const annotated = crds
    .filter(
      crd => v15 || crd.metadata.name !== 'tlsroutes.gateway.networking.k8s.io',
    )
    .map(crd => ({
      ...crd,
      metadata: {
        ...crd.metadata,
        annotations: { ...crd.metadata.annotations, ...annotations },
      },
    }));
  if (!v15) return annotated;
  const hasTlsRoute = annotated.some(
    crd => crd.metadata.name === 'tlsroutes.gateway.networking.k8s.io',
  );
  return [
    ...annotated,
    ...(hasTlsRoute ? [] : [tlsRouteCrd(annotations)]),
    ...safeUpgradesPolicy(annotations),
  ];
}

/**
 * The Sail CRDs with ZTunnel served as `v1` (Sail 1.28+) or only as `v1alpha1` (before
 * 1.28, with `spec.profile`; istio-ecosystem/sail-operator api/v1alpha1/ztunnel_types.go).
 */
export function withZTunnelVersion(
  crds: KubeObject[],
  version: 'v1' | 'v1alpha1',
): KubeObject[] {
  if (version === 'v1') return crds;
  return crds.map(crd => {
    if (crd.metadata.name !== 'ztunnels.sailoperator.io') return crd;
    const spec = structuredClone(crd.spec) as any;
    const base = spec.versions[0];
    const specSchema =
      base?.schema?.openAPIV3Schema?.properties?.spec?.properties;
    if (specSchema && !specSchema.profile) {
      specSchema.profile = { type: 'string' };
    }
    spec.versions = [
      { ...base, name: 'v1alpha1', served: true, storage: true },
    ];
    return { ...crd, spec };
  });
}
