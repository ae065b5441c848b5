import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { IstioActionDeps } from './deps';
import {
  ISTIO_ROOT_NAMESPACE,
  planWrites,
} from '@ambient-mesh/plugin-istio-common';
import {
  actorOf,
  audited,
  authorizeMeshAdmin,
  authorizeNamespaceChange,
} from './authorize';
import {
  assessBlastRadius,
  confirmField,
  enforceBlastRadius,
} from './blastRadius';
import { checkJwksUri } from './inputs';
import {
  ZodImpl,
  clusterField,
  dnsLabel,
  overwriteField,
  parseInput,
  schemaOf,
} from './inputs';
import { changeOutputs } from './outputs';
import {
  connect,
  objectResults,
  resolveMode,
  runPlan,
  summarize,
} from './runPlan';
import { modeField } from './inputs';
import { examples } from './policyApply.examples';

const strings = (z: ZodImpl, description: string) =>
  z.array(z.string().min(1)).optional().describe(description);

export const input = {
  mode: modeField,
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
  confirmDeniedCallers: confirmField,
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
      if (values.jwksUri) checkJwksUri(values.jwksUri, deps, 'jwksUri');
      const dryRun = Boolean(ctx.isDryRun);
      const writeMode = resolveMode(deps, values.mode);
      const { client, clusterName, planner, applier, signal } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      const target = { cluster: clusterName, namespace: values.namespace };
      await audited(
        deps.auditor,
        {
          action: 'istio:policy:apply',
          ...target,
          dryRun,
          mode: writeMode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          if (
            values.namespace === (deps.rootNamespace ?? ISTIO_ROOT_NAMESPACE)
          ) {
            // Policies in the root namespace apply to the whole mesh: admins
            // only, although the namespace is protected from other changes
            await authorizeMeshAdmin(
              deps.permissions,
              ctx,
              `A policy in the root namespace ${values.namespace} (mesh-wide)`,
            );
          } else {
            await authorizeNamespaceChange(deps, ctx, client, target);
          }
          let plan = await planner.planPolicyApply({
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
          const rules = values.rules.map((rule: any) => ({
            namespaces: rule.fromNamespaces,
            principals: rule.fromServiceAccounts,
          }));
          let mode: 'deny' | 'allow-only' | undefined;
          if (values.action === 'DENY' && planWrites(plan).length) {
            mode = 'deny';
          } else if (values.action === 'ALLOW' && planWrites(plan).length) {
            // The first ALLOW policy of a namespace denies everything else
            const others = await client.list(
              'security.istio.io/v1',
              'AuthorizationPolicy',
              values.namespace,
            );
            const otherAllows = others.filter(
              p =>
                p.metadata.name !== values.name &&
                (p.spec?.action ?? 'ALLOW') === 'ALLOW',
            );
            if (otherAllows.length === 0) mode = 'allow-only';
          }
          if (mode) {
            const radius = await assessBlastRadius(
              deps,
              target,
              { mode, rules },
              signal,
            );
            plan = enforceBlastRadius(plan, radius, {
              dryRun,
              confirmed: values.confirmDeniedCallers,
              fix:
                mode === 'deny'
                  ? 'narrow the rules'
                  : 'add a rule allowing them',
            });
          }
          await runPlan(ctx, plan, applier(), writeMode);
          const objects = objectResults(plan, dryRun || writeMode === 'gitops');
          ctx.output('policy', `${values.namespace}/${values.name}`);
          ctx.output(
            'enforcedBy',
            values.waypoint ? `waypoint ${values.waypoint}` : 'ztunnel',
          );
          ctx.output('objects', objects);
          ctx.output('summary', summarize(plan, dryRun, writeMode));
          return { result: undefined, changes: objects };
        },
      );
    },
  });
}
