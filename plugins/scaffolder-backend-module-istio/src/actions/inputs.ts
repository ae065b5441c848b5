import { InputError } from '@backstage/errors';
import {
  DNS1123_LABEL_PATTERN,
  jwksUriProblem,
} from '@ambient-mesh/plugin-istio-common';
import { z } from 'zod/v3';

/*
 * Input fields shared by the actions, as zod factories (the scaffolder's
 * schema format). The handlers parse their input again with the same
 * schemas, so errors name the field and the fix.
 */

/**
 * The zod implementation a field factory receives: the scaffolder passes
 * its own (zod 4's v3 API), the handlers pass this package's zod 3; both
 * have the same API but different types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ZodImpl = any;

/** A field that must be a DNS-1123 label (namespace, Service, Gateway names). */
export function dnsLabel(zImpl: ZodImpl, field: string, example: string) {
  return zImpl
    .string({ required_error: `Input "${field}" is required` })
    .max(63, { message: `Input "${field}" must be at most 63 characters` })
    .regex(DNS1123_LABEL_PATTERN, {
      message: `Input "${field}" must be a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit), e.g. "${example}"`,
    });
}

/** The optional `cluster` field. */
export const clusterField = (zImpl: ZodImpl) =>
  zImpl
    .string()
    .optional()
    .describe(
      'Name of the cluster (from kubernetes.clusterLocatorMethods); default: the only configured cluster',
    );

/** The optional `mode` field of every write action. */
export const modeField = (zImpl: ZodImpl) =>
  zImpl
    .enum(['apply', 'gitops'])
    .optional()
    .describe(
      'apply: change the cluster (server-side apply); gitops: render the same objects as files under istio/<cluster>/<namespace>/ in the workspace, for a pull request (nothing is written to the cluster). Default: istio.gitops.defaultMode, else apply',
    );

/** The optional `overwrite` field. */
export const overwriteField = (zImpl: ZodImpl) =>
  zImpl
    .boolean()
    .default(false)
    .describe(
      'Take over fields owned by others: re-point an existing istio.io/use-waypoint, weaken a STRICT PeerAuthentication',
    );

/** The zod schema of an action's input shape. */
export function schemaOf<
  S extends Record<string, (zImpl: typeof z) => z.ZodTypeAny>,
>(shape: S) {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [key, field(z)]),
  ) as { [K in keyof S]: ReturnType<S[K]> };
  return z.object(fields);
}

/**
 * Parses an action's input; the error names each invalid field and how to
 * fix it.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const path = issue.path.join('.');
      return issue.message.startsWith('Input "')
        ? issue.message
        : `Input "${path}": ${issue.message}`;
    });
    throw new InputError(problems.join('; '));
  }
  return result.data;
}

/**
 * Refuses a jwksUri istiod must not fetch (not https, credentials in it,
 * or an internal address unless allowed by config).
 */
export function checkJwksUri(
  value: string,
  options: { allowPrivateJwksUri?: boolean },
  field: string,
): void {
  const problem = jwksUriProblem(value, {
    allowPrivateAddresses: options.allowPrivateJwksUri,
  });
  if (problem) {
    throw new InputError(`Input "${field}" ${problem}`);
  }
}
