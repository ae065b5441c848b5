export * from './quoting';
export * from './promql';
export * from './traceql';
