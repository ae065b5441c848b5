import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { ObjectRef, describeObject } from '@ambient-mesh/plugin-istio-common';
import { describeConditions, isProgrammed } from './gatewayStatus';
import { KubeObject } from './state';

/** What one watch of the Gateway saw. */
interface WatchState {
  lastSeen?: KubeObject;
  resourceVersion?: string;
}

type WatchEnd = 'programmed' | 'closed' | 'expired' | 'failed' | 'timeout';

const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Waits until a Gateway's condition Programmed is True, with a watch on
 * that one Gateway (fieldSelector metadata.name); no polling. On timeout
 * the error quotes the Gateway's last seen conditions.
 *
 * @public
 */
export async function waitForWaypoint(
  kubeConfig: KubeConfig,
  gateway: ObjectRef,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<KubeObject> {
  const watch = new Watch(kubeConfig);
  const deadline = Date.now() + options.timeoutMs;
  const state: WatchState = {};
  // The server may close a watch early: resume from the last
  // resourceVersion seen until the deadline. A 410 Gone (the version is no
  // longer in the server's history, ERROR event with a Status) starts over
  // without a version; other errors reconnect with exponential backoff.
  let backoff = BACKOFF_START_MS;
  for (;;) {
    const end = await watchOnce(
      watch,
      gateway,
      state,
      deadline,
      options.signal,
    );
    if (end === 'programmed') {
      return state.lastSeen!;
    }
    if (
      end === 'timeout' ||
      Date.now() >= deadline ||
      options.signal?.aborted
    ) {
      break;
    }
    if (end === 'expired') {
      state.resourceVersion = undefined;
    }
    if (end === 'failed' || end === 'expired') {
      await sleep(
        Math.min(backoff, Math.max(0, deadline - Date.now())),
        options.signal,
      );
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    } else {
      backoff = BACKOFF_START_MS;
    }
  }
  throw new ServiceUnavailableError(
    `${describeObject(gateway)} was not Programmed within ${Math.round(
      options.timeoutMs / 1000,
    )}s; ${
      state.lastSeen
        ? `its conditions: ${describeConditions(state.lastSeen)}`
        : 'it was not seen by the watch'
    }. Check istiod's logs and the GatewayClass istio-waypoint, then run the action again`,
  );
}

/** One watch request, until Programmed, the deadline, or the server closes it. */
function watchOnce(
  watch: Watch,
  gateway: ObjectRef,
  state: WatchState,
  deadline: number,
  signal?: AbortSignal,
): Promise<WatchEnd> {
  const path = `/apis/gateway.networking.k8s.io/v1/namespaces/${encodeURIComponent(
    gateway.namespace ?? 'default',
  )}/gateways`;
  return new Promise<WatchEnd>(resolve => {
    let controller: AbortController | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => settle(() => resolve('timeout'));
    function settle(action: () => void) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      controller?.abort();
      action();
    }
    timer = setTimeout(onAbort, Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', onAbort);

    const onEvent = (phase: string, object: any) => {
      if (phase === 'ERROR') {
        // A Status object (apimachinery watch.Event of type ERROR)
        settle(() => resolve(object?.code === 410 ? 'expired' : 'failed'));
        return;
      }
      if (phase === 'BOOKMARK') {
        state.resourceVersion = object?.metadata?.resourceVersion;
        return;
      }
      state.resourceVersion = object?.metadata?.resourceVersion;
      if (phase === 'DELETED') {
        state.lastSeen = undefined;
        return;
      }
      state.lastSeen = object;
      if (isProgrammed(object)) settle(() => resolve('programmed'));
    };
    const onDone = (err: unknown) => {
      if (err && (err as Error).name !== 'AbortError') {
        // A broken connection: reconnect (with backoff) until the deadline
        settle(() => resolve('failed'));
      } else {
        settle(() => resolve('closed'));
      }
    };
    watch
      .watch(
        path,
        {
          fieldSelector: `metadata.name=${gateway.name}`,
          allowWatchBookmarks: true,
          ...(state.resourceVersion
            ? { resourceVersion: state.resourceVersion }
            : {}),
        },
        onEvent,
        onDone,
      )
      .then(
        c => {
          controller = c;
          if (settled) c.abort();
        },
        () => settle(() => resolve('failed')),
      );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
