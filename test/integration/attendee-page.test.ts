// The attendee's page (`podlab check --serve`) in real Chromium against the embedded cluster: every module of the
// Pod Sandboxing lab rendered, a step turning done on the open page once the attendee's command completes it, the
// copy button, a path prefix behind a proxy, and axe-core's audit. Screenshots at both sizes are kept in
// .tap/artifacts (or $PODLAB_TEST_ARTIFACTS).
import t from 'tap';
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import { loadLab } from '../../harness/src/model/load.js';
import { launchChromium, prefixProxy, seriousViolations } from '../helpers/browser.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = process.env.PODLAB_TEST_ARTIFACTS ?? `${repo}.tap/artifacts`;
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `page-${process.pid}`;
const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };
const { lab } = await loadLab('pod-sandboxing', { root: repo });

t.before(() => createNamespace(cluster, ns));
t.teardown(() => cluster.deleteNamespace(ns, 120_000).catch(() => undefined));

/** `podlab check --serve` on a free port; resolves to the address it prints. */
async function servePage(t: { teardown(fn: () => void): void }, more: string[] = []): Promise<string> {
  const args = [
    'check',
    'pod-sandboxing',
    '-n',
    ns,
    '--serve',
    '127.0.0.1:0',
    '--no-record',
    '--interval',
    '60',
    ...more,
  ];
  const child = execa(process.execPath, [`${repo}bin/podlab.js`, ...args], { env, reject: false });
  t.teardown(() => void child.kill('SIGKILL'));
  let stderr = '';
  return new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /at (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void child.then(() => reject(new Error(`podlab check --serve exited: ${stderr}`)));
  });
}

t.test('the page: every module, live state, copy, prefix, accessibility', async (t) => {
  const url = await servePage(t);
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const outside: string[] = [];
  page.on('request', (r) => void (r.url().startsWith(url) || outside.push(r.url())));
  await page.goto(url);
  await page.locator('#connection.live').waitFor({ timeout: 30_000 });

  t.equal(await page.locator('section.module').count(), lab!.modules.length, 'every module rendered');
  await page.locator('#module-1 sup.footnote-ref a').first().click();
  t.equal(await page.evaluate(() => location.hash), '#fn-module-1-1', 'a footnote mark is a link to its note');
  t.match(await page.locator('#fn-module-1-1').textContent(), /Pod Sandboxing with Azure Kubernetes Service/);
  const steps = lab!.modules.flatMap((m) => m.steps.map((s) => s.id));
  for (const id of steps) t.equal(await page.locator(`[data-state="${id}"]`).count(), 1, `${id} has its state`);
  t.match(await page.locator('[data-state="deploy-pods"]').textContent(), /Not yet/, 'no pods yet');
  const outputs = page.locator('figure.output:not([hidden]) figcaption', { hasText: 'What you should see' });
  t.ok((await outputs.count()) > 0, 'output blocks are shown as what you should see');

  const block = lab!.modules[1]!.steps.find((s) => s.id === 'deploy-pods')!.commands.find((b) => b.lang === 'bash')!;
  await page.locator('#step-deploy-pods ~ figure.command:not([hidden]) button.copy').first().click();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), block.content, 'copies the block exactly');

  const solved = await execa(
    process.execPath,
    [`${repo}bin/podlab.js`, 'solve', 'pod-sandboxing', '--to', 'deploy-pods', '-n', ns],
    {
      env,
      reject: false,
    },
  );
  t.equal(solved.exitCode, 0, solved.stderr);
  const doneAt = Date.now();
  await page.locator('[data-state="deploy-pods"].done').waitFor({ timeout: 2_000 });
  t.pass(`deploy-pods turned done ${Date.now() - doneAt} ms after the command that completes it`);
  t.match(await page.locator('#progress-text').textContent(), /^[2-9]\/\d+ done$/);

  t.same(await seriousViolations(page), [], 'axe: no serious or critical violation (light)');
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}/attendee-page-1280x800.png` });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await phone.goto(url);
  await phone.locator('#connection.live').waitFor({ state: 'attached', timeout: 30_000 });
  t.same(await seriousViolations(phone), [], 'axe: no serious or critical violation (dark, phone)');
  t.ok(
    await phone.evaluate(() => document.documentElement.scrollWidth <= 390),
    'phone: the page never scrolls sideways',
  );
  t.equal(await phone.locator('#toc').getAttribute('open'), null, 'phone: the contents start folded');
  await phone.screenshot({ path: `${artifacts}/attendee-page-390.png` });
  t.same(outside, [], 'the page requests nothing but its own server');
});

t.test('behind a proxy that adds a path prefix, the page and its stream still work', async (t) => {
  const url = new URL(await servePage(t));
  const proxy = await prefixProxy(url, 'preview/8080');
  t.teardown(() => proxy.close());
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(proxy.url);
  await page.locator('#connection.live').waitFor({ timeout: 30_000 });
  t.match(await page.locator('#progress-text').textContent(), /\/\d+ done$/, 'progress arrived through the prefix');
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link', 'keyboard: the skip link first');
  await page.selectOption('#platform', 'aks');
  const shown = await page
    .locator('figure.command:not([hidden])')
    .evaluateAll((f) => f.map((e) => (e as HTMLElement).dataset.platforms ?? ''));
  t.ok(shown.length && shown.every((p) => p.split(' ').includes('aks')), 'aks: only blocks AKS runs are shown');
});

/**
 * A proxy as Azure Cloud Shell's web preview is reported to be (Azure/CloudShell#368: an app behind it was asked for
 * `/proxy/3000/`): the path keeps its prefix, and the Host is the proxy's own public name, not the target's.
 */
const publicProxy = (target: URL, prefix: string, name: string) =>
  prefixProxy(target, prefix, { stripPrefix: false, host: name });

t.test('behind a proxy that keeps its prefix and forwards its own Host: --allow-host that name', async (t) => {
  const name = 'gateway7.preview.example.net';
  const plain = await publicProxy(new URL(await servePage(t)), 'n/console/proxy/7080', name);
  t.teardown(() => plain.close());
  const refused = await fetch(plain.url);
  t.equal(refused.status, 421, 'a name the page does not know is refused by default');
  t.match(await refused.text(), `--allow-host ${name}`, 'and the refusal says what to type');

  const proxy = await publicProxy(new URL(await servePage(t, ['--allow-host', name])), 'n/console/proxy/7080', name);
  t.teardown(() => proxy.close());
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  await page.goto(proxy.url);
  await page.locator('#connection.live').waitFor({ timeout: 30_000 });
  t.match(await page.locator('#progress-text').textContent(), /\/\d+ done$/, 'progress arrived through the proxy');
  t.ok(requests.length >= 2, `the page and its stream (${requests.length} requests)`);
  t.same(
    requests.filter((u) => !u.startsWith(proxy.url)),
    [],
    'every address the page asks for is relative: all stay under the prefix',
  );
});
