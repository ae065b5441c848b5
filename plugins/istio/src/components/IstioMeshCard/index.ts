export { IstioMeshCard } from './IstioMeshCard';
