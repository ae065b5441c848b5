export { assessMesh } from './assessMesh';
export { summarizeControlPlane } from './controlPlane';
export type { ControlPlaneObjects } from './controlPlane';
export type * from './snapshot';
export { ztunnelEffectiveRules } from './ztunnelRules';
export type {
  ZtunnelEffectivePolicy,
  ZtunnelMatch,
  ZtunnelPolicyEffect,
  ZtunnelRule,
  ZtunnelRuleOutcome,
} from './ztunnelRules';
