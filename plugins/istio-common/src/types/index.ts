export * from './mesh';
export * from './posture';
export * from './policies';
export * from './diagnostics';
export * from './metrics';
export * from './traces';
export * from './responses';
