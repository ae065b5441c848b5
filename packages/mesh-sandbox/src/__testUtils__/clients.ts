import { KubeConfig } from '@kubernetes/client-node';
import { KUBECONFIG_CONTEXTS } from '../kubeconfig';
import { Sandbox } from '../startSandbox';

/** A KubeConfig for the sandbox, as the admin (default) or the read-only user. */
export function kubeConfigFor(
  sandbox: Sandbox,
  user: 'admin' | 'readonly' = 'admin',
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  kc.setCurrentContext(KUBECONFIG_CONTEXTS[user]);
  return kc;
}

/** The HTTP status and Status body of a rejected client call. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ code: number; body: any }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    if (typeof e.code !== 'number') throw error;
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { code: e.code, body };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls until the check returns a truthy value, or fails after timeoutMs. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  stepMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${
          last ? `: ${(last as Error).message}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, stepMs));
  }
}
