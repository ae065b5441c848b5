/**
 * A local Istio ambient mesh lab for development and tests: a Kubernetes
 * API server, Istio imitation controllers, Istio-format metrics and a
 * Tempo-compatible trace API. Never for production.
 *
 * @packageDocumentation
 */

export { startSandbox, sandboxOptionsSchema } from './startSandbox';
export type { Sandbox, SandboxOptions } from './startSandbox';
export {
  startPrometheus,
  hasPrometheusBinary,
  PROMETHEUS_INSTALL_HINT,
} from './prometheus';
export type { RunningPrometheus } from './prometheus';
export { SANDBOX_TOKENS } from './kube/auth';
export { KUBECONFIG_CONTEXTS } from './kubeconfig';
export { DEFAULT_PORTS } from './cli';
export { defaultTraffic } from './telemetry/trafficConfig';
export type { EdgeInput, TrafficInput } from './telemetry/trafficConfig';
export type { FaultRule, FaultRuleInput } from './http/faults';
export type { RequestLogEntry, ServerName } from './http/requestLog';
export type { KubeObject } from './kube/types';
export { resourceKey } from './kube/store';
export {
  SAIL_OPERATOR_VERSIONS,
  DEFAULT_SAIL_OPERATOR_VERSION,
  FIXTURES_DIR,
  loadFixture,
} from './seed/crds';
export type { SailOperatorVersion } from './seed/crds';
