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
export type * from './trafficObjects';
export { applyScrapeTargets, scrapeTargetFacts } from './scrapeTargets';
export type { PrometheusTarget } from './scrapeTargets';
export type {
  DiagnosticContext,
  IstioDiagnosticRule,
} from './diagnostics/context';
export type { ApplicableAuthorizationPolicy } from './policies';
