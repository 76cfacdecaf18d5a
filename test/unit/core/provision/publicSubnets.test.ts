import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validatePairSpec, type PairSpec, type VpcFacts } from '../../../../src/core/provision/inputs';
import { SAMPLE_PAIR_SPEC } from '../../../support/samplePairSpec';

/** subnet-a uses the main table (internet gateway), subnet-b a table of its own without one. */
const facts = (bTable: VpcFacts['routeTables'][number]['routes']): VpcFacts => ({
  vpcId: SAMPLE_PAIR_SPEC.vpcId,
  cidrs: ['10.20.0.0/16'],
  subnets: {
    'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: SAMPLE_PAIR_SPEC.vpcId },
    'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: SAMPLE_PAIR_SPEC.vpcId },
  },
  routeTables: [
    { routeTableId: SAMPLE_PAIR_SPEC.routeTableIds[0], isMain: true, routes: [{ destination: '0.0.0.0/0', target: 'igw-1' }] },
    { routeTableId: SAMPLE_PAIR_SPEC.routeTableIds[1], isMain: false, routes: bTable, subnetIds: ['subnet-b'] },
  ],
});
const spec: PairSpec = { ...SAMPLE_PAIR_SPEC, subnetIds: ['subnet-a', 'subnet-b'] };
const onElasticIp = (s: PairSpec, f: VpcFacts) => validatePairSpec(s, f).filter((p) => p.field === 'elasticIp').map((p) => p.message);

describe('a public pair needs public subnets', () => {
  it('names the node subnet whose table has no 0.0.0.0/0 to an internet gateway (a NAT gateway is not one)', () => {
    const nat = facts([{ destination: '0.0.0.0/0', target: 'nat-1' }]);
    assert.deepEqual(onElasticIp({ ...spec, elasticIp: {} }, nat), [
      'subnet-b has no route 0.0.0.0/0 to an internet gateway: an Elastic IP on a node there cannot be reached. Pick public subnets for a public pair.',
    ]);
    assert.deepEqual(onElasticIp(spec, nat), [], 'an internal pair may use private subnets');
  });

  it('accepts subnets that reach an internet gateway through their own table or the main one', () => {
    assert.deepEqual(onElasticIp({ ...spec, elasticIp: { allocationId: 'eipalloc-0123456789abcdef0' } }, facts([{ destination: '0.0.0.0/0', target: 'igw-1' }])), []);
  });
});
