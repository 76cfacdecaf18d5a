import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  federationEndpoint,
  globalConsoleHost,
  partitionOfSigninUrl,
  regionalConsoleHost,
  regionalConsoleUrl,
} from '../../../../src/core/console/hosts';

describe('console hosts per partition', () => {
  it('puts the region in the commercial console host only', () => {
    assert.equal(regionalConsoleHost('eu-central-1'), 'https://eu-central-1.console.aws.amazon.com');
    assert.equal(regionalConsoleHost('cn-northwest-1'), 'https://console.amazonaws.cn');
    assert.equal(regionalConsoleHost('us-gov-east-1'), 'https://console.amazonaws-us-gov.com');
    assert.equal(globalConsoleHost('eu-central-1'), 'https://console.aws.amazon.com');
    assert.equal(globalConsoleHost('cn-north-1'), 'https://console.amazonaws.cn');
    assert.equal(regionalConsoleUrl('cn-north-1', 'ec2/home', '#Instances:'), 'https://console.amazonaws.cn/ec2/home?region=cn-north-1#Instances:');
  });

  it('picks the federation endpoint of the partition, commercial without a region', () => {
    assert.equal(federationEndpoint('us-east-1'), 'https://signin.aws.amazon.com/federation');
    assert.equal(federationEndpoint('cn-north-1'), 'https://signin.amazonaws.cn/federation');
    assert.equal(federationEndpoint('us-gov-west-1'), 'https://signin.amazonaws-us-gov.com/federation');
    assert.equal(federationEndpoint(undefined), 'https://signin.aws.amazon.com/federation');
  });

  it('recognises sign-in hosts and nothing else', () => {
    assert.equal(partitionOfSigninUrl(new URL('https://signin.amazonaws.cn/federation?Action=login')), 'aws-cn');
    assert.equal(partitionOfSigninUrl(new URL('https://signin.aws.amazon.com.evil.example/federation')), undefined);
  });

  it('refuses region names that could change the host', () => {
    for (const bad of ['', 'us-east-1.evil.example', 'evil.example/x', 'US-EAST-1']) {
      assert.throws(() => regionalConsoleHost(bad), /region/i, bad);
    }
  });
});
