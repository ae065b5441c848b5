import https from 'node:https';
import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';

/** An HTTP error from the API server, shaped like client-node's ApiException. */
export class KubeHttpError extends Error {
  constructor(readonly code: number, readonly body: string) {
    super(`HTTP ${code}: ${body}`);
  }
}

/**
 * A request stopped by its deadline or by the task's cancellation.
 *
 * @public
 */
export class KubeAbortedError extends Error {
  constructor(
    readonly cause: 'timeout' | 'deadline' | 'cancelled',
    readonly timeoutMs?: number,
  ) {
    super(
      {
        timeout: `the Kubernetes API did not answer within ${Math.round(
          (timeoutMs ?? 0) / 1000,
        )} s`,
        deadline:
          "the action's deadline passed (istio.onboarding.deadlineSeconds)",
        cancelled: 'the task was cancelled',
      }[cause],
    );
    this.name = cause === 'cancelled' ? 'AbortError' : 'TimeoutError';
  }
}

/**
 * Sends one request to the cluster's API server with the KubeConfig's
 * credentials and TLS settings, and returns the parsed JSON body.
 *
 * Objects travel as raw JSON: client-node's typed serializer drops the
 * fields it has no model attribute for (e.g. `x-kubernetes-validations` in a
 * CustomResourceDefinition), which would corrupt server-side applies.
 */
export async function kubeRequest(
  kubeConfig: KubeConfig,
  options: {
    method: 'GET' | 'PATCH' | 'DELETE';
    path: string;
    query?: Record<string, string | undefined>;
    body?: unknown;
    contentType?: string;
    /** Deadline of the whole request (connect, send, answer). */
    timeoutMs?: number;
    /** Aborts the request (the task was cancelled). */
    signal?: AbortSignal;
  },
): Promise<any> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new Error('The KubeConfig has no current cluster');
  }
  const url = new URL(cluster.server.replace(/\/$/, '') + options.path);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  const requestOptions: https.RequestOptions = {
    method: options.method,
    headers: {
      accept: 'application/json',
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
    },
  };
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  const transport = url.protocol === 'http:' ? http : https;
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    requestOptions.headers = {
      ...requestOptions.headers,
      'content-length': String(Buffer.byteLength(payload)),
    };
  }
  const signals: AbortSignal[] = [];
  if (options.timeoutMs) signals.push(AbortSignal.timeout(options.timeoutMs));
  if (options.signal) signals.push(options.signal);
  if (signals.length) requestOptions.signal = AbortSignal.any(signals);
  return new Promise((resolve, reject) => {
    const req = transport.request(url, requestOptions, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new KubeHttpError(status, text));
          return;
        }
        try {
          resolve(text ? JSON.parse(text) : undefined);
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', error => {
      if (options.signal?.aborted) {
        reject(
          new KubeAbortedError(
            options.signal.reason?.name === 'TimeoutError'
              ? 'deadline'
              : 'cancelled',
          ),
        );
      } else if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        reject(new KubeAbortedError('timeout', options.timeoutMs));
      } else {
        reject(error);
      }
    });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
