import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import {
  alreadyExists,
  badRequest,
  invalid,
  KubeApiError,
  notFound,
  staleConflict,
  unsupportedMediaType,
} from './errors';
import { applyCreateDefaults, crdStatus } from './defaults';
import { recordUpdate, serverSideApply, describeField } from './managedFields';
import { jsonPatch, mergePatch } from './patch';
import { ResourcePath } from './paths';
import { apiVersionOf, ResourceType } from './resources';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { ObjectStore, resourceKey, rfc3339 } from './store';
import { isPlainObject, KubeObject } from './types';
import { validateObject } from './validation';
import { applyScale, scaleOf } from './scale';
import {
  applySchemaDefaults,
  pruneUnknownFields,
  validateAgainstSchema,
} from './schema';

/**
 * Prunes and defaults a custom resource by its version's structural schema,
 * as kube-apiserver does when it decodes one (apiextensions-apiserver
 * `pkg/apiserver/schema/pruning`, `.../schema/defaulting`). The unknown
 * fields are reported per `fieldValidation` (apiserver
 * `pkg/endpoints/handlers/rest.go`, KEP-2885): `Strict` fails with 400
 * `strict decoding error: unknown field "<path>"`, `Warn` (the default) sends
 * one `Warning` header per field, `Ignore` drops them silently.
 */
export function pruneCustomResource(
  request: Pick<VerbRequest, 'type' | 'query' | 'warnings'>,
  object: KubeObject,
  defaults = true,
): void {
  const { type } = request;
  if (!type.custom || !type.schema) return;
  const unknown = pruneUnknownFields(object, type.schema);
  if (defaults) {
    applySchemaDefaults(object, type.schema);
    // Defaulted objects are complete: their values are checked too.
    const violations = validateAgainstSchema(object, type.schema);
    if (violations.length > 0) {
      throw invalid(
        {
          kindName: `${type.kind}.${type.group}`,
          name: object.metadata?.name,
          group: type.group,
        },
        violations,
      );
    }
  }
  if (unknown.length === 0) return;
  const directive = request.query.get('fieldValidation') ?? 'Warn';
  if (directive === 'Strict') {
    throw badRequest(
      `strict decoding error: ${unknown
        .map(f => `unknown field "${f}"`)
        .join(', ')}`,
    );
  }
  if (directive === 'Warn' && request.warnings) {
    request.warnings.push(...unknown.map(f => `unknown field "${f}"`));
  }
}

/** Everything a verb handler needs to know about one request. */
export interface VerbRequest {
  type: ResourceType;
  path: ResourcePath;
  query: URLSearchParams;
  /** Field manager for writes (query `fieldManager`, else from the User-Agent). */
  manager: string;
  dryRun: boolean;
  /** `Warning` headers to send with the response (RFC 7234 code 299). */
  warnings?: string[];
}

const APPLY = 'application/apply-patch+yaml';
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  APPLY,
];

function subject(type: ResourceType, name?: string) {
  return { group: type.group, kind: type.plural, name };
}

function key(type: ResourceType) {
  return resourceKey(type.group, type.plural);
}

/** Everything but metadata and status: a change here bumps `generation`. */
function specOf(object: KubeObject): string {
  const { metadata, status, ...rest } = object;
  return JSON.stringify(rest);
}

