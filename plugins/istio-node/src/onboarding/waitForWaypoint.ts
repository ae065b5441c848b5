import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { ObjectRef, describeObject } from '@ambient-mesh/plugin-istio-common';
import { describeConditions, isProgrammed } from './gatewayStatus';
import { KubeObject } from './state';

/**
 * Waits until a Gateway's condition Programmed is True, with a watch on
 * that one Gateway (fieldSelector metadata.name); no polling. On timeout
 * the error quotes the Gateway's last seen conditions.
 */
export async function waitForWaypoint(
  kubeConfig: KubeConfig,
  gateway: ObjectRef,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<KubeObject> {
  const watch = new Watch(kubeConfig);
  const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${encodeURIComponent(
    gateway.namespace ?? 'default',
  )}/gateways`;
  const deadline = Date.now() + options.timeoutMs;
  let lastSeen: KubeObject | undefined;
  let resourceVersion: string | undefined;

  // A watch may be closed by the server before the deadline: resume it
  // from the last resourceVersion seen.
  while (Date.now() < deadline) {
    const result = await new Promise<'programmed' | 'closed' | 'timeout'>(
      (resolve, reject) => {
        let controller: AbortController | undefined;
        let settled = false;
        const finish = (value: 'programmed' | 'closed' | 'timeout') => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          controller?.abort();
          resolve(value);
        };
        const timer = setTimeout(
          () => finish('timeout'),
          Math.max(0, deadline - Date.now()),
        );
        const onAbort = () => finish('timeout');
        options.signal?.addEventListener('abort', onAbort);
        watch
          .watch(
            path,
            {
              fieldSelector: `metadata.name=${gateway.name}`,
              allowWatchBookmarks: true,
              ...(resourceVersion ? { resourceVersion } : {}),
            },
            (phase, object) => {
              if (phase === 'BOOKMARK' || phase === 'ERROR') {
                return;
              }
              resourceVersion = object?.metadata?.resourceVersion;
              if (phase === 'DELETED') {
                lastSeen = undefined;
                return;
              }
              lastSeen = object;
              if (isProgrammed(object)) {
                finish('programmed');
              }
            },
            err => {
              if (err && !settled && (err as Error).name !== 'AbortError') {
                settled = true;
                clearTimeout(timer);
                reject(err);
                return;
              }
              finish('closed');
            },
          )
          .then(
            c => {
              controller = c;
              if (settled) c.abort();
            },
            err => {
              if (!settled) {
                settled = true;
                clearTimeout(timer);
                reject(err);
              }
            },
          );
      },
    );
    if (result === 'programmed') {
      return lastSeen!;
    }
    if (result === 'timeout' || options.signal?.aborted) {
      break;
    }
  }
  throw new ServiceUnavailableError(
    `${describeObject(gateway)} was not Programmed within ${Math.round(
      options.timeoutMs / 1000,
    )}s; ${
      lastSeen
        ? `its conditions: ${describeConditions(lastSeen)}`
        : 'it was not seen by the watch'
    }. Check istiod's logs and the GatewayClass istio-waypoint, then run the action again`,
  );
}
