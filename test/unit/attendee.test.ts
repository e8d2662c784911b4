// The environment a run's shell starts with: what an attendee's terminal has, nothing of podlab's own (pure logic).
import t from 'tap';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attendeeEnv } from '../../harness/src/runner/attendee.js';

const invoker = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/ana',
  USER: 'ana',
  LANG: 'C.UTF-8',
  GITHUB_TOKEN: 'ghp_secretsecretsecretsecret',
  AWS_SECRET_ACCESS_KEY: 'shh',
  NODE_OPTIONS: '--inspect',
  KUBECONFIG: '/somewhere/else',
  NS: 'not-the-runs',
};

t.test('only what a terminal has, plus KUBECONFIG and NS for the run', async (t) => {
  const env = attendeeEnv({ namespace: 'podlab-lab-1', kubeconfig: '/run/kubeconfig' }, invoker);
  t.same(Object.keys(env).sort(), ['HOME', 'KUBECONFIG', 'LANG', 'NS', 'PATH', 'SHELL', 'TERM', 'USER']);
  t.equal(env.NS, 'podlab-lab-1', 'the namespace is handed over as an instructor would');
  t.equal(env.KUBECONFIG, '/run/kubeconfig');
  t.notOk(
    'GITHUB_TOKEN' in env || 'AWS_SECRET_ACCESS_KEY' in env || 'NODE_OPTIONS' in env,
    "none of podlab's own environment",
  );
});

t.test('kubectl is put on PATH only when PATH has none', async (t) => {
  const withKubectl = mkdtempSync(join(tmpdir(), 'podlab-path-'));
  writeFileSync(join(withKubectl, 'kubectl'), '#!/bin/sh\n');
  chmodSync(join(withKubectl, 'kubectl'), 0o755);
  let asked = 0;
  const kubectlDir = () => {
    asked++;
    return '/embedded/bin';
  };
  t.equal(attendeeEnv({ namespace: 'n', kubectlDir }, { PATH: '/usr/bin/none' }).PATH, '/usr/bin/none:/embedded/bin');
  t.equal(
    attendeeEnv({ namespace: 'n', kubectlDir }, { PATH: withKubectl }).PATH,
    withKubectl,
    'a kubectl of their own is kept',
  );
  t.equal(asked, 1, 'the embedded one is looked up only when needed');
});
