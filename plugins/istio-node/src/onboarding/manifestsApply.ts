import { InputError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';
import {
  FIELD_MANAGER,
  ObjectRef,
  OnboardingPlan,
  PlanStep,
  describeObject,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import { containsDesired } from './compare';
import { planApply } from './planApply';
import { assertNotProtected } from './protectedNamespaces';
import { ClusterState, KubeObject, lookup, onlyManager } from './state';

/**
 * The kinds `istio:manifests:apply` applies: a service's own namespaced
 * workload objects (Kubernetes 1.33 built-in API groups). Namespaces come
 * from `istio:namespace:onboard`; RBAC, Secrets, webhooks and every
 * cluster-scoped kind stay with platform tooling.
 *
 * @public
 */
export const MANIFEST_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
}> = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
];

/** One manifest file (path relative to the workspace, for messages). @public */
export interface ManifestFile {
  path: string;
  text: string;
}

/**
 * Parses YAML manifests (several documents per file; empty documents and
 * `List` wrappers are allowed) into objects, each with a namespace: its own
 * or `defaultNamespace`. A document that is no allowed object is an
 * InputError naming the file, the document and the fix. Pure.
 *
 * @public
 */
export function parseManifests(
  files: ManifestFile[],
  defaultNamespace?: string,
): KubeObject[] {
  const objects: KubeObject[] = [];
  const seen = new Set<string>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const documents = parseAllDocuments(file.text);
    const list = Array.isArray(documents) ? documents : [documents];
    list.forEach((document, index) => {
      const where = `${file.path} (document ${index + 1})`;
      if (document.errors.length) {
        throw new InputError(
          `${where} is not valid YAML: ${document.errors[0].message}`,
        );
      }
      let value: any;
      try {
        value = document.toJSON();
      } catch (error) {
        // e.g. the yaml library's limit on aliases (a "billion laughs" document)
        throw new InputError(
          `${where} is not valid YAML: ${(error as Error).message}`,
        );
      }
      if (value === null || value === undefined) return;
      const items =
        value?.kind === 'List' && Array.isArray(value.items)
          ? value.items
          : [value];
      for (const item of items) {
        const object = checkManifest(item, where, defaultNamespace);
        const id = describeObject(refOf(object as any));
        if (seen.has(id)) {
          throw new InputError(
            `${where}: ${id} is defined twice; keep one definition`,
          );
        }
        seen.add(id);
        objects.push(object);
      }
    });
  }
  return objects;
}

function checkManifest(
  item: any,
  where: string,
  defaultNamespace?: string,
): KubeObject {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError(`${where} is not a Kubernetes object`);
  }
  const { apiVersion, kind } = item;
  const name = item.metadata?.name;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new InputError(`${where} has no apiVersion and kind`);
  }
  if (typeof name !== 'string' || !name) {
    throw new InputError(`${where}: ${kind} has no metadata.name`);
  }
  if (
    !MANIFEST_KINDS.some(k => k.apiVersion === apiVersion && k.kind === kind)
  ) {
    throw new InputError(
      `${where}: ${apiVersion} ${kind} "${name}" is not applied by istio:manifests:apply (allowed: ${MANIFEST_KINDS.map(
        k => `${k.apiVersion} ${k.kind}`,
      ).join(
        ', ',
      )}); the namespace and its mesh objects come from istio:namespace:onboard, anything else from your platform team`,
    );
  }
  const namespace = item.metadata.namespace ?? defaultNamespace;
  if (typeof namespace !== 'string' || !namespace) {
    throw new InputError(
      `${where}: ${kind} "${name}" has no metadata.namespace; set it, or give the action a "namespace"`,
    );
  }
  const {
    managedFields: _m,
    resourceVersion: _r,
    uid: _u,
    ...metadata
  } = item.metadata;
  const { status: _status, ...rest } = item;
  return { ...rest, metadata: { ...metadata, namespace } } as KubeObject;
}

/** The objects a manifests plan reads. @public */
export function manifestsReads(objects: KubeObject[]): ObjectRef[] {
  return objects.map(o => refOf(o as any));
}

/** A request of `istio:manifests:apply`. @public */
export interface ManifestsApplyRequest {
  objects: KubeObject[];
  /** Take over objects that other field managers own (server-side apply with force). */
  overwrite?: boolean;
}

/**
 * Plans the apply of a service's manifests: refuses protected namespaces,
 * and objects that exist with fields owned by another field manager (kubectl,
 * Argo CD, Helm, another team's tooling) unless `overwrite`; unchanged
 * objects are not written. Pure.
 *
 * @public
 */
export function planManifestsApply(
  request: ManifestsApplyRequest,
  state: ClusterState,
  options: { cluster: string; protectedNamespaces?: readonly string[] },
): OnboardingPlan {
  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  const warnings: string[] = [];
  const foreign: string[] = [];
  for (const object of request.objects) {
    const ref = refOf(object as any);
    assertNotProtected(ref.namespace ?? '', options.protectedNamespaces);
    const current = lookup(state, ref);
    if (current && containsDesired(current, object)) {
      // Already as the manifest says: nothing is written, whoever owns it
      unchanged.push(ref);
      continue;
    }
    const others = current && !onlyManager(current, FIELD_MANAGER);
    if (others && !request.overwrite) {
      foreign.push(
        `${describeObject(ref)} (managed by ${
          managersOf(current).join(', ') || 'unknown'
        })`,
      );
      continue;
    }
    if (others) {
      warnings.push(
        `${describeObject(ref)} is taken over from ${managersOf(current).join(
          ', ',
        )} (overwrite)`,
      );
    }
    const decision = planApply(
      {
        object,
        purpose: "the service's manifest",
        ...(others ? { force: true } : {}),
      },
      state,
    );
    if (decision.change) steps.push(decision.change);
    else unchanged.push(decision.unchanged);
  }
  if (foreign.length) {
    throw new InputError(
      `These objects exist and are managed by someone else, so they are left alone: ${foreign.join(
        '; ',
      )}. Rename yours, or set overwrite: true to take them over`,
    );
  }
  const namespaces = [
    ...new Set(request.objects.map(o => o.metadata.namespace!)),
  ].sort();
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions: namespaces.map(ns => `namespace ${ns} exists`),
    warnings,
  };
}

function managersOf(object: KubeObject): string[] {
  return [
    ...new Set(
      (object.metadata.managedFields ?? [])
        .filter(e => !e.subresource && e.manager !== FIELD_MANAGER)
        .map(e => e.manager ?? 'unknown'),
    ),
  ];
}
