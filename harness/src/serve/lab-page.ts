// The attendee's page, server side: every module of a lab rendered with markdown-it, in order, with a table of
// contents. Raw HTML in a lab is never passed through (html: false) and images are not loaded but linked (no request
// leaves the page). Each step heading gets a live state slot; each shell block is shown for the platforms that run it,
// with a copy button (the attendee types the commands); output blocks are shown as "what you should see". Footnotes
// ([^n]) become a numbered link to the note at the module's end, and a link back.
import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import type Token from 'markdown-it/lib/token.mjs';
import type { Lab } from '../model/types.js';
import { parseInfo } from '../model/fences.js';
import { blockFate, PLATFORMS, type Platform } from '../plan/blocks.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './lab-page-assets.js';

const PLATFORM_NAMES: Record<Platform, string> = {
  local: "podlab's local cluster",
  aks: 'AKS',
  other: 'another cluster',
};
const STEP_ID = /\s*\{#([a-z0-9-]+)\}\s*$/;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The platforms a fenced block is shown for, and what kind of block it is on the page. */
function blockKind(info: string, content: string): { kind: 'command' | 'output' | 'plain'; platforms: Platform[] } {
  const { fate } = blockFate({ ...parseInfo(info), content, pos: { file: '', line: 1, col: 1 } });
  if (fate.kind === 'run' || fate.kind === 'output')
    return { kind: fate.kind === 'run' ? 'command' : 'output', platforms: fate.platforms };
  return { kind: fate.kind === 'skip' ? 'command' : 'plain', platforms: [...PLATFORMS] };
}

function renderer(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).use(footnote);
  // The way back from a note says where it goes: an arrow alone reads as "leftwards arrow with hook".
  const back = md.renderer.rules.footnote_anchor!;
  md.renderer.rules.footnote_anchor = (tokens, i, options, env, self) =>
    back(tokens, i, options, env, self).replace('<a ', '<a aria-label="Back to the text" ');
  // An image would be a request from the page: it becomes a link the attendee can follow instead.
  md.renderer.rules.image = (tokens, i) => {
    const tok = tokens[i]!;
    return `<a href="${escapeHtml(tok.attrGet('src') ?? '')}">image: ${escapeHtml(tok.content || 'untitled')}</a>`;
  };
  // A table wider than a phone scrolls in its own box, not the whole page.
  md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  md.renderer.rules.fence = (tokens, i) => {
    const tok = tokens[i]!;
    const { kind, platforms } = blockKind(tok.info, tok.content);
    const title = parseInfo(tok.info).attrs.title;
    const code = `<pre><code>${escapeHtml(tok.content)}</code></pre>`;
    const on = `data-platforms="${platforms.join(' ')}"`;
    if (kind === 'plain') return `<figure class="plain">${code}</figure>\n`;
    if (kind === 'output') {
      const label = `What you should see${title ? ` (${escapeHtml(title)})` : ''}`;
      return `<figure class="output" ${on}><figcaption>${label}</figcaption>${code}</figure>\n`;
    }
    const caption = `<figcaption>${title ? escapeHtml(title) : 'Type this'}</figcaption>`;
    const copy = '<button type="button" class="copy" aria-label="Copy these commands">Copy</button>';
    return `<figure class="command" ${on}><div class="bar">${caption}${copy}</div>${code}</figure>\n`;
  };
  return md;
}

/** A step heading `## Deploy the pods {#deploy-pods}`: the marker leaves the text and becomes the id. */
function markSteps(tokens: Token[], steps: Array<{ id: string; title: string }>): void {
  tokens.forEach((tok, i) => {
    if (tok.type !== 'heading_open') return;
    const inline = tokens[i + 1];
    const m = inline && STEP_ID.exec(inline.content);
    if (!inline || !m) return;
    const id = m[1]!;
    const last = inline.children?.at(-1);
    if (last?.type === 'text') last.content = last.content.replace(STEP_ID, '');
    inline.content = inline.content.replace(STEP_ID, '');
    tok.attrSet('id', `step-${id}`);
    tok.attrSet('data-step', id);
    steps.push({ id, title: inline.content.trim() });
  });
}

export interface RenderedLab {
  html: string;
  steps: Array<{ id: string; title: string; module: string }>;
}

/** The whole page; `platform` is the one shown first (the attendee can switch on the page). */
export function renderLabPage(lab: Lab, platform: Platform): RenderedLab {
  const md = renderer();
  const steps: RenderedLab['steps'] = [];
  const toc: string[] = [];
  const sections = lab.modules.map((m, n) => {
    const anchor = `module-${n + 1}`;
    const env = { docId: anchor }; // footnote ids per module: fn-module-2-1
    const tokens = md.parse(m.markdown, env);
    const mine: Array<{ id: string; title: string }> = [];
    markSteps(tokens, mine);
    steps.push(...mine.map((s) => ({ ...s, module: m.frontMatter.id })));
    // A module that opens with its own title keeps it as the section's heading; otherwise the front matter's is added.
    const own = tokens[0]?.type === 'heading_open' && tokens[0].tag === 'h1';
    if (own) tokens[0]!.attrSet('id', `${anchor}-title`);
    const heading = own ? '' : `<h1 id="${anchor}-title">${escapeHtml(m.frontMatter.title)}</h1>`;
    const body = md.renderer.render(tokens, md.options, env);
    const items = mine.map((s) => `<li><a href="#step-${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
    toc.push(`<li><a href="#${anchor}">${escapeHtml(m.frontMatter.title)}</a><ol>${items}</ol></li>`);
    return `<section class="module" id="${anchor}" aria-labelledby="${anchor}-title">${heading}${withStates(body)}</section>`;
  });
  const options = PLATFORMS.map(
    (p) => `<option value="${p}"${p === platform ? ' selected' : ''}>${PLATFORM_NAMES[p]}</option>`,
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(lab.id)} · podlab</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<a class="skip-link" href="#content">Skip to the lab</a>
<header>
<p class="title">${escapeHtml(lab.id)}</p>
<div class="progress-line"><progress id="progress" max="${steps.length}" value="0" aria-label="Steps done">0</progress>
<span id="progress-text" aria-live="polite">0/${steps.length} done</span>
<span id="connection" class="lost">connecting…</span></div>
<label>Platform <select id="platform">${options.join('')}</select></label>
</header>
<nav aria-label="Contents"><details id="toc" open><summary>Contents</summary><ol class="toc">${toc.join('')}</ol></details></nav>
<main id="content">${sections.join('\n')}</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  return { html, steps };
}

/** After each step heading, the slot its live state is written into. */
const withStates = (body: string) =>
  body.replace(
    /<(h[2-6]) id="step-([a-z0-9-]+)" data-step="[a-z0-9-]+">([\s\S]*?)<\/\1>/g,
    (_all, h: string, id: string, inner: string) =>
      `<${h} id="step-${id}" data-step="${id}" tabindex="-1"><span class="badge" data-badge="${id}" aria-hidden="true">○</span> ${inner}</${h}>` +
      `<div class="state todo" data-state="${id}" role="status"><span class="label">Not checked yet</span></div>`,
  );
