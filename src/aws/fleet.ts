/** Entry of dist/aws-fleet.js: many accounts at once (Organizations is only needed by a fleet, never by the first rows). */
export { fleetTargets } from '../core/fleet/targets';
export { runFleet, DEFAULT_FLEET_CONCURRENCY } from '../core/fleet/run';
export { sdkFleetDeps } from '../core/fleet/sdkDeps';
