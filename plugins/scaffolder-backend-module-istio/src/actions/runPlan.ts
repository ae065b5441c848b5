import {
  ISTIO_ROOT_NAMESPACE,
  OnboardingPlan,
  PlanStep,
  PlannedChange,
  describeObject,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import {
  KubeClient,
  OnboardingPlanner,
  PlanApplier,
  describeStep,
  renderPlanFiles,
  writeRenderedPlan,
} from '@ambient-mesh/plugin-istio-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { IstioActionDeps } from './deps';

/** What happened (or, in a dry run, would happen) to one object. */
export interface ObjectResult {
  kind: string;
  name: string;
  namespace: string;
  result: 'created' | 'updated' | 'deleted' | 'released' | 'unchanged';
  /** True in a dry run: nothing was written. */
  planned: boolean;
}

/** The plan as an action output (JSON). */
export function planOutput(plan: OnboardingPlan) {
  return {
    cluster: plan.cluster,
    steps: plan.steps.map(step => ({
      key: step.key,
      operation: step.operation,
      reason: step.reason,
    })),
    unchanged: plan.unchanged.map(describeObject),
    preconditions: plan.preconditions,
    warnings: plan.warnings,
    ...(plan.blastRadius ? { blastRadius: plan.blastRadius } : {}),
  };
}

/** One entry per object the plan touches or found unchanged. */
export function objectResults(
  plan: OnboardingPlan,
  planned: boolean,
): ObjectResult[] {
  const results: ObjectResult[] = [];
  const seen = new Map<string, ObjectResult>();
  for (const step of plan.steps) {
    if (step.operation === 'waitForWaypoint') continue;
    const ref = refOf(step.object as any);
    const id = describeObject(ref);
    const result = resultOf(step);
    const previous = seen.get(id);
    if (previous) {
      // The same object applied twice in one plan keeps its first verb.
      continue;
    }
    const entry = {
      kind: ref.kind,
      name: ref.name,
      namespace: ref.namespace ?? '',
      result,
      planned,
    };
    seen.set(id, entry);
    results.push(entry);
  }
  for (const ref of plan.unchanged) {
    if (seen.has(describeObject(ref))) continue;
    results.push({
      kind: ref.kind,
      name: ref.name,
      namespace: ref.namespace ?? '',
      result: 'unchanged',
      planned,
    });
  }
  return results;
}

function resultOf(step: PlannedChange): ObjectResult['result'] {
  if (step.operation === 'delete') return 'deleted';
  if (step.key.startsWith('release:')) return 'released';
  return step.exists ? 'updated' : 'created';
}

/**
 * Where a write action's plan goes: `apply` runs it against the cluster,
 * `gitops` renders it as files in the workspace (for a pull request).
 *
 * @public
 */
export type WriteMode = 'apply' | 'gitops';

/** The mode of this run: the input's, else the configured default, else apply. */
export function resolveMode(
  deps: { defaultMode?: WriteMode },
  value?: WriteMode,
): WriteMode {
  return value ?? deps.defaultMode ?? 'apply';
}

/** A one-line summary: "unchanged" when nothing is written. */
export function summarize(
  plan: OnboardingPlan,
  dryRun: boolean,
  mode: WriteMode = 'apply',
): string {
  if (mode === 'gitops') {
    const { files, removed } = renderPlanFiles(plan);
    const text = `${files.length} file(s) rendered${
      removed.length ? `, ${removed.length} removed` : ''
    } under istio/ for a pull request`;
    return plan.steps.length === 0
      ? `unchanged: ${plan.unchanged.length} object(s) already as requested; ${text}`
      : `gitops: ${text}`;
  }
  const results = objectResults(plan, dryRun);
  const changed = results.filter(r => r.result !== 'unchanged');
  if (changed.length === 0) {
    return `unchanged: ${results.length} object(s) already as requested`;
  }
  const counts = new Map<string, number>();
  for (const r of changed)
    counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  const text = [...counts].map(([verb, n]) => `${n} ${verb}`).join(', ');
  return dryRun ? `dry run, would be: ${text}` : text;
}

const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;

/**
 * A planner and an applier for the cluster named in the input. Every
 * Kubernetes request has a deadline, and stops when the task is cancelled
 * (`signal`) or the action's deadline passes.
 */
export function connect(
  deps: IstioActionDeps,
  cluster?: string,
  taskSignal?: AbortSignal,
) {
  const kubeConfig = deps.clusters.getKubeConfig(cluster);
  const clusterName =
    cluster ?? deps.clusters.listClusters()[0]?.name ?? 'default';
  const signals = [
    AbortSignal.timeout(deps.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS),
  ];
  if (taskSignal) signals.push(taskSignal);
  const signal = AbortSignal.any(signals);
  const client = new KubeClient(kubeConfig, {
    requestTimeoutMs: deps.requestTimeoutMs,
    signal,
  });
  return {
    clusterName,
    client,
    planner: new OnboardingPlanner(client, {
      cluster: clusterName,
      protectedNamespaces: deps.protectedNamespaces,
      rootNamespace: deps.rootNamespace ?? ISTIO_ROOT_NAMESPACE,
    }),
    signal,
    applier: () =>
      new PlanApplier(client, {
        waypointTimeoutMs: deps.waypointTimeoutMs,
        signal,
      }),
  };
}

/**
 * Logs the plan, then either stops (dry run) or applies it step by step,
 * each step in a checkpoint with the step's deterministic key.
 */
export async function runPlan(
  ctx: ActionContext<any, any>,
  plan: OnboardingPlan,
  applier: PlanApplier,
  mode: WriteMode = 'apply',
): Promise<void> {
  ctx.logger.info(
    `Plan for cluster ${plan.cluster}: ${plan.steps.length} step(s), ${plan.unchanged.length} object(s) unchanged`,
  );
  plan.preconditions.forEach(p => ctx.logger.info(`Precondition: ${p}`));
  plan.warnings.forEach(w => ctx.logger.warn(`Warning: ${w}`));
  plan.steps.forEach((step, index) =>
    ctx.logger.info(`  ${index + 1}. ${step.reason}`),
  );
  ctx.output('plan', planOutput(plan));
  ctx.output('mode', mode);
  if (mode === 'gitops') {
    await renderToWorkspace(ctx, plan);
    return;
  }
  if (ctx.isDryRun) {
    ctx.logger.info('Dry run: nothing was written');
    return;
  }
  if (plan.steps.length === 0) {
    ctx.logger.info('Nothing to do: everything is already as requested');
    return;
  }
  await applier.apply(plan, {
    onStep: ({ step, phase, index, total }) => {
      ctx.logger.info(
        `[${index + 1}/${total}] ${
          phase === 'start' ? 'Running' : 'Done'
        }: ${describeStep(step as PlanStep)}`,
      );
    },
    runStep: (step, run) =>
      ctx.checkpoint({
        // The template step's id keeps keys unique when several istio:*
        // steps of one task touch the same object.
        key: `istio:${ctx.step?.id ?? 'step'}:${step.key}`,
        fn: async () => {
          await run();
        },
      }),
  });
}

/**
 * GitOps mode: writes the plan as files into the workspace (also in a dry
 * run, so the preview shows them); nothing is sent to the cluster.
 */
async function renderToWorkspace(
  ctx: ActionContext<any, any>,
  plan: OnboardingPlan,
): Promise<void> {
  const rendered = renderPlanFiles(plan);
  await writeRenderedPlan(ctx.workspacePath, rendered);
  rendered.files.forEach(f => ctx.logger.info(`Rendered ${f.path}`));
  rendered.removed.forEach(p => ctx.logger.info(`Removed ${p}`));
  rendered.notes.forEach(n => ctx.logger.info(`Note: ${n}`));
  ctx.logger.info(
    'GitOps mode: nothing was written to the cluster; publish the workspace as a pull request',
  );
  ctx.output(
    'files',
    rendered.files.map(f => f.path),
  );
  ctx.output('removedFiles', rendered.removed);
  ctx.output('notes', rendered.notes);
}
