import type { PairSpec } from '../../src/core/provision/inputs';

/** A valid pair with realistic ids and no listeners; tests spread it and add what they exercise. */
export const SAMPLE_PAIR_SPEC: PairSpec = {
  name: 'web-eu1',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1b2c3d4e5f60718'],
  vip: '192.168.55.100',
  routeTableIds: ['rtb-0a1b2c3d4e5f60718', 'rtb-0b1b2c3d4e5f60718'],
  instanceType: 't3.small',
  imageId: 'ami-0123456789abcdef0',
  listeners: [],
  clientCidr: '10.0.0.0/8',
  preempt: false,
};
