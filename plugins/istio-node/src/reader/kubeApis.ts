import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
} from '@kubernetes/client-node';
import { callKube, KubeCallDescription, KubeRequestOptions } from './kubeCall';

/** The typed clients of one cluster, and a deadline-bound way to call them. @public */
export class KubeApis {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly networking: NetworkingV1Api;
  readonly apiextensions: ApiextensionsV1Api;

  constructor(
    readonly cluster: string,
    kubeConfig: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
    this.apiextensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  }

  /** A call whose failure fails the read (403 names the missing permission). */
  async required<T>(
    call: KubeCallDescription,
    run: (options: KubeRequestOptions) => Promise<T>,
  ): Promise<T> {
    return (await callKube(this.cluster, call, this.timeoutMs, run)) as T;
  }

  /** A call for something that may not exist: 404 gives undefined. */
  async optional<T>(
    call: KubeCallDescription,
    run: (options: KubeRequestOptions) => Promise<T>,
    options: { allowForbidden?: boolean } = {},
  ): Promise<T | undefined> {
    return callKube(this.cluster, call, this.timeoutMs, run, {
      notFound: 'undefined',
      forbidden: options.allowForbidden ? 'undefined' : 'throw',
    });
  }

  /**
   * Lists custom objects of a namespace as plain JSON; an empty list when the CRD is not
   * installed (404).
   */
  async listCustom<T>(
    group: string,
    version: string,
    plural: string,
    namespace: string,
  ): Promise<T[]> {
    const list = await this.optional(
      { verb: 'list', resource: `${plural}.${group}`, namespace },
      options =>
        this.custom.listNamespacedCustomObject(
          { group, version, namespace, plural },
          options,
        ) as Promise<{ items?: T[] }>,
    );
    return list?.items ?? [];
  }
}
