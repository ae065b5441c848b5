import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { ObjectRef, describeObject } from '@ambient-mesh/plugin-istio-common';
import { KubeObject } from './state';
import { KubeAbortedError, kubeRequest } from './rawRequest';

/**
 * Deadlines and cancellation of a {@link KubeClient}'s requests.
 *
 * @public
 */
export interface KubeClientOptions {
  /** Deadline of each request (default 30 s). */
  requestTimeoutMs?: number;
  /** Stops every request (the task was cancelled, or its deadline passed). */
  signal?: AbortSignal;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** KubernetesObjectApi with its (cached) discovery made public. */
class DiscoveringObjectApi extends KubernetesObjectApi {
  async resourceOf(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

/**
 * Thrown when the cluster does not serve a kind (its CRD is missing).
 *
 * @public
 */
export class KindNotServedError extends NotFoundError {}

/**
 * A thin client for the objects onboarding reads and writes: discovery
 * through `@kubernetes/client-node`'s KubernetesObjectApi, objects as raw
 * JSON (see `kubeRequest`). Errors become `@backstage/errors` types.
 *
 * @public
 */
export class KubeClient {
  private readonly api: DiscoveringObjectApi;

  constructor(
    readonly kubeConfig: KubeConfig,
    readonly options: KubeClientOptions = {},
  ) {
    this.api = kubeConfig.makeApiClient(DiscoveringObjectApi);
  }

  /** The abort signal of this client's requests, if any. */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  private request(options: Parameters<typeof kubeRequest>[1]) {
    return kubeRequest(this.kubeConfig, {
      ...options,
      timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      signal: this.options.signal,
    });
  }

  /** Discovery with the same deadline and cancellation as other requests. */
  private discover(apiVersion: string, kind: string) {
    const timeoutMs =
      this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise<Awaited<ReturnType<DiscoveringObjectApi['resourceOf']>>>(
      (resolve, reject) => {
        const aborted = () =>
          new KubeAbortedError(
            this.options.signal?.reason?.name === 'TimeoutError'
              ? 'deadline'
              : 'cancelled',
          );
        if (this.options.signal?.aborted) {
          reject(aborted());
          return;
        }
        let timer: NodeJS.Timeout | undefined = undefined;
        const onAbort = () => {
          clearTimeout(timer);
          reject(aborted());
        };
        timer = setTimeout(() => {
          this.options.signal?.removeEventListener('abort', onAbort);
          reject(new KubeAbortedError('timeout', timeoutMs));
        }, timeoutMs);
        this.options.signal?.addEventListener('abort', onAbort, { once: true });
        this.api.resourceOf(apiVersion, kind).then(
          value => {
            clearTimeout(timer);
            this.options.signal?.removeEventListener('abort', onAbort);
            resolve(value);
          },
          error => {
            clearTimeout(timer);
            this.options.signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      },
    );
  }

  /** Whether the cluster serves `kind` in `apiVersion`. */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return Boolean(await this.discover(apiVersion, kind));
    } catch (error) {
      if (statusOf(error) === 404) {
        return false;
      }
      throw toBackstageError(error, `discover ${apiVersion} ${kind}`);
    }
  }

  /** Reads an object; undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const path = await this.pathOf(
      ref.apiVersion,
      ref.kind,
      ref.namespace,
      ref.name,
    );
    try {
      return await this.request({ method: 'GET', path });
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw toBackstageError(error, `read ${describeObject(ref)}`);
    }
  }

  /** Lists objects of a kind; an empty list when the kind is not served. */
  async list(
    apiVersion: string,
    kind: string,
    namespace?: string,
    labelSelector?: string,
  ): Promise<KubeObject[]> {
    if (!(await this.serves(apiVersion, kind))) {
      return [];
    }
    const path = await this.pathOf(apiVersion, kind, namespace);
    try {
      const list = await this.request({
        method: 'GET',
        path,
        query: { labelSelector },
      });
      return (list?.items ?? []).map((item: KubeObject) => ({
        ...item,
        apiVersion,
        kind,
      }));
    } catch (error) {
      throw toBackstageError(
        error,
        `list ${kind} in ${namespace ?? 'all namespaces'}`,
      );
    }
  }

  /** Server-side applies `object` with the field manager. */
  async apply(
    object: KubeObject,
    fieldManager: string,
    force = false,
  ): Promise<KubeObject> {
    const ref = refOfObject(object);
    const path = await this.pathOf(
      ref.apiVersion,
      ref.kind,
      ref.namespace,
      ref.name,
    );
    try {
      return await this.request({
        method: 'PATCH',
        path,
        query: { fieldManager, force: String(force) },
        body: object,
        contentType: PatchStrategy.ServerSideApply,
      });
    } catch (error) {
      throw toBackstageError(error, `apply ${describeObject(ref)}`);
    }
  }

  /**
   * Deletes an object; a missing object is not an error. With
   * `preconditions`, the API server refuses (409) when the object is no
   * longer the one that was planned (another uid or resourceVersion).
   */
  async delete(
    ref: ObjectRef,
    preconditions?: { uid?: string; resourceVersion?: string },
  ): Promise<void> {
    const path = await this.pathOf(
      ref.apiVersion,
      ref.kind,
      ref.namespace,
      ref.name,
    );
    try {
      await this.request({
        method: 'DELETE',
        path,
        ...(preconditions &&
        (preconditions.uid || preconditions.resourceVersion)
          ? {
              body: {
                apiVersion: 'v1',
                kind: 'DeleteOptions',
                preconditions,
              },
              contentType: 'application/json',
            }
          : {}),
      });
    } catch (error) {
      if (statusOf(error) === 404) {
        return;
      }
      throw toBackstageError(error, `delete ${describeObject(ref)}`);
    }
  }

  /** The URL path of a kind (or one object), from discovery. */
  private async pathOf(
    apiVersion: string,
    kind: string,
    namespace?: string,
    name?: string,
  ): Promise<string> {
    await this.requireKind(apiVersion, kind);
    const resource = await this.discover(apiVersion, kind);
    const parts = [
      apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
    ];
    if (resource?.namespaced && namespace) {
      parts.push('namespaces', encodeURIComponent(namespace));
    }
    parts.push(resource!.name);
    if (name) {
      parts.push(encodeURIComponent(name));
    }
    return parts.join('/');
  }

  private async requireKind(apiVersion: string, kind: string) {
    if (!(await this.serves(apiVersion, kind))) {
      throw new KindNotServedError(
        `The cluster does not serve ${kind} (${apiVersion}); install its CustomResourceDefinition first (istio:mesh:check lists what is missing)`,
      );
    }
  }
}

function refOfObject(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace,
  };
}

/** The HTTP status of a client-node error, if any. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The message of a Kubernetes `Status` error body, if any. */
export function statusMessage(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body);
      if (parsed?.message) {
        return String(parsed.message);
      }
    } catch {
      return body;
    }
    return body;
  }
  if (body && typeof body === 'object' && 'message' in body) {
    return String((body as { message: unknown }).message);
  }
  return error instanceof Error ? error.message : String(error);
}

/** Maps a client-node error to an @backstage/errors error naming the operation. */
export function toBackstageError(error: unknown, operation: string): Error {
  if (error instanceof KubeAbortedError) {
    return new ServiceUnavailableError(
      `Could not ${operation}: ${error.message}${
        error.cause === 'cancelled'
          ? ''
          : '; check the cluster, then run the action again'
      }`,
    );
  }
  const status = statusOf(error);
  const message = `Could not ${operation}: ${statusMessage(error)}`;
  switch (status) {
    case 403:
    case 401:
      return new NotAllowedError(
        `${message} (the cluster's service account lacks this right)`,
      );
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case undefined:
      return error instanceof Error ? error : new Error(message);
    default:
      return new ServiceUnavailableError(`${message} (HTTP ${status})`);
  }
}
