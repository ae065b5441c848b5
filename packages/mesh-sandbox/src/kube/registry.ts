import {
  apiVersionOf,
  BUILTIN_RESOURCES,
  CrdLike,
  ResourceType,
  resourcesFromCrd,
} from './resources';
import { ObjectStore, resourceKey } from './store';

const CRD_KEY = resourceKey(
  'apiextensions.k8s.io',
  'customresourcedefinitions',
);

/**
 * Which resource types are served right now: the built-in kinds plus one per
 * served version of every CustomResourceDefinition in the store. Deleting a
 * CRD stops serving its kind, as on a real cluster.
 */
export class ResourceRegistry {
  private cache: ResourceType[] | undefined;

  constructor(private readonly store: ObjectStore) {
    store.subscribe(event => {
      if (event.resource === CRD_KEY) this.cache = undefined;
    });
  }

  /** Every served type, built-ins first. */
  all(): ResourceType[] {
    if (!this.cache) {
      const custom = this.store
        .list(CRD_KEY)
        .flatMap(crd => resourcesFromCrd(crd as CrdLike));
      this.cache = [...BUILTIN_RESOURCES, ...custom];
    }
    return this.cache;
  }

  /** The type served at `/apis/<group>/<version>/<plural>`, if any. */
  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.all().find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** The type for an object's `apiVersion` and `kind`, if served. */
  forObject(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find(
      t => apiVersionOf(t) === apiVersion && t.kind === kind,
    );
  }

  /** Served API groups (without the core group), each with its versions. */
  groups(): Array<{ name: string; versions: string[] }> {
    const groups = new Map<string, string[]>();
    for (const type of this.all()) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({
      name,
      versions: versions.sort(compareVersions),
    }));
  }
}

/** Orders Kubernetes versions newest first: v1 > v1beta1 > v1alpha1. */
function compareVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return 0;
    const stages: Record<string, number> = { alpha: 0, beta: 1 };
    const stage = m[2] ? stages[m[2]] : 2;
    return Number(m[1]) * 10000 + stage * 1000 + Number(m[3] ?? 0);
  };
  return rank(b) - rank(a);
}
