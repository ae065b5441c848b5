export { assessMesh } from './assessMesh';
export { summarizeControlPlane } from './controlPlane';
export type { ControlPlaneObjects } from './controlPlane';
export type * from './snapshot';
export type * from './trafficObjects';
export { applyScrapeTargets, scrapeTargetFacts } from './scrapeTargets';
export type { PrometheusTarget } from './scrapeTargets';
