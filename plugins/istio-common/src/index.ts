export * from './constants';
export * from './permissions';
export * from './onboarding';
export * from './types';
export * from './queries';
export * from './health';
export * from './mtlsGrade';
export * from './tempo';
