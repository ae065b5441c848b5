import { ServiceUnavailableError } from '@backstage/errors';

/**
 * Resolves like `work`, or rejects with a ServiceUnavailableError naming
 * `what` once `timeoutMs` has passed. The signal given to `work` is aborted at
 * the deadline so that it can cancel its request.
 */
export async function withDeadline<T>(
  what: string,
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ServiceUnavailableError(
          `${what} did not answer within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
