export * from './cluster';
export * from './onboarding';
