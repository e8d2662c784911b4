// The embedded cluster's life cycle (issue 2), on the real cluster that `npm test` brought up: a second `up` leaves
// it alone, `down` stops and removes everything it started, `up` names a port another program holds, and `up`
// brings it back. This file takes the shared cluster down: never run it while others use the cluster.
import t from 'tap';
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { clusterScript, kubectl } from './kubectl.js';

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

t.test('one Ready node, and a second `up` is idempotent', async (t) => {
  const nodes = (await ok(['get', 'nodes', '--no-headers'])).split('\n');
  t.equal(nodes.length, 1, 'exactly one node');
  t.match(nodes[0], /\sReady\s/, 'the node is Ready');
  const again = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  t.equal(again.exitCode, 0, '`up` on a running cluster exits 0');
  t.match(again.all, /already running/, 'and leaves the running cluster alone');
  const status = await execa('bash', [clusterScript, 'status'], { reject: false });
  t.equal(status.exitCode, 0, '`status` reports healthy');
});

t.test('down stops everything it started and up works again', async (t) => {
  const pidsDir = '/run/podlab/pids';
  const pids = readdirSync(pidsDir).map((f) => Number(readFileSync(`${pidsDir}/${f}`, 'utf8')));
  t.ok(pids.length >= 9, 'every component (registry and kube-router too) has a pid file before down');
  const down = await execa('bash', [clusterScript, 'down'], { reject: false, all: true });
  t.equal(down.exitCode, 0, 'down exits 0');
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  t.same(alive, [], 'no component process survives down');
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .filter((l) => /\s(\/var\/lib\/podlab|\/run\/podlab|\/run\/netns\/cni-)/.test(l));
  t.same(mounts, [], 'no mount of the cluster remains');
  const netns = await execa('ip', ['netns', 'list']);
  t.notMatch(netns.stdout, /cni-/, 'no pod network namespace remains');
  t.notMatch(
    (await execa('iptables-save', ['-t', 'filter'])).stdout,
    /KUBE-ROUTER|KUBE-POD-FW-|KUBE-NWPLCY-/,
    'no kube-router chain remains',
  );
  t.notMatch((await execa('ipset', ['list', '-n'])).stdout, /^KUBE-(SRC|DST)-/m, 'nor its ipsets');
  // Another program on a component's port: up says which, instead of a component dying at start-up.
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(10259, '127.0.0.1', resolve));
  const blocked = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  await new Promise((resolve) => squatter.close(resolve));
  t.equal(blocked.exitCode, 3, 'up refuses while a port is taken');
  t.match(
    blocked.all,
    new RegExp(`port 10259, which kube-scheduler needs, is taken by another process \\(node, pid ${process.pid}\\)`),
    'it names the port, the component and the holder',
  );
  const up = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  t.equal(up.exitCode, 0, 'up works again after down');
  t.match(await ok(['get', 'nodes', '--no-headers']), /\sReady\s/, 'with a Ready node');
});
