// The attendee page's style and script, inlined into the one self-contained page (no request leaves it).
// State is shown by text and icon as well as colour; colours meet WCAG AA in both light and dark schemes.
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #4a4a4f; --bg: #fafafa; --card: #fff; --line: #d0d0d6;
  --done: #116329; --done-bg: #dcf5e3; --todo: #8a1c12; --todo-bg: #fde8e6; --skip: #4a4a4f; --skip-bg: #ececef;
  --focus: #0b57d0; --code-bg: #f1f1f4; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --muted: #b8b8c2; --bg: #16161a; --card: #202026;
  --line: #3a3a44; --done: #8ee6a8; --done-bg: #173b24; --todo: #ffb4aa; --todo-bg: #4a1d19; --skip: #c9c9d2;
  --skip-bg: #2c2c34; --focus: #8ab4f8; --code-bg: #2a2a31; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.footnotes { font-size: .9rem; color: var(--muted); } .footnote-item:target { outline: 2px solid var(--focus); }
.footnote-ref, .footnote-item { scroll-margin-top: 4rem; }
.skip-link { position: absolute; left: -999px; } .skip-link:focus { left: .5rem; top: .5rem; background: var(--card); padding: .5rem; }
header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center;
  padding: .6rem 1rem; background: var(--card); border-bottom: 1px solid var(--line); }
header .title { margin: 0; font-weight: 700; }
.progress-line { display: flex; gap: .6rem; align-items: center; }
progress { width: 10rem; height: .9rem; accent-color: var(--done); }
@media (max-width: 600px) { header { gap: .2rem 1rem; padding: .4rem .7rem; } progress { width: 5rem; } #connection { display: none; } }
#connection.live::before { content: "● "; color: var(--done); } #connection.lost::before { content: "● "; color: var(--todo); }
#connection { color: var(--muted); font-size: .9rem; }
select { font: inherit; color: var(--fg); background: var(--card); border: 1px solid var(--line); border-radius: 4px; }
.layout { display: block; }
nav { padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
nav summary { cursor: pointer; font-weight: 600; padding: .2rem 0; }
nav ol { margin: .2rem 0; padding-left: 1.3rem; } nav .toc > li { font-weight: 600; } nav .toc ol { font-weight: 400; }
main { padding: 0 1rem 4rem; max-width: 52rem; overflow-wrap: break-word; }
@media (min-width: 1000px) { body { display: grid; grid-template-columns: 18rem 1fr; }
  header { grid-column: 1 / -1; } nav { border: 0; border-right: 1px solid var(--line); position: sticky; top: 3.2rem;
  align-self: start; max-height: calc(100vh - 3.2rem); overflow: auto; } main { padding: 0 2rem 4rem; } }
section.module > h1 { font-size: 1.6rem; margin: 2rem 0 .5rem; }
h2, h3, h4 { margin: 1.8rem 0 .3rem; scroll-margin-top: 4rem; } section.module { scroll-margin-top: 4rem; }
.badge { display: inline-block; min-width: 1.2em; }
.state { border-radius: 6px; padding: .35rem .6rem; margin: .2rem 0 .8rem; font-size: .95rem; }
.state.done, .state.earlier { color: var(--done); background: var(--done-bg); }
.state.todo { color: var(--todo); background: var(--todo-bg); } .state.skip { color: var(--skip); background: var(--skip-bg); }
.state .label { font-weight: 600; } .state .detail { display: block; color: inherit; }
figure { margin: .8rem 0; position: relative; } figure[hidden] { display: none; }
figure .bar { display: flex; justify-content: space-between; align-items: end; gap: .5rem; min-height: 1.6rem; }
figcaption { font-size: .85rem; color: var(--muted); margin-bottom: .2rem; }
pre { margin: 0; padding: .7rem .8rem; background: var(--code-bg); border: 1px solid var(--line);
  border-radius: 6px; overflow-x: auto; font: .9rem/1.45 ui-monospace, monospace; }
figure.output pre { border-style: dashed; }
.copy { margin-bottom: .2rem; font: inherit; font-size: .85rem; padding: .15rem .7rem;
  color: var(--fg); background: var(--card); border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
code { font-family: ui-monospace, monospace; }
.table-wrap { overflow-x: auto; margin: .8rem 0; }
table { border-collapse: collapse; font-size: .95rem; } th, td { border: 1px solid var(--line); padding: .3rem .5rem;
  text-align: left; vertical-align: top; } th { background: var(--code-bg); }
`;

export const PAGE_SCRIPT = `
"use strict";
const SHOW = { done: ["✓", "Done"], earlier: ["✓", "Done earlier"], todo: ["✗", "Not yet"], skip: ["–", "Skipped"] };
const select = document.getElementById("platform");
function showPlatform() {
  for (const f of document.querySelectorAll("figure[data-platforms]"))
    f.hidden = !f.dataset.platforms.split(" ").includes(select.value);
}
// A block wider than its box scrolls sideways: then (only then) it takes the focus, so the keyboard can scroll it.
function scrollable() {
  for (const pre of document.querySelectorAll("figure pre, .table-wrap")) {
    if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
    else pre.removeAttribute("tabindex");
  }
}
select.addEventListener("change", () => { showPlatform(); scrollable(); });
addEventListener("resize", scrollable);
showPlatform();
scrollable();
// On a narrow screen the contents start folded, so the lab itself is the first thing seen.
if (matchMedia("(max-width: 999px)").matches) document.getElementById("toc").open = false;
document.addEventListener("click", async (e) => {
  const button = e.target.closest && e.target.closest("button.copy");
  if (!button) return;
  const text = button.closest("figure").querySelector("code").textContent;
  try { await navigator.clipboard.writeText(text); }
  catch { const t = document.createElement("textarea"); t.value = text; document.body.append(t); t.select();
    document.execCommand("copy"); t.remove(); }
  button.textContent = "Copied"; setTimeout(() => { button.textContent = "Copy"; }, 1500);
});
function draw(p) {
  let done = 0;
  for (const s of p.steps) {
    const [icon, label] = SHOW[s.state] || SHOW.todo;
    if (s.state === "done" || s.state === "earlier") done++;
    const badge = document.querySelector('[data-badge="' + s.id + '"]');
    if (badge) badge.textContent = icon;
    const box = document.querySelector('[data-state="' + s.id + '"]');
    if (!box) continue;
    box.className = "state " + s.state;
    box.replaceChildren();
    const l = document.createElement("span"); l.className = "label"; l.textContent = icon + " " + label; box.append(l);
    for (const line of [s.message, s.hint ? "Next: " + s.hint : ""]) {
      if (!line) continue;
      const d = document.createElement("span"); d.className = "detail"; d.textContent = line; box.append(d);
    }
  }
  const bar = document.getElementById("progress");
  bar.max = p.steps.length; bar.value = done; bar.textContent = done;
  document.getElementById("progress-text").textContent = done + "/" + p.steps.length + " done";
  document.getElementById("connection").textContent = "checked " + new Date(p.checkedAt).toLocaleTimeString();
}
function connect() {
  const events = new EventSource("events" + location.search);
  const state = document.getElementById("connection");
  events.addEventListener("progress", (e) => { state.className = "live"; draw(JSON.parse(e.data)); });
  events.onerror = () => { state.className = "lost"; state.textContent = "reconnecting…"; };
}
connect();
`;
