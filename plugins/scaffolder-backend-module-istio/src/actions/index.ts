export type { IstioActionDeps } from './deps';
export { createMeshCheckAction } from './meshCheck';
export { createMeshProvisionAction } from './meshProvision';
export { createNamespaceOnboardAction } from './namespaceOnboard';
export { createNamespaceOffboardAction } from './namespaceOffboard';
export { createWaypointApplyAction } from './waypointApply';
export { createPolicyApplyAction } from './policyApply';
export { createManifestsApplyAction } from './manifestsApply';
