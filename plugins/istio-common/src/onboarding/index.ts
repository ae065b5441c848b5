export * from './plan';
export * from './names';
export * from './meshCheck';
export * from './blastRadius';
