import { badRequest, KubeApiError } from './errors';
import { isPlainObject } from './types';

/**
 * RFC 7386 JSON merge patch. Also used for strategic merge patches: for the
 * kinds the sandbox serves, plain merge semantics are close enough (lists
 * are replaced, not merged by key).
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) {
    return structuredClone(patch);
  }
  const result: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder')) {
      continue;
    }
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw badRequest(`invalid JSON pointer "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function patchFailed(message: string): KubeApiError {
  return new KubeApiError(422, 'Invalid', message);
}

function resolveParent(doc: unknown, tokens: string[], path: string) {
  let current: any = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) {
      current = current[Number(token)];
    } else if (isPlainObject(current)) {
      current = current[token];
    } else {
      current = undefined;
    }
    if (current === undefined) {
      throw patchFailed(`jsonpatch: path "${path}" does not exist`);
    }
  }
  return { parent: current, last: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, last } = resolveParent(doc, tokens, path);
  const value = Array.isArray(parent) ? parent[Number(last)] : parent?.[last];
  if (value === undefined) {
    throw patchFailed(`jsonpatch: path "${path}" does not exist`);
  }
  return value;
}

function removeAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  const { parent, last } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) {
      throw patchFailed(`jsonpatch remove: index out of range in "${path}"`);
    }
    return parent.splice(index, 1)[0];
  }
  if (!isPlainObject(parent) || !(last in parent)) {
    throw patchFailed(`jsonpatch remove: path "${path}" does not exist`);
  }
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean) {
  const tokens = parsePointer(path);
  if (tokens.length === 0) {
    return structuredClone(value);
  }
  const { parent, last } = resolveParent(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length)) {
      throw patchFailed(`jsonpatch: index out of range in "${path}"`);
    }
    if (replace) parent[index] = structuredClone(value);
    else parent.splice(index, 0, structuredClone(value));
  } else if (isPlainObject(parent)) {
    if (replace && !(last in parent)) {
      throw patchFailed(`jsonpatch replace: path "${path}" does not exist`);
    }
    parent[last] = structuredClone(value);
  } else {
    throw patchFailed(`jsonpatch: path "${path}" does not exist`);
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch and returns the new document. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw badRequest('a JSON patch must be an array of operations');
  }
  let doc = structuredClone(target);
  for (const raw of operations as JsonPatchOperation[]) {
    if (!raw || typeof raw.path !== 'string') {
      throw badRequest('every JSON patch operation needs a "path"');
    }
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value, false);
        break;
      case 'replace':
        doc = addAt(doc, raw.path, raw.value, true);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'move': {
        const value = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, getAt(doc, raw.from ?? ''), false);
        break;
      case 'test':
        if (
          JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)
        ) {
          throw patchFailed(`jsonpatch test failed at "${raw.path}"`);
        }
        break;
      default:
        throw badRequest(`unknown JSON patch operation "${(raw as any).op}"`);
    }
  }
  return doc;
}
