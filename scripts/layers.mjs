// The layers of harness/src, from the command line down to what everything uses. A folder (or a file at the top of
// harness/src) may import its own layer's code and anything below it, never above: the dependency check
// (.dependency-cruiser.mjs, part of `npm run lint`) enforces it, type-only imports included, and
// docs/architecture.md states it (`npm run docs:arch` writes that part of the doc from this list and the code).
export const LAYERS = [
  ['cli', 'the commands: parse the command line, call one pipeline, turn its result into an exit code'],
  ['rehearse', "a room's dress rehearsal: room up, every attendee typing the lab at once, graded live, room down"],
  ['grade', 'a room of attendees: one check per attendee over a shared snapshot, the matrix, the scoreboard'],
  [
    'room',
    "a workshop's room on one shared cluster: namespaces, identities, budgets and admission, sized from the text",
  ],
  [
    'serve',
    "the guarded HTTP page server (routes, one SSE stream, caps, token) the scoreboard runs on; the attendee's page",
  ],
  ['runner', 'run, check and solve: a plan against the cluster, step by step, with teardown'],
  ['lint', "prints the plan's diagnostics"],
  ['plan', 'a Lab and its scenarios become a Plan: steps, block fates, diagnostics'],
  ['loader', 'scenario files: bundled with esbuild, probed in a child process, validated'],
  ['shell', "one bash session that types a lab's blocks"],
  ['scenario', 'the authoring API (`podlab/scenario`) and the step context (`ctx`)'],
  ['report', 'RunResult and its reporters (TAP, JUnit, JSON, text); redaction'],
  ['k8s', 'the Kubernetes client: kubeconfig, retries, counting, apply, exec, detection'],
  ['profiles', 'what each runtime profile implies, with sources, and the pure verdicts'],
  ['proc', 'child processes and process trees: tracking, stopping'],
  ['progress', 'the progress record file'],
  ['model', 'Markdown to Lab: modules, steps, blocks, front matter, Diagnostic'],
  [
    'base',
    'the files at the top of harness/src: errors, paths, files, numbers, bounded text, the terminal-safe printer',
  ],
];

/** The layer a harness/src path belongs to: its first folder, or `base` for a file at the top. */
export function layerOf(path) {
  const rest = path.replace(/^harness\/src\//, '');
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : 'base';
}