function encodeContinue(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeContinue(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (typeof offset === 'number' && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw badRequest(`invalid continue token "${token}"`);
}

/**
 * The API server's verbs on the in-memory store, independent of HTTP:
 * get, list, create, update, patch (json, merge, strategic, apply), delete.
 * Every write keeps `managedFields`, honours `dryRun` and checks
 * `resourceVersion` preconditions.
 */
export class VerbHandlers {
  constructor(private readonly store: ObjectStore) {}

  /** The objects a list or watch would return, with the selectors applied. */
  selected(request: VerbRequest): KubeObject[] {
    const labels = parseLabelSelector(request.query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(request.query.get('fieldSelector') ?? '');
    return this.store
      .list(key(request.type), request.path.namespace)
      .filter(o => matchesLabels(labels, o.metadata.labels))
      .filter(o => matchesFields(fields, o))
      .map(o => this.asVersion(request.type, o));
  }

  /** Sets the apiVersion the client asked for (CRDs may serve several). */
  asVersion(type: ResourceType, object: KubeObject): KubeObject {
    // The store keeps milliseconds (its controllers time delays by them);
    // on the wire metav1.Time is RFC 3339 with whole seconds
    // (apimachinery pkg/apis/meta/v1/time.go MarshalJSON).
    const metadata = { ...object.metadata };
    for (const field of ['creationTimestamp', 'deletionTimestamp'] as const) {
      if (metadata[field]) metadata[field] = rfc3339(metadata[field]!);
    }
    return { ...object, apiVersion: apiVersionOf(type), metadata };
  }

  get(request: VerbRequest): KubeObject {
    return this.asVersion(request.type, this.existing(request));
  }

  list(request: VerbRequest) {
    const all = this.selected(request);
    const limit = Number(request.query.get('limit') ?? 0);
    const token = request.query.get('continue');
    const offset = token ? decodeContinue(token) : 0;
    const end = limit > 0 ? offset + limit : all.length;
    const items = all.slice(offset, end);
    const more = end < all.length;
    return {
      apiVersion: apiVersionOf(request.type),
      kind: `${request.type.kind}List`,
      metadata: {
        resourceVersion: this.store.currentVersion(),
        ...(more
          ? {
              continue: encodeContinue(end),
              remainingItemCount: all.length - end,
            }
          : {}),
      },
      items,
    };
  }

  create(request: VerbRequest, body: unknown): KubeObject {
    const { type, path } = request;
    if (path.subresource) {
      throw badRequest(`cannot create the ${path.subresource} subresource`);
    }
    const object = this.normalizeBody(request, body);
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name =
        object.metadata.generateName +
        randomBytes(4).toString('hex').slice(0, 5);
    }
    pruneCustomResource(request, object);
    validateObject(type, object);
    this.requireNamespace(type, object.metadata.namespace);
    if (
      this.store.get(key(type), object.metadata.namespace, object.metadata.name)
    ) {
      throw alreadyExists(subject(type, object.metadata.name));
    }
    for (const field of [
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'managedFields',
    ] as const) {
      delete object.metadata[field];
    }
    if (type.hasStatus) delete object.status;
    applyCreateDefaults(type, object);
    const recorded = recordUpdate({
      before: undefined,
      after: object,
      manager: request.manager,
      skipStatus: type.hasStatus,
    });
    return this.commitCreate(request, recorded);
  }

  update(request: VerbRequest, body: unknown): KubeObject {
    const current = this.existing(request);
    const incoming = this.normalizeBody(request, body);
    pruneCustomResource(request, incoming);
    if (incoming.metadata.name !== request.path.name) {
      throw badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${request.path.name})`,
      );
    }
    return this.commitUpdate(request, current, incoming);
  }

  patch(
    request: VerbRequest,
    rawBody: string,
    contentType: string,
  ): KubeObject {
    const patchType = contentType.split(';')[0].trim();
    if (!PATCH_TYPES.includes(patchType)) {
      throw unsupportedMediaType(contentType);
    }
    if (patchType === APPLY) {
      return this.apply(request, rawBody);
    }
    if (request.query.get('force') !== null) {
      throw badRequest('force is only allowed for apply patches');
    }
    const current = this.existing(request);
    const patch = parseJson(rawBody);
    const patched =
      patchType === 'application/json-patch+json'
        ? jsonPatch(current, patch)
        : mergePatch(current, patch);
    if (!isPlainObject(patched)) {
      throw badRequest('the patch did not produce an object');
    }
    const next = patched as KubeObject;
    pruneCustomResource(request, next);
    const precondition = next.metadata?.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) {
      throw staleConflict(subject(request.type, request.path.name));
    }
    next.metadata = {
      ...next.metadata,
      resourceVersion: current.metadata.resourceVersion,
    };
    return this.commitUpdate(request, current, next);
  }

  /** `GET .../<name>/scale`. */
  getScale(request: VerbRequest) {
    return scaleOf(
      request.type,
      this.asVersion(request.type, this.existing(request)),
    );
  }

  /** `PUT` or `PATCH .../<name>/scale`: sets the object's replicas. */
  writeScale(
    request: VerbRequest,
    input: { body?: unknown; patch?: string; contentType?: string },
  ) {
    const current = this.existing(request);
    const next = applyScale(request.type, current, input);
    const main: VerbRequest = {
      ...request,
      path: { ...request.path, subresource: undefined },
    };
    // commitUpdate answers with the object as clients see it (asVersion).
    return scaleOf(request.type, this.commitUpdate(main, current, next));
  }

  delete(request: VerbRequest, options?: unknown): KubeObject {
    const current = this.existing(request);
    if (request.path.subresource) {
      throw badRequest(
        `cannot delete the ${request.path.subresource} subresource`,
      );
    }
    checkDeletePreconditions(request, current, options);
    if (request.type.kind === 'Namespace' && request.type.group === '') {
      // The namespace lifecycle (kubernetes pkg/registry/core/namespace
      // storage Delete, pkg/controller/namespace): first the namespace is
      // marked Terminating (a MODIFIED event), then its contents go, then
      // the namespace itself. The sandbox does all three at once.
      current.status = { ...(current.status as object), phase: 'Terminating' };
      current.metadata.deletionTimestamp = new Date().toISOString();
      if (!request.dryRun) {
        this.store.update(key(request.type), structuredClone(current));
      }
    }
    if (!request.dryRun) {
      this.store.delete(
        key(request.type),
        current.metadata.namespace,
        current.metadata.name,
      );
    }
    return this.asVersion(request.type, current);
  }

  deleteCollection(request: VerbRequest) {
    const doomed = this.selected(request);
    if (!request.dryRun) {
      for (const object of doomed) {
        this.store.delete(
          key(request.type),
          object.metadata.namespace,
          object.metadata.name,
        );
      }
    }
    return {
      apiVersion: apiVersionOf(request.type),
      kind: `${request.type.kind}List`,
      metadata: { resourceVersion: this.store.currentVersion() },
      items: doomed,
    };
  }

  private apply(request: VerbRequest, rawBody: string): KubeObject {
    const { type, path, query } = request;
    if (!query.get('fieldManager')) {
      throw badRequest(
        'PATCH, PUT, or POST requests with apply-patch content type must have a fieldManager query parameter',
      );
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(rawBody);
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
    const applied = this.normalizeBody(request, parsed);
    // The applied configuration is pruned but not defaulted: defaults are
    // filled into the merged object, so no manager owns them.
    pruneCustomResource(request, applied, false);
    if (applied.metadata.name !== path.name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${path.name})`,
      );
    }
    const current = this.store.get(key(type), path.namespace, path.name!);
    const precondition = applied.metadata.resourceVersion;
    if (precondition && precondition !== current?.metadata.resourceVersion) {
      throw staleConflict(subject(type, path.name));
    }
    for (const field of [
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'managedFields',
    ] as const) {
      delete applied.metadata[field];
    }
    const onStatus = path.subresource === 'status';
    if (type.hasStatus && !onStatus) delete applied.status;
    const force = ['true', '1'].includes(query.get('force') ?? '');
    const result = serverSideApply({
      current,
      applied,
      manager: request.manager,
      force,
      skipStatus: type.hasStatus && !onStatus,
      subresource: onStatus ? 'status' : undefined,
    });
    if (!result.ok) {
      const causes = result.conflicts.map(c => ({
        type: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: describeField(c.field),
      }));
      const list = causes.map(c => `${c.message}: ${c.field}`).join('\n- ');
      const count = causes.length;
      throw new KubeApiError(
        409,
        'Conflict',
        `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${
          count === 1 ? '' : '\n- '
        }${list}`,
        { ...subject(type, path.name), causes },
      );
    }
    if (type.custom && type.schema) {
      applySchemaDefaults(result.object, type.schema);
      const violations = validateAgainstSchema(result.object, type.schema);
      if (violations.length > 0) {
        throw invalid(
          {
            kindName: `${type.kind}.${type.group}`,
            name: path.name,
            group: type.group,
          },
          violations,
        );
      }
    }
    if (!current) {
      if (onStatus) throw notFound(subject(type, path.name));
      validateObject(type, result.object);
      applyCreateDefaults(type, result.object);
      this.requireNamespace(type, result.object.metadata.namespace);
      return this.commitCreate(request, result.object);
    }
    return this.commitUpdate(request, current, result.object, true);
  }

  private commitCreate(request: VerbRequest, object: KubeObject): KubeObject {
    if (request.dryRun) {
      return this.asVersion(request.type, {
        ...object,
        metadata: {
          ...object.metadata,
          creationTimestamp: new Date().toISOString(),
          generation: 1,
        },
      });
    }
    return this.asVersion(
      request.type,
      this.store.create(key(request.type), object),
    );
  }

  private commitUpdate(
    request: VerbRequest,
    current: KubeObject,
    incoming: KubeObject,
    managedFieldsDone = false,
  ): KubeObject {
    const { type, path } = request;
    const precondition = incoming.metadata.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) {
      throw staleConflict(subject(type, path.name));
    }
    const onStatus = path.subresource === 'status';
    let next: KubeObject;
    if (onStatus) {
      next = { ...current, status: incoming.status };
    } else {
      next = { ...incoming };
      if (type.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
    }
    next.apiVersion = current.apiVersion;
    next.metadata = {
      ...(onStatus ? current.metadata : incoming.metadata),
      name: current.metadata.name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
      generation:
        (current.metadata.generation ?? 1) +
        (!onStatus && specOf(current) !== specOf(next) ? 1 : 0),
      managedFields: managedFieldsDone
        ? incoming.metadata.managedFields
        : current.metadata.managedFields,
    };
    if (!next.metadata.managedFields) delete next.metadata.managedFields;
    if (
      !onStatus &&
      type.group === 'apiextensions.k8s.io' &&
      type.kind === 'CustomResourceDefinition'
    ) {
      next.status = updatedCrdStatus(next, current);
    }
    validateObject(type, next);
    if (!managedFieldsDone) {
      next = recordUpdate({
        before: current,
        after: next,
        manager: request.manager,
        skipStatus: type.hasStatus && !onStatus,
        subresource: onStatus ? 'status' : undefined,
      });
    }
    if (sameIgnoringTimes(next, current)) {
      return this.asVersion(type, current);
    }
    if (request.dryRun) {
      return this.asVersion(type, next);
    }
    return this.asVersion(type, this.store.update(key(type), next));
  }

  private existing(request: VerbRequest): KubeObject {
    const { type, path } = request;
    const found = path.name
      ? this.store.get(key(type), path.namespace, path.name)
      : undefined;
    if (!found) throw notFound(subject(type, path.name));
    return found;
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined) {
    if (
      type.namespaced &&
      !this.store.get(resourceKey('', 'namespaces'), undefined, namespace ?? '')
    ) {
      throw notFound({ kind: 'namespaces', name: namespace, group: '' });
    }
  }

  /** Checks apiVersion/kind/namespace of a request body and fills what is implied. */
  private normalizeBody(request: VerbRequest, body: unknown): KubeObject {
    const { type, path } = request;
    if (!isPlainObject(body)) {
      throw badRequest('the request body must be a JSON object');
    }
    const object = structuredClone(body) as KubeObject;
    const apiVersion = apiVersionOf(type);
    if (object.kind && object.kind !== type.kind) {
      throw badRequest(
        `the kind of the object (${object.kind}) does not match the resource ${type.plural} (expected ${type.kind})`,
      );
    }
    if (
      object.apiVersion &&
      object.apiVersion.split('/')[0] !== apiVersion.split('/')[0] &&
      type.group
    ) {
      throw badRequest(
        `the API version of the object (${object.apiVersion}) does not match ${apiVersion}`,
      );
    }
    object.kind = type.kind;
    object.apiVersion = apiVersion;
    object.metadata = isPlainObject(object.metadata)
      ? object.metadata
      : ({} as any);
    if (type.namespaced) {
      if (
        object.metadata.namespace &&
        object.metadata.namespace !== path.namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = path.namespace;
    } else {
      delete object.metadata.namespace;
    }
    return object;
  }
}

/** True when two objects differ at most in managedFields timestamps (a no-op write). */
function sameIgnoringTimes(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) =>
    JSON.stringify({
      ...o,
      metadata: {
        ...o.metadata,
        managedFields: o.metadata.managedFields?.map(
          ({ time, ...rest }) => rest,
        ),
      },
    });
  return strip(a) === strip(b);
}

