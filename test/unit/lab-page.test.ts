// The attendee's page as HTML (no browser, no cluster): what a lab's Markdown becomes, what never passes through,
// and what the page shows of one check. The browser and the live watch: test/integration/attendee-page.test.ts.
import t from 'tap';
import { renderLabPage } from '../../harness/src/serve/lab-page.js';
import { pageProgress } from '../../harness/src/serve/lab-progress.js';
import { Redactor } from '../../harness/src/report/redact.js';
import { SECURITY_HEADERS } from '../../harness/src/serve/http-guard.js';
import type { Lab } from '../../harness/src/model/types.js';
import type { RunResult } from '../../harness/src/report/model.js';
import { parseListen } from '../../harness/src/serve/listen.js';
import { readFileSync } from 'node:fs';

const fence = '```';
const markdown = [
  '# Deploy',
  '',
  'Raw HTML is text here: <script>alert(1)</script> <img src="https://example.invalid/x.png">',
  '![remote](https://example.invalid/y.png)',
  '',
  '## Start the pods {#start-pods}',
  '',
  `${fence}bash`,
  'kubectl apply -f pods.yaml',
  fence,
  '',
  `${fence}text podlab=output:aks`,
  'pod/a created',
  fence,
  '',
  `${fence}bash podlab=skip title="On AKS"`,
  'az aks list',
  fence,
].join('\n');
// Only what the page reads of a lab: its id and each module's title, id and Markdown.
const lab = {
  id: 'demo',
  modules: [
    { frontMatter: { id: 'deploy', title: 'Deploy' }, markdown },
    {
      frontMatter: { id: 'more', title: 'More & <less>' },
      markdown: '## Last {#last}\n\nDone.[^src] Again.[^src]\n\n[^src]: Microsoft, "Pod Sandboxing" <b>x</b>.\n',
    },
  ],
} as unknown as Lab;

t.test('every module in order, with contents, step states, copy buttons and output blocks', async (t) => {
  const { html, steps } = renderLabPage(lab, 'local');
  t.same(
    steps.map((s) => [s.module, s.id, s.title]),
    [
      ['deploy', 'start-pods', 'Start the pods'],
      ['more', 'last', 'Last'],
    ],
  );
  t.match(html, '<h1 id="module-1-title">Deploy</h1>', 'a module with its own title keeps it');
  t.equal(html.match(/>Deploy<\/h1>/g)?.length, 1, 'and it is not repeated');
  t.match(html, '<h1 id="module-2-title">More &amp; &lt;less&gt;</h1>', 'else the front matter title, escaped');
  t.match(html, '<a href="#step-start-pods">Start the pods</a>', 'the contents link each step');
  t.match(html, /<h2 id="step-start-pods" data-step="start-pods" tabindex="-1"><span class="badge"/);
  t.match(html, '<div class="state todo" data-state="start-pods" role="status">');
  t.notMatch(html, '{#start-pods}', 'the step marker leaves the heading');
  t.match(html, /<figure class="command" data-platforms="local aks other">.*<button type="button" class="copy"/s);
  t.match(html, /<figure class="output" data-platforms="aks"><figcaption>What you should see<\/figcaption>/);
  t.match(html, /<figure class="command" data-platforms="local aks other"><div class="bar"><figcaption>On AKS/);
  t.match(html, '<option value="local" selected>');
});

t.test('nothing of the lab runs or loads: raw HTML is text, images are not fetched, URLs are relative', async (t) => {
  const { html } = renderLabPage(lab, 'aks');
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;');
  t.notMatch(html, /<img/, 'no image element');
  t.notMatch(html, /<[a-z]+ [^>]*src=/, 'no element loads from an address');
  t.match(html, '<a href="https://example.invalid/y.png">image: remote</a>', 'an image is a link to follow');
  const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  const own = links.filter((h) => !h.startsWith('https://example.invalid/'));
  t.ok(own.length > 3 && own.every((h) => h.startsWith('#')), "the page's own links are relative (a prefix works)");
  t.match(html, 'new EventSource("events" + location.search)', 'the stream is relative too, keeping the token');
  const csp = SECURITY_HEADERS(html)['content-security-policy']!;
  t.match(csp, /script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/, 'script and style by hash only');
  t.notMatch(csp, 'unsafe', 'no unsafe-inline');
});

t.test('a footnote is a link to its note at the module end, and the note links back', async (t) => {
  const { html } = renderLabPage(lab, 'local');
  t.match(html, '<sup class="footnote-ref"><a href="#fn-module-2-1" id="fnref-module-2-1">[1]</a></sup>', 'the mark');
  t.match(html, 'id="fnref-module-2-1:1"', 'a second mark of the same note has an id of its own');
  const note = /<li id="fn-module-2-1" class="footnote-item">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
  t.match(note, 'Microsoft, &quot;Pod Sandboxing&quot; &lt;b&gt;x&lt;/b&gt;.', 'the note, its HTML as text');
  t.match(note, '<a aria-label="Back to the text" href="#fnref-module-2-1" class="footnote-backref">', 'the way back');
  t.notMatch(html.replace(/<li id="fn-module-2-1"[\s\S]*?<\/li>/, ''), /\[\^src\]/, 'no [^src] left as text');
});

t.test('one check as the page shows it: done, done earlier, not yet with message and hint, skipped', async (t) => {
  const step = (id: string, more: object) => ({ id, module: 'm', title: id, durationMs: 1, ...more });
  const run = {
    namespace: 'ns',
    steps: [
      step('a', { status: 'pass' }),
      step('b', { status: 'pass', earlier: '2026-12-05T10:00:00Z' }),
      step('c', { status: 'fail', reason: 'no pods', actual: 0, expected: 2, hint: 'kubectl apply -f pods.yaml' }),
      step('d', { status: 'fail', reason: 'apply it', hint: 'apply it' }),
      step('e', { status: 'skip', reason: 'no sandbox runtime' }),
      step('f', { status: 'fail', actual: 'x'.repeat(5000) }),
    ],
  } as unknown as RunResult;
  const p = pageProgress(run, new Redactor());
  t.equal(p.done, 2);
  t.same(p.steps.slice(0, 5), [
    { id: 'a', state: 'done' },
    { id: 'b', state: 'earlier', message: 'done 2026-12-05T10:00:00Z; its check does not pass now' },
    { id: 'c', state: 'todo', message: 'no pods: saw 0, expected 2', hint: 'kubectl apply -f pods.yaml' },
    { id: 'd', state: 'todo', message: '', hint: 'apply it' },
    { id: 'e', state: 'skip', message: 'no sandbox runtime' },
  ]);
  t.ok(p.steps[5]!.message!.length < 2100, 'what a pod printed is bounded');
});

t.test(
  "docs/attendee.md's --serve addresses: this machine only, on a port Cloud Shell's web preview accepts",
  async (t) => {
    const doc = readFileSync(new URL('../../docs/attendee.md', import.meta.url), 'utf8');
    const specs = [...doc.matchAll(/podlab check \S+ --namespace \$NS --serve (\S+)/g)].map((m) => m[1]!);
    t.ok(specs.length >= 2, 'the guide shows the command');
    for (const spec of specs) {
      const l = parseListen(spec);
      t.equal(l.wide, false, `${spec}: loopback`);
      t.ok((l.port >= 1025 && l.port <= 8079) || (l.port >= 8091 && l.port <= 49151), `${spec}: a web preview port`);
      t.match(doc, `http://127.0.0.1:${l.port}/`, 'the address it prints');
    }
  },
);
