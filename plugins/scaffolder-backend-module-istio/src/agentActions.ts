import {
  BackstageCredentials,
  LoggerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  ActionsRegistryService,
  actionsRegistryServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ConfigClusterClientFactory } from '@ambient-mesh/plugin-istio-node';
import {
  IstioActionDeps,
  createMeshCheckAction,
  createNamespaceOffboardAction,
  createNamespaceOnboardAction,
  createPolicyApplyAction,
  createWaypointApplyAction,
} from './actions';
import { input as meshCheckInput } from './actions/meshCheck';
import { input as onboardInput } from './actions/namespaceOnboard';
import { input as offboardInput } from './actions/namespaceOffboard';
import { input as waypointInput } from './actions/waypointApply';
import { input as policyInput } from './actions/policyApply';
import { readActionConfig } from './module';

type Shape = Record<string, (z: any) => any>;

/** The scaffolder action an agent action runs (one implementation for both). */
interface TemplateActionLike {
  id: string;
  description?: string;
  handler: (ctx: any) => Promise<void>;
}

/**
 * Runs a scaffolder istio:* action for a caller of the actions registry:
 * the same planner, applier, authorization (with the caller's credentials)
 * and audit events; a dry run unless `dryRun: false` is passed.
 */
export async function runTemplateAction(
  action: TemplateActionLike,
  options: {
    input: Record<string, unknown>;
    credentials: BackstageCredentials;
    logger: LoggerService;
    dryRun: boolean;
    timeoutMs?: number;
  },
): Promise<Record<string, unknown>> {
  const output: Record<string, unknown> = {};
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(),
    options.timeoutMs ?? 10 * 60_000,
  );
  try {
    await action.handler({
      input: options.input,
      logger: options.logger,
      isDryRun: options.dryRun,
      signal: controller.signal,
      getInitiatorCredentials: async () => options.credentials,
      output: (name: string, value: unknown) => {
        output[name] = value;
      },
      checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
      step: { id: 'agent', name: action.id },
      workspacePath: '',
      createTemporaryDirectory: async () => {
        throw new Error(`${action.id} needs no workspace`);
      },
    });
  } finally {
    clearTimeout(timer);
  }
  return { dryRun: options.dryRun, ...output };
}

/**
 * Registers the mesh check and the write actions (onboard, offboard,
 * waypoint, policy) with the actions registry of the istio plugin.
 *
 * @public
 */
export function registerIstioWriteActions(
  registry: ActionsRegistryService,
  deps: IstioActionDeps,
) {
  const entries: Array<{
    name: string;
    title: string;
    action: TemplateActionLike;
    input: Shape;
    write: boolean;
    destructive: boolean;
  }> = [
    {
      name: 'check-mesh',
      title: 'Check a cluster for ambient mode',
      action: createMeshCheckAction(deps),
      input: meshCheckInput,
      write: false,
      destructive: false,
    },
    {
      name: 'onboard-namespace',
      title: 'Enroll a namespace in ambient mode',
      action: createNamespaceOnboardAction(deps),
      input: onboardInput,
      write: true,
      destructive: false,
    },
    {
      name: 'offboard-namespace',
      title: 'Take a namespace out of ambient mode',
      action: createNamespaceOffboardAction(deps),
      input: offboardInput,
      write: true,
      destructive: true,
    },
    {
      name: 'apply-waypoint',
      title: 'Deploy or update a waypoint',
      action: createWaypointApplyAction(deps),
      input: waypointInput,
      write: true,
      destructive: false,
    },
    {
      name: 'apply-policy',
      title: 'Apply an authorization policy',
      action: createPolicyApplyAction(deps),
      input: policyInput,
      write: true,
      destructive: true,
    },
  ];
  for (const entry of entries) {
    registry.register({
      name: entry.name,
      title: entry.title,
      description: entry.write
        ? `${entry.action.description} Same as the scaffolder action ${entry.action.id}, under the same permissions (istio.namespace.manage on an entity claiming the namespace, or istio.mesh.admin). A dry run (plan only, nothing written) unless dryRun is false.`
        : `${entry.action.description} Same as the scaffolder action ${entry.action.id}; needs istio.mesh.admin.`,
      attributes: {
        readOnly: !entry.write,
        destructive: entry.destructive,
        idempotent: true,
      },
      schema: {
        input: z => {
          // No workspace here: agents apply (or plan, in a dry run); the
          // gitops mode is for templates, which publish the workspace
          const fields = Object.fromEntries(
            Object.entries(entry.input)
              .filter(([k]) => k !== 'mode')
              .map(([k, f]) => [k, f(z)]),
          );
          return entry.write
            ? z.object({
                ...fields,
                dryRun: z
                  .boolean()
                  .default(true)
                  .describe(
                    'Only plan and report the changes (default); pass false to apply them',
                  ),
              })
            : z.object(fields);
        },
        output: z =>
          z
            .object({
              dryRun: z.boolean(),
              summary: z.string().optional(),
            })
            .passthrough(),
      },
      action: async ({ input, credentials, logger }) => {
        const { dryRun, ...rest } = input as Record<string, unknown>;
        const output = await runTemplateAction(entry.action, {
          input: entry.write ? { ...rest, mode: 'apply' } : rest,
          credentials,
          logger,
          dryRun: entry.write ? dryRun !== false : false,
          timeoutMs: deps.actionTimeoutMs,
        });
        return { output: output as any };
      },
    });
  }
}

/**
 * The istio:* mesh check and write actions for agents: registered with the
 * actions registry of the istio plugin (MCP through the MCP actions backend).
 *
 * @public
 */
export const istioAgentActionsModule = createBackendModule({
  pluginId: 'istio',
  moduleId: 'agent-actions',
  register(reg) {
    reg.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        actionsRegistry,
        config,
        permissions,
        auth,
        auditor,
        catalog,
      }) {
        registerIstioWriteActions(actionsRegistry, {
          ...readActionConfig(config),
          clusters: ConfigClusterClientFactory.fromConfig(config),
          permissions,
          auth,
          auditor,
          catalog,
        });
      },
    });
  },
});
