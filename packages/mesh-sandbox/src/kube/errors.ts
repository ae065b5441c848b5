/** A Kubernetes `Status` object, the body of every error the API server returns. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ type?: string; message: string; field?: string }>;
    retryAfterSeconds?: number;
  };
}

/** Detail of the resource an error is about. */
export interface ErrorSubject {
  name?: string;
  group?: string;
  /** The resource (plural), as the real API server puts it in `details.kind`. */
  kind?: string;
}

/**
 * An error the API server turns into a `Status` body with the given HTTP code.
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: KubeStatus['details'];

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: KubeStatus['details'],
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The `Status` body for this error. */
  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

function resourceRef(subject: ErrorSubject): string {
  const group = subject.group ? `.${subject.group}` : '';
  return `${subject.kind ?? 'resource'}${group}`;
}

/** 404: `pods "x" not found`. */
export function notFound(subject: ErrorSubject): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    `${resourceRef(subject)} "${subject.name ?? ''}" not found`,
    { ...subject },
  );
}

/** 409 AlreadyExists on create. */
export function alreadyExists(subject: ErrorSubject): KubeApiError {
  return new KubeApiError(
    409,
    'AlreadyExists',
    `${resourceRef(subject)} "${subject.name ?? ''}" already exists`,
    { ...subject },
  );
}

/** 409 Conflict on a stale resourceVersion. */
export function staleConflict(subject: ErrorSubject): KubeApiError {
  return new KubeApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resourceRef(subject)} "${
      subject.name ?? ''
    }": the object has been modified; please apply your changes to the latest version and try again`,
    { ...subject },
  );
}

/** 422 Invalid with one cause per invalid field. */
export function invalid(
  subject: ErrorSubject & { kindName: string },
  causes: Array<{ field: string; message: string }>,
): KubeApiError {
  const text = causes.map(c => `${c.field}: ${c.message}`).join(', ');
  return new KubeApiError(
    422,
    'Invalid',
    `${subject.kindName} "${subject.name ?? ''}" is invalid: ${text}`,
    {
      name: subject.name,
      group: subject.group,
      kind: subject.kindName,
      causes: causes.map(c => ({
        type: 'FieldValueInvalid',
        message: c.message,
        field: c.field,
      })),
    },
  );
}

/** 400 BadRequest. */
export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, 'BadRequest', message);
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(message: string): KubeApiError {
  return new KubeApiError(405, 'MethodNotAllowed', message);
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(contentType: string): KubeApiError {
  return new KubeApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got "${contentType}")`,
  );
}

/** 401 Unauthorized. */
export function unauthorized(): KubeApiError {
  return new KubeApiError(401, 'Unauthorized', 'Unauthorized');
}

/** 403 Forbidden, worded like the RBAC authorizer. */
export function forbidden(options: {
  user: string;
  verb: string;
  resource: string;
  group: string;
  name?: string;
  namespace?: string;
}): KubeApiError {
  const { user, verb, resource, group, name, namespace } = options;
  const where = namespace
    ? ` in the namespace "${namespace}"`
    : ' at the cluster scope';
  const subject = name ? `${resource} "${name}"` : resource;
  return new KubeApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}"${where}`,
    { name, group, kind: resource },
  );
}

/** 410 Gone for a watch that starts too far in the past. */
export function gone(resourceVersion: string): KubeApiError {
  return new KubeApiError(
    410,
    'Expired',
    `too old resource version: ${resourceVersion}`,
  );
}
