import { StructuralSchema } from './schema';

/** One kind of resource the API server serves, at one group/version. */
export interface ResourceType {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs, e.g. `pods`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Discovery categories (`all` for the workload kinds; a CRD's `spec.names.categories`). */
  categories?: string[];
  /** The `/scale` subresource, where the type has one. */
  scale?: ScaleSubresource;
  /** Whether the type has a `/status` subresource. */
  hasStatus: boolean;
  /** Name rule checked on create: DNS-1123 label (Namespaces, Services) or subdomain. */
  nameRule: 'dns1123-label' | 'dns1123-subdomain';
  /** True for kinds served from a CustomResourceDefinition. */
  custom?: boolean;
  /** The served version's `schema.openAPIV3Schema` (custom kinds). */
  schema?: StructuralSchema;
  /** The served version's `additionalPrinterColumns` (custom kinds). */
  printerColumns?: PrinterColumn[];
}

/** Where a `/scale` subresource reads and writes (CRD `subresources.scale`). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** The scale subresource of the apps/v1 workloads (kubernetes pkg/registry/apps, ScaleREST). */
const APPS_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.spec.selector',
};

/** One CRD `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** `apiVersion` as it appears in objects (`v1`, `apps/v1`). */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

function core(
  kind: string,
  plural: string,
  options: Partial<ResourceType> = {},
): ResourceType {
  return {
    group: '',
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    hasStatus: true,
    nameRule: 'dns1123-subdomain',
    ...options,
  };
}

function grouped(
  group: string,
  version: string,
  kind: string,
  plural: string,
  options: Partial<ResourceType> = {},
): ResourceType {
  return core(kind, plural, { group, version, ...options });
}

/** Built-in kinds, always served. Custom kinds come from CustomResourceDefinitions. */
export const BUILTIN_RESOURCES: ResourceType[] = [
  core('Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    nameRule: 'dns1123-label',
  }),
  core('Pod', 'pods', { shortNames: ['po'], categories: ['all'] }),
  core('Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    nameRule: 'dns1123-label',
  }),
  core('ServiceAccount', 'serviceaccounts', {
    shortNames: ['sa'],
    hasStatus: false,
  }),
  core('ConfigMap', 'configmaps', { shortNames: ['cm'], hasStatus: false }),
  // Read by `kubectl describe` (namespace quotas and limits, events).
  core('ResourceQuota', 'resourcequotas', { shortNames: ['quota'] }),
  core('LimitRange', 'limitranges', {
    shortNames: ['limits'],
    hasStatus: false,
  }),
  core('Event', 'events', { shortNames: ['ev'], hasStatus: false }),
  core('Secret', 'secrets', { hasStatus: false }),
  grouped('apps', 'v1', 'Deployment', 'deployments', {
    scale: APPS_SCALE,
    shortNames: ['deploy'],
    categories: ['all'],
  }),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', {
    scale: APPS_SCALE,
    shortNames: ['sts'],
    categories: ['all'],
  }),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
  }),
  grouped('apps', 'v1', 'ReplicaSet', 'replicasets', {
    scale: APPS_SCALE,
    shortNames: ['rs'],
    categories: ['all'],
  }),
  // Listed by the Kubernetes plugin's backend for every entity (its default
  // objectTypes, @backstage/plugin-kubernetes-backend KubernetesFanOutHandler
  // DEFAULT_OBJECTS); group/version/kind/plural as Kubernetes 1.33 serves them
  grouped(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    {
      shortNames: ['hpa'],
      categories: ['all'],
    },
  ),
  grouped('batch', 'v1', 'Job', 'jobs', { categories: ['all'] }),
  grouped('batch', 'v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
  }),
  grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
  }),
  grouped('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
    hasStatus: false,
  }),
  // admissionregistration.k8s.io/v1 (GA in Kubernetes 1.30): the Gateway API
  // standard-install bundle holds a policy and its binding. Stored and
  // served; their CEL is not evaluated.
  grouped(
    'admissionregistration.k8s.io',
    'v1',
    'ValidatingAdmissionPolicy',
    'validatingadmissionpolicies',
    { namespaced: false },
  ),
  grouped(
    'admissionregistration.k8s.io',
    'v1',
    'ValidatingAdmissionPolicyBinding',
    'validatingadmissionpolicybindings',
    { namespaced: false, hasStatus: false },
  ),
  grouped(
    'apiextensions.k8s.io',
    'v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    { namespaced: false, shortNames: ['crd', 'crds'] },
  ),
];

/** The parts of a CustomResourceDefinition the API server reads. */
export interface CrdLike {
  spec?: {
    group?: string;
    scope?: string;
    names?: {
      kind?: string;
      plural?: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions?: Array<{
      name?: string;
      served?: boolean;
      subresources?: { status?: unknown; scale?: ScaleSubresource };
      schema?: { openAPIV3Schema?: StructuralSchema };
      additionalPrinterColumns?: PrinterColumn[];
    }>;
  };
}

/** The resource types one CRD serves (one per served version). */
export function resourcesFromCrd(crd: CrdLike): ResourceType[] {
  const spec = crd.spec;
  const names = spec?.names;
  if (!spec?.group || !names?.kind || !names.plural) {
    return [];
  }
  return (spec.versions ?? [])
    .filter(v => v.name && v.served !== false)
    .map(v => ({
      group: spec.group!,
      version: v.name!,
      kind: names.kind!,
      plural: names.plural!,
      singular: names.singular ?? names.kind!.toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames,
      categories: names.categories,
      hasStatus: Boolean(v.subresources?.status),
      scale: v.subresources?.scale,
      nameRule: 'dns1123-subdomain' as const,
      custom: true,
      schema: v.schema?.openAPIV3Schema,
      printerColumns: v.additionalPrinterColumns,
    }));
}
