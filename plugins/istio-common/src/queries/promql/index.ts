export * from './labels';
export * from './window';
export * from './istioQueries';
export * from './graphQueries';
export * from './fleetQueries';
