import {
  ApiException,
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** What a Kubernetes call does, to name it in errors: e.g. list pods in namespace shop. @public */
export interface KubeCallDescription {
  verb: 'get' | 'list';
  /** Resource as RBAC names it, e.g. `pods`, `gateways.gateway.networking.k8s.io`. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** Per-request options of `@kubernetes/client-node` that attach an abort signal. @public */
export type KubeRequestOptions = ConfigurationOptions;

function describe(call: KubeCallDescription, cluster: string): string {
  const target = call.name ? ` ${call.name}` : '';
  const where = call.namespace
    ? ` in namespace ${call.namespace}`
    : ' (cluster-wide)';
  return `${call.verb} ${call.resource}${target}${where} on cluster ${cluster}`;
}

function abortOptions(signal: AbortSignal): KubeRequestOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) =>
          new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * Runs one Kubernetes call with a deadline and turns failures into Backstage errors:
 * 403 names the missing verb and resource, 401 says the credentials were refused, a
 * deadline overrun says so. With `notFound: 'undefined'`, a 404 resolves to undefined
 * (an absent object, or a CRD that is not installed).
 */
export async function callKube<T>(
  cluster: string,
  call: KubeCallDescription,
  timeoutMs: number,
  run: (options: KubeRequestOptions) => Promise<T>,
  handling: {
    notFound?: 'throw' | 'undefined';
    forbidden?: 'throw' | 'undefined';
  } = {},
): Promise<T | undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ServiceUnavailableError(
          `Kubernetes did not answer within ${timeoutMs} ms: ${describe(
            call,
            cluster,
          )}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(abortOptions(controller.signal)), deadline]);
  } catch (error) {
    if (error instanceof ApiException) {
      if (error.code === 404 && handling.notFound === 'undefined')
        return undefined;
      if (error.code === 403 && handling.forbidden === 'undefined')
        return undefined;
      if (error.code === 403) {
        throw new NotAllowedError(
          `Kubernetes refused to ${describe(
            call,
            cluster,
          )}: the credentials used for this cluster need the "${
            call.verb
          }" verb on "${call.resource}"${
            call.namespace ? ` in namespace ${call.namespace}` : ''
          }`,
        );
      }
      if (error.code === 401) {
        throw new AuthenticationError(
          `Kubernetes rejected the credentials of cluster ${cluster} (401) while trying to ${describe(
            call,
            cluster,
          )}`,
        );
      }
      if (error.code === 404) {
        throw new NotFoundError(
          `Kubernetes found nothing to ${describe(call, cluster)}`,
        );
      }
      throw new ServiceUnavailableError(
        `Kubernetes failed to ${describe(call, cluster)}: HTTP ${error.code}`,
        error,
      );
    }
    if (error instanceof ServiceUnavailableError) throw error;
    throw new ServiceUnavailableError(
      `Could not reach Kubernetes to ${describe(call, cluster)}: ${
        (error as Error)?.message ?? error
      }`,
      error,
    );
  } finally {
    clearTimeout(timer);
  }
}
