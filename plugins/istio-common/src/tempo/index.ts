export * from './traceById';
