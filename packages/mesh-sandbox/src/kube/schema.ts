import { isPlainObject } from './types';

/** The parts of a CRD's `openAPIV3Schema` (a structural schema) the API server uses. */
export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function additional(s: StructuralSchema): StructuralSchema | undefined | null {
  if (s.additionalProperties === undefined) return undefined;
  if (s.additionalProperties === false) return undefined;
  if (s.additionalProperties === true) return null; // any value, nothing pruned below
  return s.additionalProperties;
}

/**
 * Removes the fields a structural schema does not specify, in place, and
 * returns their paths (`spec.foo`, `spec.items[0].bar`), sorted. This follows
 * apiextensions-apiserver `pkg/apiserver/schema/pruning/algorithm.go`
 * (`PruneWithOptions` with `isResourceRoot=true`): apiVersion, kind and
 * metadata at the root (and in `x-kubernetes-embedded-resource` objects) are
 * kept, `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields at
 * that level while still pruning inside the properties it specifies.
 */
export function pruneUnknownFields(
  object: Record<string, unknown>,
  schema: StructuralSchema | undefined,
): string[] {
  const root: StructuralSchema = {
    ...(schema ?? {}),
    'x-kubernetes-embedded-resource': true,
  };
  const unknown: string[] = [];
  prune(object, root, [], unknown);
  return unknown.sort();
}

function join(path: string[]): string {
  let out = '';
  for (const part of path) {
    if (part.startsWith('[') || out === '') out += part;
    else out += `.${part}`;
  }
  return out;
}

function prune(
  value: unknown,
  schema: StructuralSchema | undefined | null,
  path: string[],
  unknown: string[],
): void {
  if (schema === null) return;
  if (schema?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(value, schema, path, unknown);
    return;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (schema?.['x-kubernetes-embedded-resource'] && META_FIELDS.has(key))
        continue;
      const property = schema?.properties?.[key];
      const extra = schema ? additional(schema) : undefined;
      if (property) {
        prune(value[key], property, [...path, key], unknown);
      } else if (schema && extra !== undefined) {
        prune(value[key], extra, [...path, key], unknown);
      } else {
        if (!META_FIELDS.has(key) || path.length > 0) {
          unknown.push(join([...path, key]));
        }
        delete value[key];
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) =>
      prune(item, schema?.items, [...path, `[${index}]`], unknown),
    );
  }
}

function skipPrune(
  value: unknown,
  schema: StructuralSchema,
  path: string[],
  unknown: string[],
): void {
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (schema['x-kubernetes-embedded-resource'] && META_FIELDS.has(key))
        continue;
      const property = schema.properties?.[key];
      const extra = additional(schema);
      if (property) prune(value[key], property, [...path, key], unknown);
      else if (extra !== undefined)
        prune(value[key], extra, [...path, key], unknown);
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) =>
      skipPrune(item, schema.items!, [...path, `[${index}]`], unknown),
    );
  }
}

/**
 * Fills `default` values of a structural schema into the object, in place,
 * where the field is absent, recursing into objects and list items that are
 * present: apiextensions-apiserver `pkg/apiserver/schema/defaulting/algorithm.go`.
 */
export function applySchemaDefaults(
  value: unknown,
  schema: StructuralSchema | undefined,
): void {
  if (!schema) return;
  if (isPlainObject(value)) {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (value[key] === undefined && property.default !== undefined) {
        value[key] = structuredClone(property.default);
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const property = schema.properties?.[key];
      const extra =
        typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined;
      applySchemaDefaults(child, property ?? extra);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) applySchemaDefaults(item, schema.items);
  }
}
