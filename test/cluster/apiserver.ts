// Stops the embedded cluster's kube-apiserver and starts it again with the very same command line, the way
// an outage (or an API server upgrade) looks to a client.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { clusterEnv } from './kubectl.js';

const PID_FILE = '/run/podlab/pids/kube-apiserver';
const LOG_FILE = `${process.env.PODLAB_STATE_DIR ?? '/var/lib/podlab/cluster'}/logs/kube-apiserver.log`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface StoppedApiserver {
  stoppedAt: number;
  /** starts it again and resolves once /readyz answers */
  start(): Promise<void>;
}

export async function stopApiserver(): Promise<StoppedApiserver> {
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; alive(pid) && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  const stoppedAt = Date.now();
  let started = false;
  return {
    stoppedAt,
    async start() {
      if (started) return;
      started = true;
      const log = openSync(LOG_FILE, 'a');
      const child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', log, log] });
      child.unref();
      writeFileSync(PID_FILE, `${child.pid}\n`);
      const { kubectl, kubeconfig } = await clusterEnv();
      for (const deadline = Date.now() + 120_000; ;) {
        const r = await execa(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz'], { reject: false });
        if (r.exitCode === 0) return;
        if (Date.now() > deadline) throw new Error(`kube-apiserver did not come back: ${r.stderr}`);
        await new Promise((res) => setTimeout(res, 250));
      }
    },
  };
}
