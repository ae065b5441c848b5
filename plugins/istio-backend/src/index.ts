/**
 * The istio backend plugin: per-entity Istio ambient mesh status, mTLS
 * posture, policies, diagnostics, golden signals and traces.
 *
 * @packageDocumentation
 */
export { istioPlugin as default } from './plugin';
