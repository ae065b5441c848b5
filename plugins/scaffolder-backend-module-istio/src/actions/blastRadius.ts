import { InputError } from '@backstage/errors';
import {
  BlastRadius,
  OnboardingPlan,
  RuleSources,
  deniedCallers,
  describeCaller,
} from '@ambient-mesh/plugin-istio-common';
import { IstioActionDeps } from './deps';

/**
 * The callers Prometheus saw in the last hour that a change of policies
 * would deny. Undefined when no source serves the cluster.
 */
export async function assessBlastRadius(
  deps: IstioActionDeps,
  target: { cluster: string; namespace: string },
  change: { mode: 'allow-only' | 'deny'; rules: RuleSources[] },
  signal?: AbortSignal,
): Promise<BlastRadius> {
  const source = deps.callers?.describe(target.cluster);
  if (!deps.callers || !source) {
    return {
      source: 'none',
      checked: false,
      problem: `no Prometheus is configured for cluster ${target.cluster} (istio.prometheus), so the callers the new policies would deny are unknown`,
      deniedCallers: [],
    };
  }
  try {
    const callers =
      (await deps.callers.callers(target.cluster, target.namespace, signal)) ??
      [];
    return {
      source,
      checked: true,
      deniedCallers: deniedCallers(callers, change),
    };
  } catch (error) {
    return {
      source,
      checked: false,
      problem: `the current callers could not be read: ${
        (error as Error).message
      }`,
      deniedCallers: [],
    };
  }
}

/** Field of the input that confirms cutting off the listed callers. */
export const CONFIRM_FIELD = 'confirmDeniedCallers';

/** The input field confirming a plan that denies current callers. */
export const confirmField = (zImpl: any) =>
  zImpl
    .boolean()
    .default(false)
    .describe(
      'Apply even though the new policies deny callers Prometheus saw in the last hour (the dry run lists them)',
    );

/**
 * Puts the blast radius into the plan: warnings in every run; in a real
 * run, a refusal when current callers would be denied (or could not be
 * checked although a Prometheus is configured) and the input does not
 * confirm it.
 */
export function enforceBlastRadius(
  plan: OnboardingPlan,
  radius: BlastRadius | undefined,
  options: { dryRun: boolean; confirmed: boolean; fix: string },
): OnboardingPlan {
  if (!radius) return plan;
  const warnings = [...plan.warnings];
  const denied = radius.deniedCallers.map(describeCaller);
  if (denied.length) {
    warnings.push(
      `The new policies deny ${denied.length} current caller(s) seen by ${
        radius.source
      }: ${denied.join(', ')}`,
    );
  } else if (!radius.checked) {
    warnings.push(`Blast radius not checked: ${radius.problem}`);
  }
  const withRadius = { ...plan, warnings, blastRadius: radius };
  const unverified = !radius.checked && radius.source !== 'none';
  if (!options.dryRun && !options.confirmed && (denied.length || unverified)) {
    throw new InputError(
      denied.length
        ? `Refusing to cut off current callers: the new policies deny ${denied.join(
            ', ',
          )} (seen by ${radius.source}); ${
            options.fix
          }, or set ${CONFIRM_FIELD}: true to apply anyway`
        : `Refusing to add a deny whose blast radius is unknown (${radius.problem}); set ${CONFIRM_FIELD}: true to apply anyway`,
    );
  }
  return withRadius;
}
