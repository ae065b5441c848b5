import type {
  CommandFix,
  TemplateFix,
  YamlFix,
} from '@ambient-mesh/plugin-istio-common';
import { stringify } from 'yaml';
import type { CustomObject, PolicyTargetReference } from '../snapshot';
import type { DiagnosticContext } from './context';

/** A link to the onboarding template, prefilled for the entity's namespace. */
export function onboardFix(
  context: DiagnosticContext,
  values: { waypoint?: boolean } = {},
): TemplateFix {
  return {
    kind: 'template',
    templateRef: context.onboardTemplateRef,
    values: {
      namespace: context.snapshot.namespace,
      cluster: context.snapshot.cluster,
      waypoint: values.waypoint ?? false,
    },
  };
}

/** A link to the mesh check/provision template, prefilled for the cluster. */
export function meshFix(context: DiagnosticContext): TemplateFix {
  return {
    kind: 'template',
    templateRef: context.meshTemplateRef,
    values: { cluster: context.snapshot.cluster },
  };
}

/** The exact command to run. */
export function commandFix(...commands: string[]): CommandFix {
  return { kind: 'command', command: commands.join('\n') };
}

/** YAML documents to apply, separated by `---`. */
export function yamlFix(...documents: object[]): YamlFix {
  return {
    kind: 'yaml',
    yaml: documents.map(d => stringify(d, { lineWidth: 0 })).join('---\n'),
  };
}

/** Quotes a shell word when it needs it. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._/=:-]+$/.test(value)
    ? value
    : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where a policy must attach to be enforced by the entity's waypoint: its Services
 * (kind Service), or the waypoint Gateway when it has none.
 */
export function waypointTargetRefs(
  context: DiagnosticContext,
): PolicyTargetReference[] {
  const services = context.snapshot.services
    .map(s => s.metadata?.name)
    .filter((n): n is string => Boolean(n));
  if (services.length > 0) {
    return services.map(name => ({ group: '', kind: 'Service', name }));
  }
  const name =
    context.waypoint.kind === 'waypoint' ? context.waypoint.name : 'waypoint';
  return [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name }];
}

/** The same policy, attached to the waypoint with targetRefs instead of a selector. */
export function policyOnWaypoint(
  kind: 'AuthorizationPolicy' | 'RequestAuthentication',
  policy: CustomObject<Record<string, unknown>>,
  context: DiagnosticContext,
): object {
  const { selector, targetRef, targetRefs, ...rest } = policy.spec ?? {};
  return {
    apiVersion: 'security.istio.io/v1',
    kind,
    metadata: {
      name: policy.metadata.name,
      namespace: policy.metadata.namespace ?? context.snapshot.namespace,
    },
    spec: { targetRefs: waypointTargetRefs(context), ...rest },
  };
}

/**
 * A waypoint Gateway as `istioctl waypoint apply` creates it.
 *
 * @public
 */
export function waypointGateway(
  name: string,
  namespace: string,
  waypointFor?: string,
  allowedFrom?: 'All',
): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name,
      namespace,
      ...(waypointFor
        ? { labels: { 'istio.io/waypoint-for': waypointFor } }
        : {}),
    },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [
        {
          name: 'mesh',
          port: 15008,
          protocol: 'HBONE',
          ...(allowedFrom
            ? { allowedRoutes: { namespaces: { from: allowedFrom } } }
            : {}),
        },
      ],
    },
  };
}
