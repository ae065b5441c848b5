export { IstioContent } from './IstioContent';
export type { IstioContentProps } from './IstioContent';
