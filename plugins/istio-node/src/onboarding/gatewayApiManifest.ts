import http from 'node:http';
import https from 'node:https';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { redactUrl } from '@ambient-mesh/plugin-istio-common';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from './state';

/**
 * The upstream location of a Gateway API release's standard CRDs
 * (kubernetes-sigs/gateway-api releases). Not fetched unless a platform
 * admin lists it in `istio.onboarding.gatewayApiManifests.urls`.
 *
 * @public
 */
export function gatewayApiManifestUrl(version: string): string {
  return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${encodeURIComponent(
    version,
  )}/standard-install.yaml`;
}

/**
 * Where Gateway API manifests may come from (config).
 *
 * @public
 */
export interface ManifestSources {
  /** Allowed URLs; `{version}` is replaced by the release tag. */
  urls: readonly string[];
  /** Per download (default 30 s). */
  timeoutMs?: number;
  /** Largest manifest accepted (default 10 MiB). */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const MAX_REDIRECTS = 3;

/**
 * The URL to download a release's manifest from: the requested one only
 * when it is one of the configured URLs, else the first configured one.
 * Never a URL a user made up. Pure.
 *
 * @public
 */
export function resolveManifestUrl(
  version: string,
  sources: ManifestSources,
  requested?: string,
): string {
  const allowed = sources.urls.map(template =>
    template.split('{version}').join(encodeURIComponent(version)),
  );
  if (requested !== undefined) {
    if (!allowed.includes(requested)) {
      throw new InputError(
        `Input "gatewayApiManifestUrl": only the manifest URLs a platform admin listed in istio.onboarding.gatewayApiManifests.urls are downloaded (${
          allowed.map(redactUrl).join(', ') || 'none configured'
        }); leave it empty to use the first one`,
      );
    }
    return requested;
  }
  if (allowed.length === 0) {
    throw new InputError(
      'No Gateway API manifest source is configured: a platform admin lists the allowed URLs in istio.onboarding.gatewayApiManifests.urls (e.g. a mirror of the release, with {version} for the tag), or installs the CRDs beforehand',
    );
  }
  return allowed[0];
}

/**
 * The CustomResourceDefinitions of a multi-document YAML manifest.
 *
 * @public
 */
export function parseCrdManifest(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(
      (object): object is KubeObject =>
        object?.kind === 'CustomResourceDefinition' &&
        typeof object?.apiVersion === 'string',
    );
}

/**
 * Downloads a configured URL: GET with a deadline (and the caller's abort
 * signal), at most `maxBytes`, redirects followed only to the same host
 * (and scheme and port).
 *
 * @public
 */
export async function downloadAllowed(
  url: string,
  options: { timeoutMs?: number; maxBytes?: number; signal?: AbortSignal },
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const answer = await getOnce(current, maxBytes, signal, timeoutMs);
    if (answer.kind === 'body') return answer.text;
    const next = new URL(answer.location, current);
    if (next.origin !== origin) {
      throw new ServiceUnavailableError(
        `${redactUrl(url)} redirects to another host (${
          next.host
        }); list the final URL in istio.onboarding.gatewayApiManifests.urls instead`,
      );
    }
    current = next.toString();
  }
  throw new ServiceUnavailableError(
    `${redactUrl(url)} redirects more than ${MAX_REDIRECTS} times`,
  );
}

function getOnce(
  url: string,
  maxBytes: number,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<
  { kind: 'body'; text: string } | { kind: 'redirect'; location: string }
> {
  const shown = redactUrl(url);
  const transport = url.startsWith('http:') ? http : https;
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest | undefined = undefined;
    const fail = (error: Error) => {
      req?.destroy();
      reject(error);
    };
    req = transport.get(url, { signal }, res => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        resolve({ kind: 'redirect', location: res.headers.location });
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        fail(
          new InputError(
            `${shown} answered HTTP ${status}; check "gatewayApiVersion" (e.g. v1.3.0) and istio.onboarding.gatewayApiManifests.urls`,
          ),
        );
        return;
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        fail(tooLarge(shown, maxBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(tooLarge(shown, maxBytes));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ kind: 'body', text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', error => fail(downloadError(shown, error, timeoutMs)));
    });
    req.on('error', error => reject(downloadError(shown, error, timeoutMs)));
  });
}

function tooLarge(shown: string, maxBytes: number) {
  return new ServiceUnavailableError(
    `${shown} is larger than ${maxBytes} bytes (istio.onboarding.gatewayApiManifests.maxBytes)`,
  );
}

function downloadError(shown: string, error: Error, timeoutMs: number) {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return new ServiceUnavailableError(
      `Downloading ${shown} was stopped (deadline ${Math.round(
        timeoutMs / 1000,
      )} s or the task was cancelled)`,
    );
  }
  return new ServiceUnavailableError(
    `Could not download ${shown}: ${
      (error as NodeJS.ErrnoException).code ?? error.name
    }`,
  );
}

/**
 * Downloads and parses the Gateway API CRDs of a release from a configured
 * source (see {@link resolveManifestUrl}).
 *
 * @public
 */
export async function fetchGatewayApiCrds(
  version: string,
  sources: ManifestSources,
  options: { requestedUrl?: string; signal?: AbortSignal } = {},
): Promise<KubeObject[]> {
  const url = resolveManifestUrl(version, sources, options.requestedUrl);
  return parseCrdManifest(
    await downloadAllowed(url, {
      timeoutMs: sources.timeoutMs,
      maxBytes: sources.maxBytes,
      signal: options.signal,
    }),
  );
}
