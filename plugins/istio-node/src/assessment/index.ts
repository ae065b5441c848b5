export { assessMesh } from './assessMesh';
export { summarizeControlPlane } from './controlPlane';
export type { ControlPlaneObjects } from './controlPlane';
export type * from './snapshot';
export type * from './trafficObjects';
