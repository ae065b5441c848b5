export { assessMesh } from './assessMesh';
export { summarizeControlPlane } from './controlPlane';
export type { ControlPlaneObjects } from './controlPlane';
export type * from './snapshot';
export type {
  DiagnosticContext,
  IstioDiagnosticRule,
} from './diagnostics/context';
