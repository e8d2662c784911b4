// What every measurement of the bench shares: its flags, the cluster and the environment its commands run in,
// a scratch folder, and `timed`, which measures one command.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { Cluster } from '../harness/src/k8s/cluster.js';
import { kubeconfigPath, loadKubeConfig } from '../harness/src/k8s/kubeconfig.js';
import { repoRoot } from '../harness/src/paths.js';

export const root = repoRoot();
export const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    attendees: { type: 'string', default: '200' },
    solved: { type: 'string', default: '2' },
    record: { type: 'string' },
  },
});
export const rounds = Number(flags.rounds);
export const attendees = Number(flags.attendees);
export const solvedCount = Math.min(Number(flags.solved), attendees);

const kubeconfig = kubeconfigPath();
if (!kubeconfig) throw new Error('no kubeconfig: run `podlab cluster up` or set KUBECONFIG');
const kubectlDir = /PATH=([^:]+):/.exec(
  (await execa('bash', [`${root}/cluster/podlab-cluster.sh`, 'env'])).stdout,
)?.[1];
export const env = { KUBECONFIG: kubeconfig, PATH: `${kubectlDir}:${process.env.PATH}` };
export const cluster = new Cluster(loadKubeConfig({ kubeconfig }));
export const podlabBin = join(root, 'bin/podlab.js');
export const work = mkdtempSync(join(tmpdir(), 'podlab-bench-'));
export const log = (m: string) => console.error(`bench: ${m}`);

/** Wall time and the CPU time (user + system, children included) of one command, through bash's `time`. */
export async function timed(argv: string[]) {
  const timeFile = join(work, 'time');
  const started = performance.now();
  const r = await execa(
    'bash',
    ['-c', 'TIMEFORMAT="%3U %3S"; { time "$@" 2>&3; } 3>&2 2>"$TIMEFILE"', 'timed', ...argv],
    {
      cwd: root,
      reject: false,
      env: { ...env, TIMEFILE: timeFile },
    },
  );
  const wallMs = performance.now() - started;
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
  return {
    r: { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr },
    wallMs,
    cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000,
  };
}
