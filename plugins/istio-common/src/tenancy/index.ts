export * from './ownership';
export * from './urls';
export * from './namespaces';
