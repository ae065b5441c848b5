import { Condition } from './conditions';

const L4_WHEN_KEYS = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);
const L7_OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
];
const L7_SOURCE_FIELDS = [
  'requestPrincipals',
  'notRequestPrincipals',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
];

/** The L7 fields an AuthorizationPolicy spec uses (ztunnel cannot enforce them). */
export function l7FieldsOf(spec: any): string[] {
  const found = new Set<string>();
  for (const rule of spec?.rules ?? []) {
    for (const to of rule?.to ?? []) {
      for (const field of L7_OPERATION_FIELDS) {
        if (to?.operation?.[field] !== undefined) found.add(field);
      }
    }
    for (const from of rule?.from ?? []) {
      for (const field of L7_SOURCE_FIELDS) {
        if (from?.source?.[field] !== undefined) found.add(field);
      }
    }
    for (const when of rule?.when ?? []) {
      if (when?.key && !L4_WHEN_KEYS.has(when.key))
        found.add(`when ${when.key}`);
    }
  }
  return [...found].sort();
}

/**
 * The status condition Istio writes on an AuthorizationPolicy in ambient
 * mode: `WaypointAccepted` for policies with targetRefs (TargetNotFound when
 * a target is missing), `ZtunnelAccepted` for the others (PartiallyInvalid
 * when L7 fields are dropped, UnsupportedValue for CUSTOM).
 */
export function authorizationPolicyCondition(
  spec: any,
  targetExists: (ref: {
    group?: string;
    kind?: string;
    name?: string;
  }) => boolean,
  generation: number | undefined,
): Condition {
  const targetRefs = [
    ...(spec?.targetRefs ?? []),
    ...(spec?.targetRef ? [spec.targetRef] : []),
  ];
  if (targetRefs.length > 0) {
    const missing = targetRefs.filter(ref => !targetExists(ref));
    return missing.length > 0
      ? {
          type: 'WaypointAccepted',
          status: 'False',
          reason: 'TargetNotFound',
          message: `not bound to a waypoint: ${missing
            .map(r => `${r.kind} ${r.name}`)
            .join(', ')} not found`,
          observedGeneration: generation,
        }
      : {
          type: 'WaypointAccepted',
          status: 'True',
          reason: 'Accepted',
          message: `bound to ${targetRefs
            .map(r => `${r.kind} ${r.name}`)
            .join(', ')}`,
          observedGeneration: generation,
        };
  }
  if (spec?.action === 'CUSTOM') {
    return {
      type: 'ZtunnelAccepted',
      status: 'False',
      reason: 'UnsupportedValue',
      message: 'ztunnel does not support the CUSTOM action',
      observedGeneration: generation,
    };
  }
  const l7 = l7FieldsOf(spec);
  if (l7.length > 0) {
    return {
      type: 'ZtunnelAccepted',
      status: 'True',
      reason: 'PartiallyInvalid',
      message: `ztunnel does not support HTTP rules (${l7.join(
        ', ',
      )}); these rules are ignored`,
      observedGeneration: generation,
    };
  }
  return {
    type: 'ZtunnelAccepted',
    status: 'True',
    reason: 'Accepted',
    message: 'attached to ztunnel',
    observedGeneration: generation,
  };
}
