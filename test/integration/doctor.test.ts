// podlab doctor on the embedded cluster, and against a cluster that does not answer.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { parseTap } from '../helpers/tap.js';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const doctor = (kubeconfig: string, path = process.env.PATH) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, 'doctor', '--kubeconfig', kubeconfig], { reject: false, env: { PATH: path } });

t.test('the embedded cluster passes every preflight check', async (t) => {
  const r = await doctor(EMBEDDED_KUBECONFIG);
  t.equal(r.exitCode, 0, r.stdout);
  const final = await parseTap(r.stdout);
  t.equal(final.ok, true);
  t.match(r.stdout, /ok 1 - API server reachable \(v1\.32\.\d+\)/);
  t.match(r.stdout, /ok \d+ - RBAC allows create pods\/exec/);
  t.match(r.stdout, /ok \d+ - sandbox RuntimeClass: gvisor \(gvisor\)/);
  t.match(r.stdout, /ok \d+ - a Ready, schedulable node for gvisor/);
});

t.test('without kubectl on PATH that line is a SKIP with the reason', async (t) => {
  const r = await doctor(EMBEDDED_KUBECONFIG, '/nonexistent');
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /ok \d+ - kubectl on PATH[^\n]*# SKIP kubectl not found/);
});

t.test('an unreachable API server fails the preflight with exit 3', async (t) => {
  const kubeconfig = `${t.testdir()}/unreachable.kubeconfig`;
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
  );
  const r = await doctor(kubeconfig);
  t.equal(r.exitCode, 3);
  t.match(r.stdout, /not ok 1 - API server reachable/);
});
