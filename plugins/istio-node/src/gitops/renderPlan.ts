import { stringify } from 'yaml';
import {
  OnboardingPlan,
  PlannedChange,
  describeObject,
  planWrites,
  refOf,
} from '@ambient-mesh/plugin-istio-common';

/**
 * The directory of cluster-scoped objects other than Namespaces. The leading
 * underscore keeps it apart from every namespace (not a DNS-1123 label).
 *
 * @public
 */
export const CLUSTER_SCOPED_DIRECTORY = '_cluster';

/** The root directory of rendered plans in a repository. @public */
export const GITOPS_ROOT_DIRECTORY = 'istio';

/**
 * One file of a rendered plan.
 *
 * @public
 */
export interface RenderedFile {
  /** Path relative to the workspace, e.g. `istio/prod/reporting/gateway-waypoint.yaml`. */
  path: string;
  /** YAML of exactly one object. */
  content: string;
  /** The object, as apply mode would send it. */
  object: PlannedChange['object'];
}

/**
 * A plan rendered as files for a pull request.
 *
 * @public
 */
export interface RenderedPlan {
  /** Files to write, in plan order (one object per file). */
  files: RenderedFile[];
  /** Files to remove (objects the plan deletes), in plan order. */
  removed: string[];
  /** Steps a file cannot express (waits), for the pull request's description. */
  notes: string[];
}

// Fields the API server sets; never part of what we apply
const SERVER_MANAGED_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/**
 * The object without server-managed fields (metadata.uid, resourceVersion, managedFields, status...).
 *
 * @public
 */
export function stripServerFields(
  object: PlannedChange['object'],
): PlannedChange['object'] {
  const { status: _status, metadata, ...rest } = object;
  const cleanMetadata: Record<string, any> = { ...metadata };
  for (const key of SERVER_MANAGED_METADATA) delete cleanMetadata[key];
  return { ...rest, metadata: cleanMetadata } as PlannedChange['object'];
}

const fileSafe = (value: string) =>
  value.toLowerCase().replace(/[^a-z0-9.-]/g, '-');

/**
 * Where an object's file lives: `istio/<cluster>/<namespace>/<kind>-<name>.yaml`;
 * a Namespace in its own directory, other cluster-scoped objects under
 * `_cluster`. Stable: the same object always gets the same path.
 *
 * @public
 */
export function gitopsPathOf(
  cluster: string,
  object: { kind: string; metadata: { name?: string; namespace?: string } },
): string {
  const name = object.metadata.name ?? '';
  const directory =
    object.kind === 'Namespace'
      ? name
      : object.metadata.namespace ?? CLUSTER_SCOPED_DIRECTORY;
  return [
    GITOPS_ROOT_DIRECTORY,
    fileSafe(cluster),
    directory,
    `${fileSafe(object.kind)}-${fileSafe(name)}.yaml`,
  ].join('/');
}

// Code-unit order, independent of locale
const compareKeys = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

// Keys in a fixed order at every level: the same object gives the same bytes
function sortKeys(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.map(v => sortKeys(v));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    const rank = (key: string) => {
      const order = ['apiVersion', 'kind', 'metadata', 'spec'];
      const index = top ? order.indexOf(key) : -1;
      return index === -1 ? order.length : index;
    };
    entries.sort(([a], [b]) => rank(a) - rank(b) || compareKeys(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/**
 * The YAML of one object: sorted keys, no anchors, LF line ends.
 *
 * @public
 */
export function renderObjectYaml(object: PlannedChange['object']): string {
  return stringify(sortKeys(object, true), {
    aliasDuplicateObjects: false,
    lineWidth: 0,
    sortMapEntries: false,
  });
}

/**
 * Renders a plan as files: exactly the objects apply mode would send
 * (server-side apply bodies, server-managed fields stripped), one object per
 * file. An object applied twice in one plan (e.g. a Namespace labelled again
 * once its waypoint is ready) ends as the last body applied, which is what
 * server-side apply with one field manager leaves owned. Pure: the same plan
 * gives byte-identical files.
 *
 * @public
 */
export function renderPlanFiles(plan: OnboardingPlan): RenderedPlan {
  const byPath = new Map<string, RenderedFile>();
  const order: string[] = [];
  const removed: string[] = [];
  for (const change of planWrites(plan)) {
    const path = gitopsPathOf(plan.cluster, change.object);
    if (change.operation === 'delete') {
      byPath.delete(path);
      if (!removed.includes(path)) removed.push(path);
      continue;
    }
    const object = stripServerFields(change.object);
    if (!byPath.has(path)) order.push(path);
    const index = removed.indexOf(path);
    if (index !== -1) removed.splice(index, 1);
    byPath.set(path, { path, object, content: renderObjectYaml(object) });
  }
  const notes = plan.steps
    .filter(step => step.operation === 'waitForWaypoint')
    .map(step =>
      step.operation === 'waitForWaypoint'
        ? `After sync, ${describeObject(
            step.gateway,
          )} must become Programmed (${step.reason})`
        : '',
    );
  return {
    files: order.filter(p => byPath.has(p)).map(p => byPath.get(p)!),
    removed,
    notes,
  };
}

/** The ref of a rendered file's object, e.g. for outputs. @public */
export const renderedRef = (file: RenderedFile) => refOf(file.object as any);
