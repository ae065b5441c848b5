import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from './state';

/** The URL of a Gateway API release's standard CRDs. */
export function gatewayApiManifestUrl(version: string): string {
  return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${encodeURIComponent(
    version,
  )}/standard-install.yaml`;
}

/** The CustomResourceDefinitions of a multi-document YAML manifest. */
export function parseCrdManifest(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(
      (object): object is KubeObject =>
        object?.kind === 'CustomResourceDefinition' &&
        typeof object?.apiVersion === 'string',
    );
}

/** Downloads and parses the Gateway API CRDs of a release. */
export async function fetchGatewayApiCrds(
  version: string,
  url = gatewayApiManifestUrl(version),
): Promise<KubeObject[]> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ServiceUnavailableError(
      `Could not download the Gateway API CRDs from ${url}: ${
        (error as Error).message
      }; set "gatewayApiManifestUrl" to a reachable copy`,
    );
  }
  if (!response.ok) {
    throw new InputError(
      `Input "gatewayApiVersion": ${url} answered HTTP ${response.status}; check the version (e.g. v1.3.0) or "gatewayApiManifestUrl"`,
    );
  }
  return parseCrdManifest(await response.text());
}
