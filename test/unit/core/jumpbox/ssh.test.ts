import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellQuote, sshCommand, sshUserProblem } from '../../../../src/core/jumpbox/ssh';

describe('sshUserProblem', () => {
  it('accepts user names', () => {
    for (const user of ['ec2-user', 'ubuntu', 'admin', 'centos', '_svc', 'a.b', 'user01', 'a'.repeat(32)]) assert.equal(sshUserProblem(user), undefined, user);
  });

  it('refuses anything else, saying what a user name is', () => {
    for (const user of ['', 'root;reboot', '$(id)', '`id`', '-oProxyCommand=touch /tmp/x', 'ec2 user', 'user@host', "o'brien", '.hidden', 'a'.repeat(33), 'ünïcode', 'a\nb', 'a|b', 'a>b']) {
      assert.equal(
        sshUserProblem(user),
        `The awsops.sshUser setting "${user}" is not a user name: use letters, digits, ".", "_" and "-" (at most 32, not starting with "-" or "."), e.g. ec2-user or ubuntu.`,
        user,
      );
    }
  });
});

describe('sshCommand', () => {
  it('is one plain word for a user name and a host name or address', () => {
    assert.equal(sshCommand('jump.example.com'), 'ssh ec2-user@jump.example.com');
    assert.equal(sshCommand('203.0.113.7', 'ubuntu'), 'ssh ubuntu@203.0.113.7');
  });

  it('quotes a host that a shell would read otherwise, and offers nothing for a bad user or no host', () => {
    assert.equal(sshCommand('jump.example.com;reboot'), "ssh 'ec2-user@jump.example.com;reboot'");
    assert.equal(sshCommand("a'b$(id)"), `ssh 'ec2-user@a'\\''b$(id)'`);
    assert.equal(sshCommand('jump.example.com', '-oProxyCommand=x'), undefined);
    assert.equal(sshCommand('jump.example.com', 'root;reboot'), undefined);
    assert.equal(sshCommand(''), undefined);
  });
});

describe('shellQuote', () => {
  it('round-trips through a POSIX shell', async () => {
    const { execFileSync } = await import('node:child_process');
    for (const word of ['plain', 'two words', "it's", '$(id) `id` $HOME', 'a;b|c&d>e<f', '"quoted"', '\\back', '*?[x]']) {
      assert.equal(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' }), word, word);
    }
  });
});
