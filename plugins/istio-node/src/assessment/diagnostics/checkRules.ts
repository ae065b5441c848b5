import type { DiagnosticRule } from './context';
import {
  destinationRuleDiagnostics,
  virtualServiceDiagnostics,
} from './trafficDiagnostics';
import {
  gatewayApiVersionDiagnostics,
  gatewayRouteDiagnostics,
  istioGatewayDiagnostics,
  kubeGatewayDiagnostics,
  referenceGrantDiagnostics,
} from './gatewayApiDiagnostics';
import {
  serviceEntryDiagnostics,
  servicePortDiagnostics,
} from './serviceDiagnostics';
import {
  gatewaySelectorDiagnostics,
  sidecarResourceDiagnostics,
  telemetryDiagnostics,
  wasmPluginDiagnostics,
} from './extensionDiagnostics';
import {
  authorizationRuleDiagnostics,
  jwksDiagnostics,
  peerAuthenticationConflictDiagnostics,
  policyTargetDiagnostics,
  selectorMatchesNothingDiagnostics,
  uncoveredWorkloadDiagnostics,
  workloadLabelDiagnostics,
} from './policyCheckDiagnostics';
import { telemetryPresenceDiagnostics } from './telemetryPresenceDiagnostics';

/**
 * The configuration checks over traffic-management, extension and Gateway API objects.
 * Each returns nothing when the snapshot did not read those objects.
 */
export const CHECK_RULES: DiagnosticRule[] = [
  virtualServiceDiagnostics,
  destinationRuleDiagnostics,
  gatewayRouteDiagnostics,
  kubeGatewayDiagnostics,
  referenceGrantDiagnostics,
  istioGatewayDiagnostics,
  gatewayApiVersionDiagnostics,
  serviceEntryDiagnostics,
  servicePortDiagnostics,
  wasmPluginDiagnostics,
  telemetryDiagnostics,
  gatewaySelectorDiagnostics,
  sidecarResourceDiagnostics,
  selectorMatchesNothingDiagnostics,
  authorizationRuleDiagnostics,
  peerAuthenticationConflictDiagnostics,
  policyTargetDiagnostics,
  uncoveredWorkloadDiagnostics,
  jwksDiagnostics,
  workloadLabelDiagnostics,
  telemetryPresenceDiagnostics,
];
