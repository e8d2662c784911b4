// The live scoreboard: one self-contained page (no external assets, works offline in a classroom) that draws the
// matrix from /events (Server-Sent Events) and redraws whenever the grader pushes a new one.
export const SCOREBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>podlab scoreboard</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d1d1f; background: #fafafa; }
  body { margin: 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  #meta { color: #555; font-size: .9rem; margin-bottom: 1rem; }
  #state.live::before { content: "● "; color: #1a7f37; }
  #state.lost::before { content: "● "; color: #b42318; }
  table { border-collapse: collapse; background: #fff; }
  th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: center; font-size: .9rem; }
  th.step { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; }
  td.attendee { text-align: left; font-family: ui-monospace, monospace; }
  td.done, .legend .done { background: #1a7f37; color: #fff; }
  td.earlier, .legend .earlier { background: #a7dfb4; color: #114a1f; }
  td.todo, .legend .todo { background: #f6d7d5; color: #7a1c12; }
  td.skip, .legend .skip { background: #eee; color: #555; }
  td.unreachable { background: #fff4ce; color: #6b4e00; text-align: left; }
  td.score { font-variant-numeric: tabular-nums; font-weight: 600; }
  tr.room td { color: #555; font-size: .85rem; font-variant-numeric: tabular-nums; }
  #chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; } #chart .bar { fill: #2da44e; } #chart .track { fill: #eee; }
  .legend span { display: inline-block; padding: 0 .4rem; margin-right: .5rem; }
</style>
</head>
<body>
<h1 id="title">podlab scoreboard</h1>
<div id="meta"><span id="state" class="lost">connecting</span> · <span id="updated">no data yet</span> ·
  <a class="export" href="matrix.json">JSON</a> · <a class="export" href="matrix.csv">CSV</a> · <a class="export" href="junit.xml">JUnit</a></div>
<table id="matrix"><thead></thead><tbody></tbody></table>
<p id="room"></p>
<svg id="chart" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Attendees done per step, and who has been on each step longest</title></svg>
<p class="legend"><span class="done">✓ done</span><span class="earlier">+ done earlier</span><span class="todo">✗ not yet</span><span class="skip">- skipped (the cluster cannot do it)</span></p>
<script>
"use strict";
const MARK = { done: "✓", earlier: "+", todo: "✗", skip: "-" };
const el = (tag, attrs, text) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
function draw(m) {
  document.getElementById("title").textContent = "podlab scoreboard: " + m.lab;
  document.getElementById("updated").textContent = "updated " + new Date(m.generatedAt).toLocaleTimeString();
  const head = el("tr");
  head.append(el("th", {}, "attendee"));
  m.steps.forEach((s, i) => head.append(el("th", { class: "step", title: s.module }, (i + 1) + " " + s.id)));
  head.append(el("th", {}, "score"));
  const body = [];
  for (const a of m.attendees) {
    const tr = el("tr", { "data-attendee": a.attendee });
    tr.append(el("td", { class: "attendee" }, a.attendee));
    if (!a.reachable) {
      tr.append(el("td", { class: "unreachable", colspan: String(m.steps.length + 1), "data-status": "unreachable" }, "unreachable: " + (a.error || "")));
    } else {
      for (const s of m.steps) {
        const c = a.cells[s.id] || { status: "todo" };
        tr.append(el("td", { class: c.status, "data-step": s.id, "data-status": c.status, title: c.status === "earlier" ? "done earlier, first seen " + c.at : c.reason || s.id }, MARK[c.status] || "?"));
      }
      tr.append(el("td", { class: "score" }, a.score + "/" + a.maxScore));
    }
    body.push(tr);
  }
  if (m.room) {
    const done = el("tr", { class: "room", "data-row": "done" });
    done.append(el("td", { class: "attendee" }, "done by"));
    for (const s of m.room.steps) done.append(el("td", { "data-step": s.id }, String(s.done)));
    done.append(el("td", {}, ""));
    const time = el("tr", { class: "room", "data-row": "median" });
    time.append(el("td", { class: "attendee" }, "median time"));
    for (const s of m.room.steps) time.append(el("td", { "data-step": s.id }, s.medianFromStartMs === undefined ? "" : Math.round(s.medianFromStartMs / 60000) + " min"));
    time.append(el("td", {}, ""));
    body.push(done, time);
  }
  document.querySelector("#matrix thead").replaceChildren(head);
  document.querySelector("#matrix tbody").replaceChildren(...body);
  document.getElementById("room").textContent = m.room ? m.room.summary : "";
  if (m.room) chart(m.room);
}
// The room line as a picture: per step a bar of how many attendees are done, and of those on the step now (the
// steps before it done), who has been on it longest and for how long, as of the grade (room-stats.ts stuckOn).
const ago = (ms) => ms < 60000 ? Math.round(ms / 1000) + " s" : Math.round(ms / 60000) + " min";
function chart(room) {
  const NS = "http://www.w3.org/2000/svg", row = 22, label = 170, width = 300;
  const svg = document.getElementById("chart");
  const el2 = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v)); if (text !== undefined) e.textContent = text; return e; };
  const parts = [svg.querySelector("title")];
  room.steps.forEach((s, i) => {
    const y = i * row, w = room.attendees ? Math.round((width * s.done) / room.attendees) : 0;
    const stuck = s.stuck ? " · on it longest: " + s.stuck.attendee + ", " + ago(s.stuck.forMs) : "";
    const said = { x: label + width + 8, y: y + 15, "data-step": s.id, ...(s.stuck ? { "data-stuck": s.stuck.attendee } : {}) };
    parts.push(el2("text", { x: 0, y: y + 15 }, s.id), el2("rect", { class: "track", x: label, y: y + 4, width, height: 14 }),
      el2("rect", { class: "bar", "data-step": s.id, "data-done": s.done, x: label, y: y + 4, width: w, height: 14 }),
      el2("text", said, s.done + "/" + room.attendees + " done" + stuck));
  });
  svg.setAttribute("width", String(label + width + 460));
  svg.setAttribute("height", String(room.steps.length * row + 4));
  svg.replaceChildren(...parts);
}
const state = document.getElementById("state");
// A scoreboard reachable from other machines needs the token it was opened with, on every request it makes.
const token = new URLSearchParams(location.search).get("token");
const withToken = (path) => token ? path + "?token=" + encodeURIComponent(token) : path;
document.querySelectorAll("a.export").forEach((a) => a.setAttribute("href", withToken(a.getAttribute("href"))));
const events = new EventSource(withToken("events"));
events.addEventListener("matrix", (e) => {
  try { draw(JSON.parse(e.data)); state.className = "live"; state.textContent = "live"; }
  catch (err) { state.className = "lost"; state.textContent = "cannot read the grade: " + err.message; }
});
events.onopen = () => { state.className = "live"; state.textContent = "live"; };
events.onerror = () => { state.className = "lost"; state.textContent = "reconnecting"; };
</script>
</body>
</html>
`;
