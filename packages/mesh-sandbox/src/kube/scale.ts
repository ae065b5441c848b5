import { badRequest, staleConflict, unsupportedMediaType } from './errors';
import { evaluateJsonPath } from './jsonpath';
import { jsonPatch, mergePatch } from './patch';
import { ResourceType } from './resources';
import { isPlainObject, KubeObject } from './types';

/**
 * The `/scale` subresource as an `autoscaling/v1` Scale, which `kubectl
 * scale` reads and merge-patches: kubernetes `pkg/registry/apps/deployment`
 * (and replicaset, statefulset) `storage.go` ScaleREST for the built-in
 * workloads, apiextensions-apiserver `pkg/registry/customresource`
 * `ScaleREST` for CRDs with `subresources.scale` (`specReplicasPath`,
 * `statusReplicasPath`, `labelSelectorPath`).
 */

function selectorString(selector: unknown): string | undefined {
  if (typeof selector === 'string') return selector;
  if (!isPlainObject(selector)) return undefined;
  const parts = Object.entries(
    isPlainObject(selector.matchLabels) ? selector.matchLabels : {},
  ).map(([k, v]) => `${k}=${v}`);
  for (const e of (selector.matchExpressions as any[]) ?? []) {
    const values = ((e.values as string[]) ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The Scale view of an object. */
export function scaleOf(type: ResourceType, object: KubeObject) {
  const scale = type.scale!;
  const first = (path: string | undefined) =>
    path ? evaluateJsonPath(object, path)[0] : undefined;
  const specReplicas = first(scale.specReplicasPath);
  const statusReplicas = first(scale.statusReplicasPath);
  const selector = selectorString(first(scale.labelSelectorPath));
  const { name, namespace, uid, resourceVersion, creationTimestamp } =
    object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 1 },
    status: {
      replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
      ...(selector ? { selector } : {}),
    },
  };
}

function setPath(object: Record<string, any>, path: string, value: unknown) {
  const keys = path.replace(/^\./, '').split('.');
  let current = object;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(current[key])) current[key] = {};
    current = current[key];
  }
  current[keys[keys.length - 1]] = value;
}

/**
 * The object with the replicas a Scale (PUT body, or the result of a
 * patch against the current Scale) asks for. Throws 409 on a stale
 * resourceVersion, 400 for a Scale without a whole number of replicas.
 */
export function applyScale(
  type: ResourceType,
  current: KubeObject,
  input: { body?: unknown; patch?: string; contentType?: string },
): KubeObject {
  let scale: unknown;
  if (input.patch !== undefined) {
    const patchType = (input.contentType ?? '').split(';')[0].trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.patch);
    } catch (error) {
      throw badRequest(
        `invalid JSON in the patch: ${(error as Error).message}`,
      );
    }
    const base = scaleOf(type, current);
    if (patchType === 'application/json-patch+json') {
      scale = jsonPatch(base, parsed);
    } else if (
      patchType === 'application/merge-patch+json' ||
      patchType === 'application/strategic-merge-patch+json'
    ) {
      scale = mergePatch(base, parsed);
    } else {
      throw unsupportedMediaType(input.contentType ?? '');
    }
  } else {
    scale = input.body;
  }
  if (!isPlainObject(scale)) throw badRequest('the Scale must be an object');
  const precondition = scale.metadata?.resourceVersion;
  if (precondition && precondition !== current.metadata.resourceVersion) {
    throw staleConflict({
      group: type.group,
      kind: type.plural,
      name: current.metadata.name,
    });
  }
  const replicas = scale.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(
      `spec.replicas: Invalid value: ${JSON.stringify(
        replicas,
      )}: must be a non-negative integer`,
    );
  }
  const next = structuredClone(current);
  setPath(next, type.scale!.specReplicasPath, replicas);
  return next;
}
