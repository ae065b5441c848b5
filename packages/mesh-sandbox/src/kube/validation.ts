import { invalid } from './errors';
import { ResourceType } from './resources';
import { isPlainObject, KubeObject } from './types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why a name is not a valid DNS-1123 label/subdomain, or undefined. */
export function nameProblem(
  name: string,
  rule: ResourceType['nameRule'],
): string | undefined {
  if (rule === 'dns1123-label') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
    }
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  }
  return undefined;
}

function labelProblems(
  labels: unknown,
  field: string,
): Array<{ field: string; message: string }> {
  if (labels === undefined) return [];
  if (!isPlainObject(labels)) {
    return [
      { field, message: 'must be a map of string keys to string values' },
    ];
  }
  const problems: Array<{ field: string; message: string }> = [];
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/')
      ? key.split('/', 2)
      : [undefined, key];
    if (
      !LABEL_KEY_NAME.test(name) ||
      name.length > 63 ||
      (prefix !== undefined && !DNS1123_SUBDOMAIN.test(prefix))
    ) {
      problems.push({
        field,
        message: `Invalid value: "${key}": name part must be a valid label key`,
      });
    }
    if (typeof value !== 'string') {
      problems.push({ field: `${field}.${key}`, message: 'must be a string' });
    } else if (
      field.endsWith('labels') &&
      (value.length > 63 || !LABEL_VALUE.test(value))
    ) {
      problems.push({
        field,
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
  }
  return problems;
}

/**
 * Checks what the real API server checks for every kind: a valid name, valid
 * labels and annotations, plus a few kind-specific required fields.
 * Throws a 422 Invalid naming each bad field.
 */
export function validateObject(type: ResourceType, object: KubeObject): void {
  const problems: Array<{ field: string; message: string }> = [];
  const name = object.metadata?.name;
  if (!name) {
    problems.push({
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else {
    const problem = nameProblem(name, type.nameRule);
    if (problem) {
      problems.push({
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${problem}`,
      });
    }
  }
  problems.push(...labelProblems(object.metadata?.labels, 'metadata.labels'));
  problems.push(
    ...labelProblems(object.metadata?.annotations, 'metadata.annotations'),
  );
  const spec = object.spec as Record<string, any> | undefined;
  if (type.kind === 'Pod' && !Array.isArray(spec?.containers)) {
    problems.push({ field: 'spec.containers', message: 'Required value' });
  }
  if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(type.kind)
  ) {
    if (!isPlainObject(spec?.selector)) {
      problems.push({ field: 'spec.selector', message: 'Required value' });
    }
    if (!isPlainObject(spec?.template)) {
      problems.push({ field: 'spec.template', message: 'Required value' });
    }
  }
  if (
    type.kind === 'Gateway' &&
    type.group === 'gateway.networking.k8s.io' &&
    typeof spec?.gatewayClassName !== 'string'
  ) {
    problems.push({
      field: 'spec.gatewayClassName',
      message: 'Required value',
    });
  }
  if (problems.length > 0) {
    throw invalid({ kindName: type.kind, name, group: type.group }, problems);
  }
}
