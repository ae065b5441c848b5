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

/** KubernetesObjectApi with its (cached) discovery made public. */
class DiscoveringObjectApi extends KubernetesObjectApi {
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return Boolean(await this.resource(apiVersion, kind));
  }
}

/** Thrown when the cluster does not serve a kind (its CRD is missing). */
export class KindNotServedError extends NotFoundError {}

/**
 * A thin client over @kubernetes/client-node for the objects onboarding
 * reads and writes. Errors become @backstage/errors types.
 */
export class KubeClient {
  private readonly api: DiscoveringObjectApi;

  constructor(readonly kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(DiscoveringObjectApi);
  }

  /** Whether the cluster serves `kind` in `apiVersion`. */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return await this.api.serves(apiVersion, kind);
    } catch (error) {
      if (statusOf(error) === 404) {
        return false;
      }
      throw toBackstageError(error, `discover ${apiVersion} ${kind}`);
    }
  }

  /** Reads an object; undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    await this.requireKind(ref.apiVersion, ref.kind);
    try {
      return (await this.api.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      })) as unknown as KubeObject;
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
    try {
      const list = await this.api.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      return list.items.map(item => ({
        ...(item as unknown as KubeObject),
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
    await this.requireKind(object.apiVersion, object.kind);
    try {
      return (await this.api.patch(
        object as any,
        undefined,
        undefined,
        fieldManager,
        force,
        PatchStrategy.ServerSideApply,
      )) as unknown as KubeObject;
    } catch (error) {
      throw toBackstageError(
        error,
        `apply ${describeObject(refOfObject(object))}`,
      );
    }
  }

  /** Deletes an object; a missing object is not an error. */
  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.api.delete({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      });
    } catch (error) {
      if (statusOf(error) === 404) {
        return;
      }
      throw toBackstageError(error, `delete ${describeObject(ref)}`);
    }
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
