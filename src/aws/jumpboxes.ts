/** Entry of dist/aws-jumpboxes.js: jumpbox start/stop, DNS records (Route53), schedules (Scheduler, IAM), prices and the agent. */
export { checkDnsForJumpboxes } from '../core/jumpbox/dns';
export { startJumpboxes, stopJumpboxes, syncJumpboxDns } from '../core/jumpbox/startStop';
export { applyJumpboxSchedule, readJumpboxSchedule, removeJumpboxSchedule } from '../core/jumpbox/scheduler';
export { priceListFetcher } from '../core/jumpbox/priceListClient';
export { deployAgent, discardAgentPlan, planAgent, readAgentStatus, removeAgent, writeHolidays } from '../core/jumpbox/agentInstall';
export { clearOverride, setOverride } from '../core/jumpbox/overrides';
