export * from './renderPlan';
export * from './writeRenderedPlan';
