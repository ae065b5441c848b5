import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DEFAULT_WAYPOINT_NAME,
  planWrites,
} from '@ambient-mesh/plugin-istio-common';
import { IstioActionDeps } from './deps';
import { actorOf, audited, authorizeNamespaceChange } from './authorize';
import {
  assessBlastRadius,
  confirmField,
  enforceBlastRadius,
} from './blastRadius';
import { checkJwksUri } from './inputs';
import {
  clusterField,
  dnsLabel,
  overwriteField,
  parseInput,
  schemaOf,
  ZodImpl,
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
import { examples } from './namespaceOnboard.examples';

export const input = {
  mode: modeField,
  cluster: clusterField,
  namespace: (z: ZodImpl) =>
    dnsLabel(z, 'namespace', 'reporting').describe(
      'The namespace to enroll in ambient mode',
    ),
  createNamespace: (z: ZodImpl) =>
    z
      .boolean()
      .default(true)
      .describe('Create the namespace when it does not exist'),
  waypoint: (z: ZodImpl) =>
    z
      .boolean()
      .default(false)
      .describe(
        "Deploy a waypoint (L7 proxy) and send the namespace's traffic through it",
      ),
  waypointName: (z: ZodImpl) =>
    dnsLabel(z, 'waypointName', DEFAULT_WAYPOINT_NAME)
      .default(DEFAULT_WAYPOINT_NAME)
      .describe('Name of the waypoint Gateway'),
  waypointFor: (z: ZodImpl) =>
    z
      .enum(['service', 'workload', 'all'])
      .default('service')
      .describe(
        'Traffic the waypoint handles: to services, to workloads, or both',
      ),
  defaultPolicies: (z: ZodImpl) =>
    z
      .boolean()
      .default(true)
      .describe(
        "Apply zero-trust defaults: PeerAuthentication STRICT, allow-nothing, explicit allows (and the waypoint's identity)",
      ),
  mtlsMode: (z: ZodImpl) =>
    z
      .enum(['STRICT', 'PERMISSIVE'])
      .default('STRICT')
      .describe("mTLS mode of the namespace's PeerAuthentication"),
  allowNamespaces: (z: ZodImpl) =>
    z
      .array(dnsLabel(z, 'allowNamespaces[]', 'frontend'))
      .default([])
      .describe(
        'Namespaces allowed to call the services (default: the namespace itself)',
      ),
  jwtIssuer: (z: ZodImpl) =>
    z.string().optional().describe('Issuer of the JWTs the waypoint validates'),
  jwksUri: (z: ZodImpl) =>
    z
      .string()
      .url()
      .optional()
      .describe("URL of the issuer's JSON Web Key Set"),
  requireJwt: (z: ZodImpl) =>
    z
      .boolean()
      .default(false)
      .describe(
        'Reject requests without a valid JWT (needs waypoint and jwtIssuer)',
      ),
  tracingSamplingPercentage: (z: ZodImpl) =>
    z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        'Trace this percentage of requests through the waypoint (needs waypoint)',
      ),
  overwrite: overwriteField,
  confirmDeniedCallers: confirmField,
};
const inputSchema = schemaOf(input);

/**
 * `istio:namespace:onboard`: enrolls a namespace in ambient mode, with an
 * optional waypoint and default zero-trust policies.
 *
 * @public
 */
export function createNamespaceOnboardAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:namespace:onboard',
    description:
      'Enrolls a namespace in the Istio ambient mesh: label, optional waypoint (waits until Programmed), default policies. Idempotent; supports dry run.',
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        namespace: (z: ZodImpl) =>
          z.string().describe('The enrolled namespace'),
        waypoint: (z: ZodImpl) =>
          z.string().describe("The waypoint's name, empty without waypoint"),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      if (values.jwksUri) checkJwksUri(values.jwksUri, deps, 'jwksUri');
      const dryRun = Boolean(ctx.isDryRun);
      const mode = resolveMode(deps, values.mode);
      const { client, clusterName, planner, applier, signal } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      const target = { cluster: clusterName, namespace: values.namespace };
      await audited(
        deps.auditor,
        {
          action: 'istio:namespace:onboard',
          ...target,
          dryRun,
          mode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          await authorizeNamespaceChange(deps, ctx, client, target);
          let plan = await planner.planNamespaceOnboard({
            namespace: values.namespace,
            createNamespace: values.createNamespace,
            waypoint: values.waypoint
              ? { name: values.waypointName, for: values.waypointFor }
              : undefined,
            defaultPolicies: values.defaultPolicies,
            mtlsMode: values.mtlsMode,
            allowNamespaces: values.allowNamespaces,
            jwt: values.jwtIssuer
              ? { issuer: values.jwtIssuer, jwksUri: values.jwksUri }
              : undefined,
            requireJwt: values.requireJwt,
            tracingSamplingPercentage: values.tracingSamplingPercentage,
            overwrite: values.overwrite,
          });
          const addsDeny = planWrites(plan).some(
            w =>
              w.object.kind === 'AuthorizationPolicy' &&
              ['allow-nothing', 'allow-callers'].includes(
                w.object.metadata.name,
              ),
          );
          if (addsDeny) {
            const allowed = values.allowNamespaces.length
              ? values.allowNamespaces
              : [values.namespace];
            const radius = await assessBlastRadius(
              deps,
              target,
              {
                mode: 'allow-only',
                rules: [
                  { namespaces: allowed },
                  ...(values.waypoint
                    ? [
                        {
                          principals: [
                            `cluster.local/ns/${values.namespace}/sa/${values.waypointName}`,
                          ],
                        },
                      ]
                    : []),
                ],
              },
              signal,
            );
            plan = enforceBlastRadius(plan, radius, {
              dryRun,
              confirmed: values.confirmDeniedCallers,
              fix: 'add their namespaces to "allowNamespaces"',
            });
          }
          await runPlan(ctx, plan, applier(), mode);
          const objects = objectResults(plan, dryRun || mode === 'gitops');
          ctx.output('namespace', values.namespace);
          ctx.output('waypoint', values.waypoint ? values.waypointName : '');
          ctx.output('objects', objects);
          ctx.output('summary', summarize(plan, dryRun, mode));
          return { result: undefined, changes: objects };
        },
      );
    },
  });
}
