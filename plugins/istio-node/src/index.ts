export * from './cluster';
export * from './onboarding';
export * from './assessment';
export * from './reader';
export * from './cache';
export * from './extensions';
export * from './gitops';
