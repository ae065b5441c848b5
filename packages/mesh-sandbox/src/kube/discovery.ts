import { ResourceRegistry } from './registry';
import { ResourceType } from './resources';

const READ_VERBS = ['get', 'list', 'watch'];
const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** `GET /version`. */
export function versionInfo() {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.0-mesh-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `GET /api`. */
export function coreApiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: { name: string; versions: string[] }) {
  const versions = group.versions.map(version => ({
    groupVersion: `${group.name}/${version}`,
    version,
  }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

/** `GET /apis`. */
export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(groupEntry),
  };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(registry: ResourceRegistry, name: string) {
  const group = registry.groups().find(g => g.name === name);
  return group
    ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) }
    : undefined;
}

function resourceEntries(type: ResourceType) {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: ALL_VERBS,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    // kubectl expands `kubectl get all` / `kubectl get <category>` from these
    // (client-go discovery, restmapper CategoryExpander).
    ...(type.categories ? { categories: type.categories } : {}),
  };
  const entries: Array<Record<string, unknown>> = [main];
  if (type.hasStatus) {
    entries.push({
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (type.scale) {
    entries.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return entries;
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const types = registry
    .all()
    .filter(t => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}

/** Verbs a read-only user may use. */
export function isReadVerb(verb: string): boolean {
  return READ_VERBS.includes(verb);
}
