import { isPlainObject, KubeObject, ManagedFieldsEntry } from './types';

/**
 * Field ownership for server-side apply, in a simplified form of the real
 * structured-merge-diff: maps are merged key by key, lists are atomic (the
 * whole list is one field). A field is a path of map keys.
 */
export type FieldSet = Set<string>;

const SEPARATOR = '\u0000';

/** Fields nobody owns: identity and bookkeeping set by the server. */
const UNOWNED = new Set(
  [
    ['apiVersion'],
    ['kind'],
    ['metadata', 'name'],
    ['metadata', 'namespace'],
    ['metadata', 'uid'],
    ['metadata', 'resourceVersion'],
    ['metadata', 'generation'],
    ['metadata', 'creationTimestamp'],
    ['metadata', 'deletionTimestamp'],
    ['metadata', 'managedFields'],
  ].map(p => p.join(SEPARATOR)),
);

/** `.spec.replicas`, the way conflicts name a field. */
export function describeField(field: string): string {
  return `.${field.split(SEPARATOR).join('.')}`;
}

/**
 * The leaf fields of an object: scalars, lists and empty maps. `status` is
 * left out when the type has a status subresource (it is owned through it).
 */
export function fieldsOf(object: unknown, skipStatus: boolean): FieldSet {
  const fields: FieldSet = new Set();
  const walk = (value: unknown, path: string[]) => {
    const key = path.join(SEPARATOR);
    if (UNOWNED.has(key)) return;
    if (path.length === 1 && path[0] === 'status' && skipStatus) return;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [child, childValue] of Object.entries(value)) {
        walk(childValue, [...path, child]);
      }
    } else if (path.length > 0) {
      fields.add(key);
    }
  };
  walk(object, []);
  return fields;
}

/** The value at a field, or undefined. */
export function valueAt(object: unknown, field: string): unknown {
  let current: unknown = object;
  for (const key of field.split(SEPARATOR)) {
    current = isPlainObject(current) ? current[key] : undefined;
  }
  return current;
}

function removeField(object: Record<string, unknown>, field: string) {
  const keys = field.split(SEPARATOR);
  let current: unknown = object;
  for (const key of keys.slice(0, -1)) {
    current = isPlainObject(current) ? current[key] : undefined;
  }
  if (isPlainObject(current)) {
    delete current[keys[keys.length - 1]];
  }
}

/** Deep merge where maps merge and everything else (lists included) is replaced. */
export function mergeApplied(target: unknown, applied: unknown): unknown {
  if (!isPlainObject(applied) || !isPlainObject(target)) {
    return structuredClone(applied);
  }
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(applied)) {
    result[key] = mergeApplied(result[key], value);
  }
  return result;
}

/** FieldsV1 (`{"f:spec":{"f:replicas":{}}}`) from a field set. */
export function toFieldsV1(fields: FieldSet): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const field of [...fields].sort()) {
    let node = root;
    for (const key of field.split(SEPARATOR)) {
      node[`f:${key}`] = node[`f:${key}`] ?? {};
      node = node[`f:${key}`];
    }
  }
  return root;
}

/** The field set described by FieldsV1. */
export function fromFieldsV1(fieldsV1: unknown): FieldSet {
  const fields: FieldSet = new Set();
  const walk = (node: unknown, path: string[]) => {
    const children = isPlainObject(node)
      ? Object.keys(node).filter(k => k.startsWith('f:'))
      : [];
    if (children.length === 0 && path.length > 0) {
      fields.add(path.join(SEPARATOR));
    }
    for (const child of children) {
      walk((node as Record<string, unknown>)[child], [...path, child.slice(2)]);
    }
  };
  walk(fieldsV1, []);
  return fields;
}

function overlaps(a: string, b: string) {
  return a === b || a.startsWith(b + SEPARATOR) || b.startsWith(a + SEPARATOR);
}

/** One field another manager owns with a different value. */
export interface FieldConflict {
  manager: string;
  field: string;
}

interface Owner {
  entry: ManagedFieldsEntry;
  fields: FieldSet;
}

function ownersOf(object: KubeObject | undefined): Owner[] {
  return (object?.metadata.managedFields ?? []).map(entry => ({
    entry,
    fields: fromFieldsV1(entry.fieldsV1),
  }));
}

