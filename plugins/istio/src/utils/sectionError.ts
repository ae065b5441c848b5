import type { SectionError } from '@ambient-mesh/plugin-istio-common';
import type { ResponseError } from '@backstage/errors';

/** Turns the serialized error of one cluster's section into an `Error` for `ResponseErrorPanel`. */
export function toError(error: SectionError): Error {
  const result = new Error(error.message);
  result.name = error.name;
  // The stack would point at this function, not at the backend's failure.
  result.stack = undefined;
  return result;
}

/**
 * The reason of an error in a few words: the backend's own message for a
 * `ResponseError` (rather than "Request failed with 503"), else the message.
 */
export function errorReason(error: Error): string {
  if (error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) return cause.message;
  }
  return error.message;
}
