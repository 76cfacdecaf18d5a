/**
 * The AWS-facing half of the extension, bundled separately (dist/aws.js) with the SDK, and required on first
 * AWS use so activation never pays for loading it.
 */
export { SessionPool } from '../core/session/pool';
export { listProfiles } from '../core/session/profiles';
export { findIniProblems } from '../core/session/iniLint';
export { explainError } from '../core/session/errors';
export { discoverRegions, whoAmI } from '../core/vip/discovery';
export { targetProblems } from '../core/session/validate';
export { consoleSigninUrl } from '../core/console/signin';
export { runProcess } from '../core/console/awsVault';
export { awsVaultCredentialProvider } from '../core/console/awsVaultCredentials';
export { redact } from '../core/console/redact';
export { discoverJumpboxesInRegions } from '../core/jumpbox/discovery';
export { checkDnsForJumpboxes } from '../core/jumpbox/dns';
export { startJumpboxes, stopJumpboxes, syncJumpboxDns } from '../core/jumpbox/startStop';
export { applyJumpboxSchedule, readJumpboxSchedule, removeJumpboxSchedule } from '../core/jumpbox/scheduler';
export { priceListFetcher } from '../core/jumpbox/priceListClient';
export { planPair, executePlan, discardPlan, findStack, ProvisionError } from '../core/provision/deploy';
export { teardownPair } from '../core/provision/teardown';
export { loadVpcFacts } from '../core/provision/facts';
export { architectureFor, latestAl2023Ami, listAl2023Amis } from '../core/provision/ami';
export { buildPairTemplate, templateYaml } from '../core/provision/template';
export { listVpcs, listKeyPairNames, listPairStacks } from '../core/provision/lookups';
export { buildPairs } from '../core/pairs/pairs';
export { describeStatuses } from '../core/pairs/status';
export { checkServices } from '../core/pairs/serviceCheck';
export { prepareFailover, runFailover } from '../core/failover/failover';
export { readPairNetworks } from '../core/pairs/readinessReads';
export { readInstanceRoles } from '../core/iam/instanceRoles';
