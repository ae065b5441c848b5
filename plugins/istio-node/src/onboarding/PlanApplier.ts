import { CustomErrorBase } from '@backstage/errors';
import {
  FIELD_MANAGER,
  OnboardingPlan,
  PlanStep,
  describeObject,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import { KubeClient } from './kubeClient';
import { waitForWaypoint } from './waitForWaypoint';

/**
 * Reports a step as it starts and as it ends.
 *
 * @public
 */
export type StepListener = (event: {
  step: PlanStep;
  phase: 'start' | 'done';
  index: number;
  total: number;
}) => void | Promise<void>;

/**
 * Runs each step through a wrapper (the scaffolder wraps it in
 * `ctx.checkpoint`); the default runs it directly.
 *
 * @public
 */
export type StepRunner = (
  step: PlanStep,
  run: () => Promise<void>,
) => Promise<void>;

/**
 * Error thrown when a plan fails midway: it names what was and was not applied.
 *
 * @public
 */
export class PlanApplyError extends CustomErrorBase {
  constructor(
    message: string,
    readonly applied: string[],
    readonly notApplied: string[],
    readonly failure: Error,
  ) {
    super(message);
  }
}

/**
 * Applies a plan step by step: server-side apply with one field manager,
 * deletes, and watches for waypoints.
 *
 * @public
 */
export class PlanApplier {
  constructor(
    private readonly client: KubeClient,
    private readonly options: {
      fieldManager?: string;
      waypointTimeoutMs?: number;
      signal?: AbortSignal;
    } = {},
  ) {}

  /** Runs every step in order; throws a {@link PlanApplyError} on failure. */
  async apply(
    plan: OnboardingPlan,
    hooks: { onStep?: StepListener; runStep?: StepRunner } = {},
  ): Promise<void> {
    const done: string[] = [];
    const runStep: StepRunner = hooks.runStep ?? ((_s, run) => run());
    for (const [index, step] of plan.steps.entries()) {
      const total = plan.steps.length;
      await hooks.onStep?.({ step, phase: 'start', index, total });
      try {
        await runStep(step, () => this.runStep(step));
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        const notApplied = plan.steps.slice(index).map(describeStep);
        const applied = done.length ? done.join('; ') : 'nothing';
        throw new PlanApplyError(
          `Step ${index + 1} of ${total} failed (${describeStep(step)}): ${
            cause.message
          }. Applied: ${applied}. Not applied: ${notApplied.join(
            '; ',
          )}. Running the action again completes the plan`,
          done,
          notApplied,
          cause,
        );
      }
      done.push(describeStep(step));
      await hooks.onStep?.({ step, phase: 'done', index, total });
    }
  }

  private async runStep(step: PlanStep): Promise<void> {
    const fieldManager = this.options.fieldManager ?? FIELD_MANAGER;
    switch (step.operation) {
      case 'apply':
        await this.client.apply(step.object as any, fieldManager, step.force);
        return;
      case 'delete':
        // Only the object that was planned: same uid and resourceVersion
        await this.client.delete(refOf(step.object as any), {
          uid: step.object.metadata.uid,
          resourceVersion: step.object.metadata.resourceVersion,
        });
        return;
      case 'waitForWaypoint':
        await waitForWaypoint(this.client.kubeConfig, step.gateway, {
          timeoutMs: this.options.waypointTimeoutMs ?? 90_000,
          signal: this.options.signal ?? this.client.signal,
        });
        return;
      default:
        throw new Error(`Unknown step ${JSON.stringify(step)}`);
    }
  }
}

/**
 * A step in a few words, e.g. `apply Gateway reporting/waypoint`.
 *
 * @public
 */
export function describeStep(step: PlanStep): string {
  if (step.operation === 'waitForWaypoint') {
    return `wait for ${describeObject(step.gateway)}`;
  }
  let verb = step.exists ? 'update' : 'create';
  if (step.operation === 'delete') verb = 'delete';
  return `${verb} ${describeObject(refOf(step.object as any))}`;
}
