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

/** One value that breaks its schema: the field path and the apiserver's wording. */
export interface SchemaViolation {
  field: string;
  message: string;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/**
 * The value checks of a structural schema that kube-apiserver applies to a
 * custom resource before storing it (apiextensions-apiserver
 * `pkg/apiserver/validation`, kube-openapi `pkg/validation/validate`):
 * `type`, `enum`, `required`, `minItems` / `maxItems`. Paths are written as
 * the API server writes them (`spec.listeners[0].port`). Formats, patterns,
 * lengths, bounds and CEL rules are not checked.
 */
export function validateAgainstSchema(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = '',
): SchemaViolation[] {
  if (!schema || value === undefined) return [];
  const here = path || '<root>';
  const out: SchemaViolation[] = [];
  if (value === null) {
    if (schema.nullable || !schema.type) return [];
    return [
      {
        field: here,
        message: `Invalid value: "null": ${here} in body must be of type ${schema.type}: "null"`,
      },
    ];
  }
  if (schema.type && !typeMatches(schema.type, value)) {
    return [
      {
        field: here,
        message: `Invalid value: "${jsonTypeOf(
          value,
        )}": ${here} in body must be of type ${schema.type}: "${jsonTypeOf(
          value,
        )}"`,
      },
    ];
  }
  const allowed = schema.enum as unknown[] | undefined;
  if (
    allowed &&
    !allowed.some(a => JSON.stringify(a) === JSON.stringify(value))
  ) {
    out.push({
      field: here,
      message: `Unsupported value: ${show(value)}: supported values: ${allowed
        .map(show)
        .join(', ')}`,
    });
  }
  if (Array.isArray(value)) {
    const max = schema.maxItems as number | undefined;
    const min = schema.minItems as number | undefined;
    if (max !== undefined && value.length > max) {
      out.push({
        field: here,
        message: `Too many: ${value.length}: must have at most ${max} items`,
      });
    }
    if (min !== undefined && value.length < min) {
      out.push({
        field: here,
        message: `Invalid value: ${value.length}: ${here} in body should have at least ${min} items`,
      });
    }
    value.forEach((item, index) =>
      out.push(
        ...validateAgainstSchema(item, schema.items, `${path}[${index}]`),
      ),
    );
  } else if (isPlainObject(value)) {
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (value[key] === undefined) {
        out.push({
          field: path ? `${path}.${key}` : key,
          message: 'Required value',
        });
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (path === '' && ['apiVersion', 'kind', 'metadata'].includes(key))
        continue;
      const property = schema.properties?.[key];
      const extra =
        typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined;
      out.push(
        ...validateAgainstSchema(
          child,
          property ?? extra,
          path ? `${path}.${key}` : key,
        ),
      );
    }
  }
  return out;
}
