export * from './traceQueries';