/**
 * DeleteOptions.preconditions (uid, resourceVersion): a mismatch is a 409
 * Conflict worded like kubernetes staging/src/k8s.io/apiserver/pkg/storage/
 * interfaces.go `Preconditions.Check` (v1.32).
 */
function checkDeletePreconditions(
  request: VerbRequest,
  current: KubeObject,
  options: unknown,
) {
  const preconditions = (options as { preconditions?: unknown } | undefined)
    ?.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (!preconditions) return;
  const fail = (message: string) =>
    new KubeApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${request.type.plural}${
        request.type.group ? `.${request.type.group}` : ''
      } "${current.metadata.name}": ${message}`,
      {
        kind: request.type.plural,
        group: request.type.group,
        name: current.metadata.name,
      },
    );
  if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
    throw fail(
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (
    preconditions.resourceVersion &&
    preconditions.resourceVersion !== current.metadata.resourceVersion
  ) {
    throw fail(
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}

/** Parses a JSON body, or throws 400. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(
      `invalid JSON in the request body: ${(error as Error).message}`,
    );
  }
}

/**
 * A CRD's status after a spec change: the new names are accepted and a new
 * storage version joins `storedVersions`, which keeps every version ever
 * stored (apiextensions-apiserver `pkg/registry/customresourcedefinition`
 * strategy, `pkg/controller/status/naming_controller.go`).
 */
function updatedCrdStatus(next: KubeObject, current: KubeObject) {
  const fresh = crdStatus(next);
  const before = (current.status ?? {}) as Record<string, any>;
  const stored: string[] = before.storedVersions ?? [];
  // apiextensions-apiserver pkg/apis/apiextensions/validation
  // ValidateCustomResourceDefinitionStoredVersions: a version that was ever
  // stored cannot leave spec.versions (storedVersions is pruned by hand).
  const versions = (((next.spec as any)?.versions ?? []) as any[]).map(
    v => v.name,
  );
  const missing = stored.findIndex(v => !versions.includes(v));
  if (missing >= 0) {
    throw invalid(
      {
        kindName: 'CustomResourceDefinition',
        name: next.metadata.name,
        group: 'apiextensions.k8s.io',
      },
      [
        {
          field: `status.storedVersions[${missing}]`,
          message: `Invalid value: "${stored[missing]}": must appear in spec.versions`,
        },
      ],
    );
  }
  return {
    ...before,
    acceptedNames: fresh.acceptedNames,
    conditions: before.conditions ?? fresh.conditions,
    storedVersions: [
      ...stored,
      ...fresh.storedVersions.filter(v => !stored.includes(v)),
    ],
  };
}