function writeOwners(object: KubeObject, owners: Owner[], skipStatus: boolean) {
  const present = fieldsOf(object, skipStatus);
  const entries: ManagedFieldsEntry[] = [];
  for (const owner of owners) {
    const kept = new Set([...owner.fields].filter(f => present.has(f)));
    if (kept.size > 0) {
      entries.push({ ...owner.entry, fieldsV1: toFieldsV1(kept) });
    }
  }
  if (entries.length > 0) {
    object.metadata.managedFields = entries;
  } else {
    delete object.metadata.managedFields;
  }
}

function ownerFor(
  owners: Owner[],
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource?: string,
): Owner {
  let owner = owners.find(
    o =>
      o.entry.manager === manager &&
      o.entry.operation === operation &&
      o.entry.subresource === subresource,
  );
  if (!owner) {
    owner = {
      entry: {
        manager,
        operation,
        apiVersion,
        time: '',
        fieldsType: 'FieldsV1',
        fieldsV1: {},
        ...(subresource ? { subresource } : {}),
      },
      fields: new Set(),
    };
    owners.push(owner);
  }
  owner.entry.time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  owner.entry.apiVersion = apiVersion;
  return owner;
}

/** The result of a server-side apply: the merged object, or the conflicts. */
export type ApplyResult =
  | { ok: true; object: KubeObject }
  | { ok: false; conflicts: FieldConflict[] };

/**
 * Server-side apply of `applied` by `manager` onto `current` (undefined on
 * create). Fields the manager applied before and left out now are removed
 * unless someone else owns them. Without `force`, a field another manager
 * owns with a different value is a conflict.
 */
export function serverSideApply(options: {
  current: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  skipStatus: boolean;
  subresource?: string;
}): ApplyResult {
  const { current, applied, manager, force, skipStatus, subresource } = options;
  const owners = ownersOf(current);
  const appliedFields = fieldsOf(applied, skipStatus);
  const others = owners.filter(
    o => !(o.entry.manager === manager && o.entry.operation === 'Apply'),
  );
  const conflicts: FieldConflict[] = [];
  for (const field of appliedFields) {
    const wanted = JSON.stringify(valueAt(applied, field));
    for (const other of others) {
      if (other.entry.manager === manager) continue;
      for (const owned of other.fields) {
        if (!overlaps(owned, field)) continue;
        const same = JSON.stringify(valueAt(current, field)) === wanted;
        if (!same) {
          if (force) {
            other.fields.delete(owned);
          } else {
            conflicts.push({ manager: other.entry.manager, field });
          }
        }
      }
    }
  }
  if (conflicts.length > 0) {
    return { ok: false, conflicts };
  }
  const mine = ownerFor(
    owners,
    manager,
    'Apply',
    applied.apiVersion,
    subresource,
  );
  let merged = structuredClone(current ?? applied) as KubeObject;
  for (const field of mine.fields) {
    const ownedByOthers = owners.some(
      o => o !== mine && [...o.fields].some(f => overlaps(f, field)),
    );
    if (!appliedFields.has(field) && !ownedByOthers) {
      removeField(merged, field);
    }
  }
  merged = mergeApplied(merged, applied) as KubeObject;
  mine.fields = appliedFields;
  writeOwners(merged, owners, skipStatus);
  return { ok: true, object: merged };
}

/**
 * Records an ordinary write (create, update, patch) by `manager`: it takes
 * every field it changed, other managers lose those fields, and fields that
 * disappeared are dropped from every set. Never conflicts.
 */
export function recordUpdate(options: {
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  skipStatus: boolean;
  subresource?: string;
}): KubeObject {
  const { before, after, manager, skipStatus, subresource } = options;
  const owners = ownersOf(before);
  const result = structuredClone(after);
  const changed = [...fieldsOf(result, skipStatus)].filter(
    f =>
      JSON.stringify(valueAt(before, f)) !== JSON.stringify(valueAt(result, f)),
  );
  if (changed.length > 0) {
    const mine = ownerFor(
      owners,
      manager,
      'Update',
      result.apiVersion,
      subresource,
    );
    for (const owner of owners) {
      if (owner === mine) continue;
      for (const f of changed) owner.fields.delete(f);
    }
    for (const f of changed) mine.fields.add(f);
  }
  writeOwners(result, owners, skipStatus);
  return result;
}
