/**
 * Entry of dist/aws-core.js: what the VIP Routes, HAProxy Pairs and Jumpboxes views need for their first rows
 * (sessions, EC2 and STS) and the failover. Required on first AWS use, so activation never pays for it. The
 * other capabilities have bundles of their own (iam.ts, provision.ts, jumpboxes.ts, ssm.ts), required on first
 * use of one of their exports; scripts/build.mjs fails if this bundle carries another service's client.
 */
export { SessionPool } from '../core/session/pool';
export { credentialProvider } from '../core/session/credentials';
export { MfaSessions } from '../core/session/mfaSessions';
export { listProfiles } from '../core/session/profiles';
export { findIniProblems } from '../core/session/iniLint';
export { explainError } from '../core/session/errors';
export { discoverRegion, discoverRegions, whoAmI } from '../core/vip/discovery';
export { targetProblems } from '../core/session/validate';
export { consoleSigninUrl } from '../core/console/signin';
export { runProcess } from '../core/console/awsVault';
export { awsVaultCredentialProvider } from '../core/console/awsVaultCredentials';
export { redact } from '../core/console/redact';
export { discoverJumpboxes, discoverJumpboxesInRegions } from '../core/jumpbox/discovery';
export { buildPairs } from '../core/pairs/pairs';
export { describeStatuses } from '../core/pairs/status';
export { readPairNetworks } from '../core/pairs/readinessReads';
export { prepareFailover, runFailover } from '../core/failover/failover';
