/** Entry of dist/aws-provision.js: provisioning and teardown of pairs (CloudFormation, the AMI parameters in SSM). */
export { planPair, executePlan, discardPlan } from '../core/provision/deploy';
export { findStack, ProvisionError } from '../core/provision/changeSet';
export { teardownPair } from '../core/provision/teardown';
export { loadVpcFacts } from '../core/provision/facts';
export { checkReachability, reachabilityText } from '../core/provision/reachability';
export { architectureFor, latestAl2023Ami, listAl2023Amis } from '../core/provision/ami';
export { buildPairTemplate, templateYaml } from '../core/provision/template';
export { listVpcs, listKeyPairNames, listFreeElasticIps, listPairStacks } from '../core/provision/lookups';
