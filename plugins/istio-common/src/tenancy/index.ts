export * from './ownership';
export * from './urls';
