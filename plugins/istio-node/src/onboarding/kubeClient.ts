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
import { kubeRequest } from './rawRequest';

/** KubernetesObjectApi with its (cached) discovery made public. */
class DiscoveringObjectApi extends KubernetesObjectApi {
  async resourceOf(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

/** Thrown when the cluster does not serve a kind (its CRD is missing). */
export class KindNotServedError extends NotFoundError {}

/**
 * A thin client for the objects onboarding reads and writes: discovery
 * through @kubernetes/client-node's KubernetesObjectApi, objects as raw
 * JSON (see {@link kubeRequest}). Errors become @backstage/errors types.
 */
export class KubeClient {
  private readonly api: DiscoveringObjectApi;

  constructor(readonly kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(DiscoveringObjectApi);
  }

  /** Whether the cluster serves `kind` in `apiVersion`. */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return Boolean(await this.api.resourceOf(apiVersion, kind));
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
      return await kubeRequest(this.kubeConfig, { method: 'GET', path });
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
      const list = await kubeRequest(this.kubeConfig, {
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
      return await kubeRequest(this.kubeConfig, {
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

  /** Deletes an object; a missing object is not an error. */
  async delete(ref: ObjectRef): Promise<void> {
    const path = await this.pathOf(
      ref.apiVersion,
      ref.kind,
      ref.namespace,
      ref.name,
    );
    try {
      await kubeRequest(this.kubeConfig, { method: 'DELETE', path });
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
    const resource = await this.api.resourceOf(apiVersion, kind);
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
