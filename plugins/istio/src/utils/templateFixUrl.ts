import { parseEntityRef } from '@backstage/catalog-model';
import type { TemplateFix } from '@ambient-mesh/plugin-istio-common';

/** Where the scaffolder is mounted in a default Backstage app. */
export const DEFAULT_SCAFFOLDER_PATH = '/create';

/**
 * The scaffolder URL that opens the fix's template with its values prefilled:
 * `/create/templates/{namespace}/{name}?formData=<JSON>`, the query parameter the
 * scaffolder reads its initial form data from.
 */
export function templateFixUrl(
  fix: TemplateFix,
  scaffolderPath: string = DEFAULT_SCAFFOLDER_PATH,
): string {
  const ref = parseEntityRef(fix.templateRef, {
    defaultKind: 'template',
    defaultNamespace: 'default',
  });
  const formData = encodeURIComponent(JSON.stringify(fix.values));
  return `${scaffolderPath}/templates/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}?formData=${formData}`;
}
