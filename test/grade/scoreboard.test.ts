// The instructor's live scoreboard, driven in headless Chromium: an attendee completes a step in the cluster and
// its cell turns green on the open page, without a reload.
import t, { type Test } from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import type { Page } from 'playwright-core';
import { launchChromium, seriousViolations } from '../helpers/browser.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `board-${process.pid}`;
const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };

t.before(async () => {
  await createNamespace(cluster, ns);
});
t.teardown(() => cluster.deleteNamespace(ns, 120_000).catch(() => undefined));

/** `podlab grade --serve --watch` over the attendee and a namespace that does not exist, and the URL it announces. */
async function servingGrader(t: Test) {
  const grader = execa(
    process.execPath,
    [
      `${repo}bin/podlab.js`,
      'grade',
      'pod-sandboxing',
      '--namespaces',
      `${ns},${ns}-absent`,
      '--serve',
      '127.0.0.1:0',
      '--watch',
      '--interval',
      '60',
    ],
    { env, reject: false, forceKillAfterDelay: 5_000 },
  );
  t.teardown(() => {
    grader.kill('SIGKILL');
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    grader.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /scoreboard at (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void grader.then(() => reject(new Error(`grader exited before serving: ${stderr}`)));
  });
  return { grader, url };
}

/** The scoreboard open in headless Chromium, and every URL its main frame navigated to. */
async function openBoard(t: Test, url: string) {
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const navigations: string[] = [];
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations.push(f.url());
  });
  await page.goto(url);
  return { page, navigations };
}

/** The attendee deploys the pods (what `kubectl apply -f manifests/pod-sandboxing/pods.yaml` does). */
function attendeeDeploysPods() {
  return execa(
    process.execPath,
    [`${repo}bin/podlab.js`, 'solve', 'pod-sandboxing', '--to', 'deploy-pods', '--namespace', ns],
    { env, reject: false },
  );
}

/** The SVG chart: a bar per step, deploy-pods's showing the attendee done, and who has been on a step longest. */
async function chartShowsWhoIsOnWhichStep(t: Test, page: Page) {
  const bar = page.locator('#chart rect.bar[data-step="deploy-pods"]');
  await page.waitForSelector('#chart rect.bar[data-step="deploy-pods"][data-done="1"]', { timeout: 10_000 });
  t.ok(Number(await bar.getAttribute('width')) > 0, 'the SVG bar for deploy-pods shows the attendee done');
  t.equal(await page.locator('#chart rect.bar').count(), 12, 'one bar per step');
  // The attendee is on the first step not done; the chart says they have been on it longest, and for how long.
  const on = await page
    .locator(`tr[data-attendee="${ns}"] td[data-step]`)
    .evaluateAll((tds) => tds.find((td) => td.getAttribute('data-status') === 'todo')?.getAttribute('data-step'));
  const said = page.locator(`#chart text[data-step="${on}"]`);
  t.equal(await said.getAttribute('data-stuck'), ns, `on ${on} longest: the attendee`);
  t.match(await said.textContent(), new RegExp(`on it longest: ${ns}, \\d+ (s|min)$`), 'and for how long');
  t.equal(await page.locator('#chart text[data-stuck]').count(), 1, 'one attendee, on one step');
}

t.test('a step done in the cluster turns green on the page', async (t) => {
  const { grader, url } = await servingGrader(t);
  const { page, navigations } = await openBoard(t, url);

  const cell = (step: string) => page.locator(`tr[data-attendee="${ns}"] td[data-step="${step}"]`);
  await cell('deploy-pods').waitFor({ timeout: 30_000 });
  t.equal(await cell('cluster-ready').getAttribute('data-status'), 'done');
  t.equal(await cell('deploy-pods').getAttribute('data-status'), 'todo', 'no pods yet: deploy-pods is not done');
  t.equal(
    await page.locator(`tr[data-attendee="${ns}-absent"] td`).nth(1).getAttribute('data-status'),
    'unreachable',
    'a missing namespace shows as unreachable',
  );
  t.equal(await page.locator('#state').textContent(), 'live');
  t.match(
    await cell('deploy-pods').evaluate((e) => getComputedStyle(e).backgroundColor),
    /rgb\(246, 215, 213\)/,
    'drawn as not done',
  );

  const solved = await attendeeDeploysPods();
  t.equal(solved.exitCode, 0, solved.stderr);

  await page.waitForSelector(`tr[data-attendee="${ns}"] td[data-step="deploy-pods"][data-status="done"]`, {
    timeout: 60_000,
  });
  t.pass('deploy-pods turned done on the page');
  t.match(
    await cell('deploy-pods').evaluate((e) => getComputedStyle(e).backgroundColor),
    /rgb\(26, 127, 55\)/,
    'and green',
  );
  t.match(
    await page.locator(`tr[data-attendee="${ns}"] td.score`).textContent(),
    /^[2-9]\/13$/,
    'two steps or more done, of a score of 13 (twelve steps, ping-pods weighs 2)',
  );
  t.same(navigations, [url], 'the page was never reloaded');
  await chartShowsWhoIsOnWhichStep(t, page);
  t.same(await seriousViolations(page), [], 'axe: no serious or critical violation on the scoreboard');

  const json = await page.request.get(`${url}matrix.json`);
  t.equal(json.status(), 200);
  t.equal(((await json.json()) as { lab: string }).lab, 'pod-sandboxing', 'the export follows the same matrix');

  grader.kill('SIGINT');
  const r = await grader;
  t.equal(
    r.exitCode,
    0,
    `Ctrl-C stops the scoreboard cleanly (exit ${r.exitCode}, signal ${r.signal}, ${r.durationMs} ms)`,
  );
});
