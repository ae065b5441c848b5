export { FleetPage, fleetRows } from './FleetPage';
