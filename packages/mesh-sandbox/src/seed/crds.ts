import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../kube/types';

/** The Gateway API release whose CRDs the seed installs. */
export const GATEWAY_API_VERSION = 'v1.5.0';

/** One printer column of a CRD version. */
interface Column {
  name: string;
  jsonPath: string;
  type: string;
  description?: string;
}

const AGE: Column = {
  name: 'Age',
  jsonPath: '.metadata.creationTimestamp',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

function crd(options: {
  group: string;
  kind: string;
  plural: string;
  versions: string[];
  /** The storage version; default the first. */
  storage?: string;
  scope?: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  categories?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  columns?: Column[];
}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${options.plural}.${options.group}`,
      annotations: options.annotations,
      labels: options.labels,
    },
    spec: {
      group: options.group,
      scope: options.scope ?? 'Namespaced',
      names: {
        ...(options.categories ? { categories: options.categories } : {}),
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular: options.kind.toLowerCase(),
        ...(options.shortNames ? { shortNames: options.shortNames } : {}),
      },
      versions: options.versions.map((name, index) => ({
        ...(options.columns
          ? { additionalPrinterColumns: options.columns }
          : {}),
        name,
        served: true,
        storage: options.storage ? name === options.storage : index === 0,
        subresources: { status: {} },
        // Istio's CRDs spell out spec and keep status open
        // (x-kubernetes-preserve-unknown-fields); the sandbox keeps spec
        // open too, so only unknown top-level fields are pruned.
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
              status: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      })),
    },
  };
}

/**
 * The Gateway API v1.5.0 standard-channel install bundle
 * (`fixtures/gateway-api/standard-install.yaml`, shaped like the release's
 * standard-install.yaml): the CRDs with their schemas, printer columns and
 * `bundle-version` / `channel` annotations, plus the
 * `safe-upgrades.gateway.networking.k8s.io` ValidatingAdmissionPolicy and
 * its binding.
 */
export function gatewayApiCrds(): KubeObject[] {
  return loadFixture('gateway-api/standard-install.yaml');
}

/**
 * The Istio CRDs the plugins use, as istio/istio 1.28.0
 * `manifests/charts/base/files/crd-all.gen.yaml` declares them: versions
 * (Telemetry stores v1alpha1), short names, categories and printer columns.
 */
export function istioCrds(): KubeObject[] {
  const labels = { app: 'istio-pilot', 'istio.io/rev': 'default' };
  const col = (name: string, jsonPath: string, description: string) => ({
    name,
    jsonPath,
    type: 'string',
    description,
  });
  return [
    crd({
      group: 'security.istio.io',
      kind: 'AuthorizationPolicy',
      plural: 'authorizationpolicies',
      versions: ['v1', 'v1beta1'],
      shortNames: ['ap'],
      categories: ['istio-io', 'security-istio-io'],
      columns: [col('Action', '.spec.action', 'The operation to take.'), AGE],
      labels,
    }),
    crd({
      group: 'security.istio.io',
      kind: 'PeerAuthentication',
      plural: 'peerauthentications',
      versions: ['v1', 'v1beta1'],
      shortNames: ['pa'],
      categories: ['istio-io', 'security-istio-io'],
      columns: [
        col(
          'Mode',
          '.spec.mtls.mode',
          'Defines the mTLS mode used for peer authentication.',
        ),
        AGE,
      ],
      labels,
    }),
    crd({
      group: 'security.istio.io',
      kind: 'RequestAuthentication',
      plural: 'requestauthentications',
      versions: ['v1', 'v1beta1'],
      shortNames: ['ra'],
      categories: ['istio-io', 'security-istio-io'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'VirtualService',
      plural: 'virtualservices',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['vs'],
      categories: ['istio-io', 'networking-istio-io'],
      columns: [
        col(
          'Gateways',
          '.spec.gateways',
          'The names of gateways and sidecars that should apply these routes',
        ),
        col(
          'Hosts',
          '.spec.hosts',
          'The destination hosts to which traffic is being sent',
        ),
        AGE,
      ],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      plural: 'destinationrules',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['dr'],
      categories: ['istio-io', 'networking-istio-io'],
      columns: [
        col(
          'Host',
          '.spec.host',
          'The name of a service from the service registry',
        ),
        AGE,
      ],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'ServiceEntry',
      plural: 'serviceentries',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['se'],
      categories: ['istio-io', 'networking-istio-io'],
      columns: [
        col(
          'Hosts',
          '.spec.hosts',
          'The hosts associated with the ServiceEntry',
        ),
        col(
          'Location',
          '.spec.location',
          'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)',
        ),
        col(
          'Resolution',
          '.spec.resolution',
          'Service resolution mode for the hosts (NONE, STATIC, or DNS)',
        ),
        AGE,
      ],
      labels,
    }),
    crd({
      group: 'telemetry.istio.io',
      kind: 'Telemetry',
      plural: 'telemetries',
      versions: ['v1', 'v1alpha1'],
      shortNames: ['telemetry'],
      categories: ['istio-io', 'telemetry-istio-io'],
      storage: 'v1alpha1',
      columns: [AGE],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'Gateway',
      plural: 'gateways',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['gw'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'Sidecar',
      plural: 'sidecars',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      labels,
    }),
    crd({
      group: 'extensions.istio.io',
      kind: 'WasmPlugin',
      plural: 'wasmplugins',
      versions: ['v1alpha1'],
      labels,
    }),
  ];
}

/** The Prometheus Operator CRDs (`monitoring.coreos.com/v1`) that select scrape targets. */
export function prometheusOperatorCrds(): KubeObject[] {
  const group = 'monitoring.coreos.com';
  return [
    crd({
      group,
      kind: 'ServiceMonitor',
      plural: 'servicemonitors',
      versions: ['v1'],
      shortNames: ['smon'],
    }),
    crd({
      group,
      kind: 'PodMonitor',
      plural: 'podmonitors',
      versions: ['v1'],
      shortNames: ['pmon'],
    }),
  ];
}

/** Sail Operator releases whose CRDs the sandbox can serve. */
export const SAIL_OPERATOR_VERSIONS = ['1.27', '1.28'] as const;

/** A Sail Operator release whose CRDs the sandbox can serve. */
export type SailOperatorVersion = (typeof SAIL_OPERATOR_VERSIONS)[number];

/** The Sail Operator release served by default. */
export const DEFAULT_SAIL_OPERATOR_VERSION: SailOperatorVersion = '1.28';

/**
 * The Sail Operator CRDs (sailoperator.io, cluster-scoped: Istio, IstioCNI,
 * ZTunnel, IstioRevision) of one release, from
 * `fixtures/sail-operator/sail-<version>.yaml` (istio-ecosystem/sail-operator
 * `chart/crds` at that tag). ZTunnel is served as `v1alpha1` only up to 1.27;
 * 1.28 serves `v1` (storage, without `spec.profile`) and the deprecated
 * `v1alpha1`. Their structural schemas make the API server prune unknown
 * fields and fill defaults (`spec.namespace: ztunnel` / `istio-cni` /
 * `istio-system`, `spec.version`).
 */
export function sailOperatorCrds(
  version: SailOperatorVersion = DEFAULT_SAIL_OPERATOR_VERSION,
): KubeObject[] {
  if (!SAIL_OPERATOR_VERSIONS.includes(version)) {
    throw new Error(
      `sailOperatorVersion: "${version}" is not one of ${SAIL_OPERATOR_VERSIONS.join(
        ', ',
      )}`,
    );
  }
  return loadFixture(`sail-operator/sail-${version}.yaml`);
}

/** The directory of the sandbox's YAML fixtures. */
export const FIXTURES_DIR = join(
  dirname(require.resolve('@ambient-mesh/mesh-sandbox/package.json')),
  'fixtures',
);

/** Every document of a multi-document YAML fixture, as objects. */
export function loadFixture(relativePath: string): KubeObject[] {
  const text = readFileSync(join(FIXTURES_DIR, relativePath), 'utf8');
  return parseAllDocuments(text)
    .map(document => document.toJS({ maxAliasCount: -1 }) as KubeObject)
    .filter(object => object && typeof object === 'object');
}
