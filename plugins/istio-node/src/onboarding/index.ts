export * from './objects';
export { containsDesired } from './compare';
export type { ClusterState, KubeObject } from './state';
export { stateKey, stateOf, managerOwnsFields, onlyManager } from './state';
export type { ApplyDecision, DesiredObject } from './planApply';
export { planApply, applyKey } from './planApply';
export { assertNotProtected } from './protectedNamespaces';
export type { NamespaceOnboardRequest } from './onboardNamespace';
export { planNamespaceOnboard, onboardReads } from './onboardNamespace';
export { KubeClient, KindNotServedError } from './kubeClient';
export { OnboardingPlanner } from './OnboardingPlanner';
export type { PlannerOptions } from './OnboardingPlanner';
export { PlanApplier, PlanApplyError, describeStep } from './PlanApplier';
export type { StepListener, StepRunner } from './PlanApplier';
export { waitForWaypoint } from './waitForWaypoint';
export * from './gatewayStatus';
export type { WaypointApplyRequest } from './waypointApply';
export { planWaypointApply, waypointReads } from './waypointApply';
export type { PolicyApplyRequest, PolicyRule } from './policyApply';
export {
  planPolicyApply,
  policyReads,
  assertEnforceable,
  authorizationPolicy,
  l7FieldsOf,
} from './policyApply';
export type { OffboardState } from './offboardNamespace';
export { planNamespaceOffboard, OFFBOARD_KINDS } from './offboardNamespace';
export type {
  MeshProvisionRequest,
  ProvisionFacts,
  ProvisionLayout,
} from './provisionMesh';
export {
  planMeshProvision,
  provisionLayout,
  provisionObjects,
  provisionReads,
  SAIL_API_VERSION,
  SAIL_DEFAULT_NAMESPACES,
  SAIL_ZTUNNEL_API_VERSIONS,
  sailReads,
} from './provisionMesh';
export type { MeshFacts } from './meshFacts';
export { readMeshFacts } from './meshFacts';
export { assessMeshReadiness } from './assessMeshReadiness';
export {
  downloadAllowed,
  fetchGatewayApiCrds,
  gatewayApiManifestUrl,
  parseCrdManifest,
  resolveManifestUrl,
} from './gatewayApiManifest';
export type { ManifestSources } from './gatewayApiManifest';
export type { CallerSource, CallerPrometheus } from './observedCallers';
export { PrometheusCallerSource } from './observedCallers';
export { KubeAbortedError } from './rawRequest';
export type { KubeClientOptions } from './kubeClient';
export type { ManifestFile, ManifestsApplyRequest } from './manifestsApply';
export {
  MANIFEST_KINDS,
  parseManifests,
  planManifestsApply,
  manifestsReads,
} from './manifestsApply';
