import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DEFAULT_WAYPOINT_NAME } from '@ambient-mesh/plugin-istio-common';
import { IstioActionDeps } from './deps';
import { actorOf, audited, authorizeNamespaceChange } from './authorize';
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
import { examples } from './waypointApply.examples';

export const input = {
  mode: modeField,
  cluster: clusterField,
  namespace: (z: ZodImpl) =>
    dnsLabel(z, 'namespace', 'reporting').describe('Namespace of the waypoint'),
  name: (z: ZodImpl) =>
    dnsLabel(z, 'name', DEFAULT_WAYPOINT_NAME)
      .default(DEFAULT_WAYPOINT_NAME)
      .describe('Name of the waypoint Gateway'),
  for: (z: ZodImpl) =>
    z
      .enum(['service', 'workload', 'all'])
      .default('service')
      .describe('Traffic the waypoint handles (label istio.io/waypoint-for)'),
  enrollNamespace: (z: ZodImpl) =>
    z
      .boolean()
      .default(false)
      .describe("Send the whole namespace's traffic through the waypoint"),
  service: (z: ZodImpl) =>
    dnsLabel(z, 'service', 'reports')
      .optional()
      .describe("Send only this Service's traffic through the waypoint"),
  overwrite: overwriteField,
};
const inputSchema = schemaOf(input);

/**
 * `istio:waypoint:apply`: a waypoint for a namespace or one Service, waited
 * for with a watch until Programmed.
 *
 * @public
 */
export function createWaypointApplyAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:waypoint:apply',
    description:
      'Deploys an Istio waypoint (Gateway of class istio-waypoint), waits until it is Programmed, and binds a namespace or a Service to it. Supports dry run.',
    examples,
    supportsDryRun: true,
    schema: {
      input,
      output: {
        waypoint: (z: ZodImpl) => z.string().describe("The waypoint's name"),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const mode = resolveMode(deps, values.mode);
      const { client, clusterName, planner, applier } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      const target = { cluster: clusterName, namespace: values.namespace };
      await audited(
        deps.auditor,
        {
          action: 'istio:waypoint:apply',
          ...target,
          dryRun,
          mode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          await authorizeNamespaceChange(deps, ctx, client, target);
          const plan = await planner.planWaypointApply({
            namespace: values.namespace,
            name: values.name,
            for: values.for,
            enrollNamespace: values.enrollNamespace,
            service: values.service,
            overwrite: values.overwrite,
          });
          await runPlan(ctx, plan, applier(), mode);
          const objects = objectResults(plan, dryRun || mode === 'gitops');
          ctx.output('waypoint', values.name);
          ctx.output('objects', objects);
          ctx.output('summary', summarize(plan, dryRun, mode));
          return { result: undefined, changes: objects };
        },
      );
    },
  });
}
