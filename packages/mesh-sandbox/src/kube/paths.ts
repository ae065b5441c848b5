/** What a resource URL points at. */
export interface ResourcePath {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The discovery documents a URL may ask for. */
export type DiscoveryPath =
  | { discovery: 'version' }
  | { discovery: 'api' }
  | { discovery: 'apis' }
  | { discovery: 'group'; group: string }
  | { discovery: 'resources'; group: string; version: string };

/**
 * Parses an API server path: discovery documents, or resource paths such as
 * `/api/v1/namespaces/ns/pods/name/status` and
 * `/apis/apps/v1/deployments`. Returns undefined for anything else.
 */
export function parseApiPath(
  pathname: string,
): ResourcePath | DiscoveryPath | undefined {
  const segments = pathname
    .split('/')
    .filter(s => s.length > 0)
    .map(decodeURIComponent);
  if (segments[0] === 'version' && segments.length === 1) {
    return { discovery: 'version' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length === 1) return { discovery: 'api' };
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length === 1) return { discovery: 'apis' };
    if (segments.length === 2)
      return { discovery: 'group', group: segments[1] };
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) {
    return { discovery: 'resources', group, version };
  }
  const namespaceSubresource =
    group === '' &&
    rest[0] === 'namespaces' &&
    rest.length === 3 &&
    (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    if (rest.length > 5) return undefined;
    return {
      group,
      version,
      namespace: rest[1],
      plural: rest[2],
      name: rest[3],
      subresource: rest[4],
    };
  }
  if (rest.length > 3) return undefined;
  return {
    group,
    version,
    plural: rest[0],
    name: rest[1],
    subresource: rest[2],
  };
}
