import { SectionError } from '@ambient-mesh/plugin-istio-common';
import { isError } from '@backstage/errors';

/** The name and message of an error, as a section of a response carries it. */
export function toSectionError(error: unknown): SectionError {
  if (isError(error)) {
    return { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}
