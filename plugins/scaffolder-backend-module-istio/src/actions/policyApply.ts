import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { IstioActionDeps } from './deps';
import { authorizeOnboard } from './authorize';
import {
  ZodImpl,
  clusterField,
  dnsLabel,
  overwriteField,
  parseInput,
  schemaOf,
} from './inputs';
import { changeOutputs } from './outputs';
import { connect, objectResults, runPlan, summarize } from './runPlan';
import { examples } from './policyApply.examples';

const strings = (z: ZodImpl, description: string) =>
  z.array(z.string().min(1)).optional().describe(description);

const input = {
  cluster: clusterField,
  namespace: (z: ZodImpl) =>
    dnsLabel(z, 'namespace', 'reporting').describe(
      'Namespace the policy protects',
    ),
  name: (z: ZodImpl) =>
    dnsLabel(z, 'name', 'allow-frontend').describe(
      'Name of the AuthorizationPolicy',
    ),
  action: (z: ZodImpl) =>
    z
      .enum(['ALLOW', 'DENY', 'CUSTOM'])
      .default('ALLOW')
      .describe(
        'ALLOW or DENY the matching requests (CUSTOM needs a waypoint)',
      ),
  waypoint: (z: ZodImpl) =>
    dnsLabel(z, 'waypoint', 'waypoint')
      .optional()
      .describe(
        'Enforce at this waypoint (needed for methods, paths, requestPrincipals); without it ztunnel enforces L4 rules only',
      ),
  selector: (z: ZodImpl) =>
    z
      .record(z.string())
      .optional()
      .describe(
        'Workload labels the policy applies to (ztunnel only); default: the whole namespace',
      ),
  rules: (z: ZodImpl) =>
    z
      .array(
        z.object({
          fromNamespaces: strings(z, "Callers' namespaces"),
          fromServiceAccounts: z
            .array(
              z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, {
                message:
                  'Input "rules[].fromServiceAccounts" entries are namespace/serviceaccount, e.g. "frontend/web"',
              }),
            )
            .optional()
            .describe("Callers' service accounts as namespace/name"),
          ports: strings(z, 'Destination ports'),
          methods: strings(z, 'HTTP methods (L7: needs waypoint)'),
          paths: strings(z, 'HTTP paths (L7: needs waypoint)'),
          requestPrincipals: strings(
            z,
            'JWT principals, "*" for any valid token (L7: needs waypoint)',
          ),
        }),
      )
      .min(1, { message: 'Input "rules" needs at least one rule' })
      .describe('Rules; a request matching any rule matches the policy'),
  jwtIssuer: (z: ZodImpl) =>
    z
      .string()
      .optional()
      .describe('Validate JWTs of this issuer at the waypoint'),
  jwksUri: (z: ZodImpl) =>
    z
      .string()
      .url()
      .optional()
      .describe("URL of the issuer's JSON Web Key Set"),
  overwrite: overwriteField,
};
const inputSchema = schemaOf(input);

/**
 * `istio:policy:apply`: an AuthorizationPolicy (and RequestAuthentication)
 * from structured input, refusing the shapes ambient cannot enforce.
 *
 * @public
 */
export function createPolicyApplyAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:policy:apply',
    description:
      'Applies an Istio AuthorizationPolicy from structured rules (and JWT validation at a waypoint). Refuses L7 rules without a waypoint and CUSTOM on ztunnel. Supports dry run.',
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        policy: (z: ZodImpl) =>
          z.string().describe('namespace/name of the policy'),
        enforcedBy: (z: ZodImpl) =>
          z.string().describe('"ztunnel" or "waypoint <name>"'),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      await authorizeOnboard(deps.permissions, ctx);
      const { planner, applier } = connect(deps, values.cluster);
      const plan = await planner.planPolicyApply({
        namespace: values.namespace,
        name: values.name,
        action: values.action,
        waypoint: values.waypoint,
        selector: values.selector,
        rules: values.rules,
        jwt: values.jwtIssuer
          ? { issuer: values.jwtIssuer, jwksUri: values.jwksUri }
          : undefined,
        overwrite: values.overwrite,
      });
      await runPlan(ctx, plan, applier(ctx.signal));
      ctx.output('policy', `${values.namespace}/${values.name}`);
      ctx.output(
        'enforcedBy',
        values.waypoint ? `waypoint ${values.waypoint}` : 'ztunnel',
      );
      ctx.output('objects', objectResults(plan, Boolean(ctx.isDryRun)));
      ctx.output('summary', summarize(plan, Boolean(ctx.isDryRun)));
    },
  });
}
