import { KubeObject } from './state';

/**
 * A status condition of a Gateway.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * The Gateway's status conditions.
 *
 * @public
 */
export function conditionsOf(gateway: KubeObject | undefined): Condition[] {
  return Array.isArray(gateway?.status?.conditions)
    ? gateway!.status.conditions
    : [];
}

/**
 * True when the Gateway's condition Programmed is True.
 *
 * @public
 */
export function isProgrammed(gateway: KubeObject | undefined): boolean {
  return conditionsOf(gateway).some(
    c => c.type === 'Programmed' && c.status === 'True',
  );
}

/**
 * The conditions as one line, e.g. `Accepted=True (Accepted), Programmed=False (AddressNotUsable: ...)`.
 *
 * @public
 */
export function describeConditions(gateway: KubeObject | undefined): string {
  const conditions = conditionsOf(gateway);
  if (conditions.length === 0) {
    return 'no conditions reported yet (is istiod running and the GatewayClass istio-waypoint present?)';
  }
  return conditions
    .map(
      c =>
        `${c.type}=${c.status}${
          c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''
        }`,
    )
    .join(', ');
}
