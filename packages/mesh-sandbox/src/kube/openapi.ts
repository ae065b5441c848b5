import { createHash } from 'node:crypto';
import { ResourceRegistry } from './registry';
import { apiVersionOf, ResourceType } from './resources';
import { StructuralSchema } from './schema';

/**
 * OpenAPI v3 discovery, the documents kubectl reads before it writes:
 * `GET /openapi/v3` lists one document per group-version
 * (`{"paths": {"apis/<group>/<version>": {"serverRelativeURL": ...}}}`,
 * kube-openapi `pkg/handler3`), and `GET /openapi/v3/apis/<group>/<version>`
 * returns it. kubectl's default `--validate=strict` asks each document
 * whether the PATCH operation of the object's kind (matched by
 * `x-kubernetes-group-version-kind`) takes the `fieldValidation` query
 * parameter (cli-runtime `pkg/resource/query_param_verifier_v3.go`); when it
 * does, kubectl sends `fieldValidation=Strict` and leaves the checking to the
 * server instead of validating on the client against `/openapi/v2`.
 *
 * Custom kinds carry their CRD schema (named like kube-apiserver names them:
 * the group reversed, then version and kind, e.g.
 * `io.k8s.networking.gateway.v1.Gateway`). Built-in kinds carry their paths
 * and parameters but no schema, and their PATCH request bodies do not list
 * the strategic-merge content type, so kubectl computes strategic patches from
 * its compiled-in types (kubectl `pkg/cmd/apply/patcher.go`
 * `gvkSupportsPatchOpenAPIV3`) rather than from a schema the sandbox lacks.
 */

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

/** The component schema name kube-apiserver uses for a kind. */
export function definitionName(type: ResourceType): string {
  if (!type.group) return `io.k8s.api.core.${type.version}.${type.kind}`;
  if (type.custom) {
    return `${reversedGroup(type.group)}.${type.version}.${type.kind}`;
  }
  const short = type.group.replace(/\.k8s\.io$/, '');
  return `io.k8s.api.${short}.${type.version}.${type.kind}`;
}

function queryParam(name: string, description: string, type = 'string') {
  return {
    name,
    in: 'query',
    description,
    schema: { type, uniqueItems: true },
  };
}

const WRITE_PARAMS = [
  queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
];

function pathParam(name: string) {
  return {
    name,
    in: 'path',
    required: true,
    description:
      name === 'namespace'
        ? 'object name and auth scope, such as for teams and projects'
        : 'name of the resource',
    schema: { type: 'string', uniqueItems: true },
  };
}

function json(ref: string) {
  return { schema: { $ref: `#/components/schemas/${ref}` } };
}

function operations(t: ResourceType, kindRef: string, subresource?: string) {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const ok = {
    '200': {
      description: 'OK',
      content: { 'application/json': json(kindRef) },
    },
  };
  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/apply-patch+yaml',
  ];
  const action = (verb: string, extra: Record<string, unknown> = {}) => ({
    operationId: `${verb}${t.kind}${subresource ? 'Status' : ''}`,
    responses: ok,
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  return {
    get: action('get'),
    put: action('put', {
      parameters: WRITE_PARAMS,
      requestBody: { content: { '*/*': json(kindRef) }, required: true },
    }),
    patch: action('patch', {
      parameters: [
        ...WRITE_PARAMS,
        queryParam(
          'force',
          'Force is going to "force" Apply requests.',
          'boolean',
        ),
      ],
      requestBody: {
        content: Object.fromEntries(patchTypes.map(p => [p, json(PATCH)])),
        required: true,
      },
    }),
    ...(subresource
      ? {}
      : { delete: action('delete', { parameters: WRITE_PARAMS.slice(0, 1) }) }),
  };
}

function basePath(t: ResourceType) {
  return t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
}

function pathsFor(t: ResourceType, kindRef: string) {
  const prefix = t.namespaced
    ? `${basePath(t)}/namespaces/{namespace}/${t.plural}`
    : `${basePath(t)}/${t.plural}`;
  const scope = t.namespaced ? [pathParam('namespace')] : [];
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const paths: Record<string, unknown> = {
    [prefix]: {
      get: {
        operationId: `list${t.kind}`,
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk,
      },
      post: {
        operationId: `create${t.kind}`,
        parameters: WRITE_PARAMS,
        requestBody: { content: { '*/*': json(kindRef) }, required: true },
        responses: { '201': { description: 'Created' } },
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
      },
      parameters: scope,
    },
    [`${prefix}/{name}`]: {
      ...operations(t, kindRef),
      parameters: [pathParam('name'), ...scope],
    },
  };
  if (t.hasStatus) {
    paths[`${prefix}/{name}/status`] = {
      ...operations(t, kindRef, 'status'),
      parameters: [pathParam('name'), ...scope],
    };
  }
  return paths;
}

function customSchema(t: ResourceType): StructuralSchema {
  const schema = structuredClone(t.schema ?? { type: 'object' });
  return {
    ...schema,
    type: 'object',
    properties: {
      ...(schema.properties ?? {}),
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }] },
    },
    'x-kubernetes-group-version-kind': [
      { group: t.group, version: t.version, kind: t.kind },
    ],
  };
}

/** The OpenAPI v3 document of one group-version, or undefined when not served. */
export function groupVersionDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const types = registry
    .all()
    .filter(t => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const schemas: Record<string, unknown> = {
    [OBJECT_META]: {
      description:
        'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    [PATCH]: {
      description:
        'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
    [STATUS]: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  };
  let paths: Record<string, unknown> = {};
  for (const t of types) {
    const ref = definitionName(t);
    if (t.custom) schemas[ref] = customSchema(t);
    else
      schemas[ref] = {
        description: `${t.kind} (${apiVersionOf(
          t,
        )}); the sandbox does not publish the schemas of built-in kinds`,
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-group-version-kind': [
          { group: t.group, version: t.version, kind: t.kind },
        ],
      };
    paths = { ...paths, ...pathsFor(t, ref) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas },
  };
}

function hashOf(document: unknown): string {
  return createHash('sha512')
    .update(JSON.stringify(document))
    .digest('hex')
    .toUpperCase();
}

/** `GET /openapi/v3`: one entry per served group-version, with a content hash. */
export function openApiV3Discovery(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const t of registry.all()) {
    const key = t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const document = groupVersionDocument(registry, t.group, t.version);
    paths[key] = {
      serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(document)}`,
    };
  }
  return { paths };
}

/** Parses `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`. */
export function parseOpenApiPath(
  pathname: string,
): { group: string; version: string } | 'root' | undefined {
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return 'root';
  const core = /^\/openapi\/v3\/api\/([^/]+)$/.exec(pathname);
  if (core) return { group: '', version: core[1] };
  const grouped = /^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (grouped) return { group: grouped[1], version: grouped[2] };
  return undefined;
}
