// A workshop team keeps its labs in its own repository: `scenario:` and manifest paths resolve against that
// project (the folder above the lab holding scenarios/ or a package.json), wherever podlab is run from.
import t from 'tap';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { projectRootOf } from '../../harness/src/paths.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

// Outside the checkout, with nothing of podlab's around it.
const project = mkdtempSync(join(tmpdir(), 'podlab-own-project-'));
t.teardown(() => rmSync(project, { recursive: true, force: true }));
const elsewhere = mkdtempSync(join(tmpdir(), 'podlab-cwd-'));
t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
mkdirSync(join(project, 'labs', 'team-lab'), { recursive: true });
mkdirSync(join(project, 'scenarios'));
mkdirSync(join(project, 'manifests'));
writeFileSync(
  join(project, 'labs', 'team-lab', '01-config.md'),
  `---
title: Our own lab
id: config
scenario: scenarios/config.ts
---

## Create the settings {#create-settings}

\`\`\`bash
kubectl apply -n $NS -f manifests/settings.yaml
\`\`\`
`,
);
writeFileSync(
  join(project, 'manifests', 'settings.yaml'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: teal\n',
);
// The scenario names podlab's API by package name: no path into podlab's checkout, no podlab in node_modules.
writeFileSync(
  join(project, 'scenarios', 'config.ts'),
  `import { defineScenario, step, verdict } from 'podlab/scenario';
import type { StepContext } from 'podlab/scenario';
export default defineScenario('config', [
  step({
    id: 'create-settings', title: 'Create the settings',
    async run(ctx) { await ctx.apply('manifests/settings.yaml'); },
    async check(ctx: StepContext) {
      const cm = await ctx.core.readNamespacedConfigMap({ name: 'settings', namespace: ctx.namespace });
      return verdict(cm.data?.colour === 'teal', { expected: 'teal', actual: cm.data?.colour });
    },
  }),
]);
`,
);
const podlab = (...args: string[]) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    cwd: elsewhere,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
  });

t.test('the project root is the folder above the lab with scenarios/ or a package.json', async (t) => {
  t.equal(projectRootOf(join(project, 'labs', 'team-lab')), project);
  t.equal(
    projectRootOf(join(repo, 'labs', 'pod-sandboxing')),
    repo.replace(/\/$/, ''),
    'the labs of this checkout keep its root',
  );
});

t.test('lint and run a lab kept outside podlab, from a third folder', async (t) => {
  const lint = await podlab('lint', join(project, 'labs', 'team-lab'));
  t.equal(lint.exitCode, 0, lint.stderr);
  const run = await podlab('run', join(project, 'labs', 'team-lab'));
  t.equal(run.exitCode, 0, run.stderr);
  t.match(run.stdout, /ok 1 - create-settings[\s\S]*ok 1 - config/);
  const runId = /namespace podlab-[\w-]+-(\d{8}-[0-9a-f]{6})/.exec(run.stdout)?.[1];
  t.ok(runId, 'the run id is in the TAP header');
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'no object of this run remains');
});

t.test("a missing manifest is reported against the lab's own project", async (t) => {
  rmSync(join(project, 'manifests', 'settings.yaml'));
  const lint = await podlab('lint', join(project, 'labs', 'team-lab'));
  t.equal(lint.exitCode, 2);
  // Printed relative to where podlab runs: ../<project>/labs/team-lab/01-config.md:10:25
  t.match(
    lint.stderr,
    new RegExp(
      `${basename(project)}/labs/team-lab/01-config\\.md:10:25 error: manifest manifests/settings\\.yaml does not exist`,
    ),
  );
});
