// Stops one of the embedded cluster's components (a process with a pid file under /run/podlab/pids) and starts
// it again with the very same command line, environment and working directory: how a crash, an upgrade or an
// outage of that component looks to everything else.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';

const STATE = process.env.PODLAB_STATE_DIR ?? '/var/lib/podlab/cluster';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface StoppedComponent {
  stoppedAt: number;
  /** starts it again and resolves once `ready` says so (within 120 s) */
  start(): Promise<void>;
}

export async function stopComponent(name: string, ready: () => Promise<boolean>): Promise<StoppedComponent> {
  const pidFile = `/run/podlab/pids/${name}`;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
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
  let started: Promise<void> | undefined;
  return {
    stoppedAt,
    start() {
      started ??= (async () => {
        const log = openSync(`${STATE}/logs/${name}.log`, 'a');
        const spawnIt = () => {
          const child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', log, log] });
          child.unref();
          writeFileSync(pidFile, `${child.pid}\n`);
          return child.pid!;
        };
        // Like a node's unit (Restart=always): the kubelet exits at once while containerd's CRI is not
        // initialized yet, which can outlast `ctr version` answering.
        let pid = spawnIt();
        let spawns = 1;
        for (
          const deadline = Date.now() + 120_000;
          !(await ready());
          await new Promise((res) => setTimeout(res, 250))
        ) {
          if (Date.now() > deadline) {
            const tail = readFileSync(`${STATE}/logs/${name}.log`, 'utf8').split('\n').slice(-12).join('\n');
            throw new Error(`${name} did not come back within 120 s (started ${spawns} times); its log ends:\n${tail}`);
          }
          if (!alive(pid)) {
            await new Promise((res) => setTimeout(res, 1_000));
            pid = spawnIt();
            spawns++;
          }
        }
      })();
      return started;
    },
  };
}
