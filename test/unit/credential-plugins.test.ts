// Attendees' kubeconfigs (grade --kubeconfig-dir) as hostile input (issue 23, class 2): a credential plugin runs
// only when the instructor allowed it by name, as the program podlab's PATH names, and never for ever.
import t from 'tap';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const base = t.testdir({});
const bin = join(base, 'bin');
const evil = join(base, 'evil');
const marks = join(base, 'marks');
for (const d of [bin, evil, marks]) mkdirSync(d);
const mark = (name: string) => join(marks, name);
const TOKEN = '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t0k3n"}}';
const script = (file: string, body: string) => {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};
const touch = execFileSync('sh', ['-c', 'command -v touch'], { encoding: 'utf8' }).trim();
script(join(bin, 'credplug'), `${touch} ${mark('allowed')}\necho '${TOKEN}'`);
script(join(evil, 'credplug'), `${touch} ${mark('evil')}\necho '${TOKEN}'`);
const hangs = script(join(bin, 'hangs'), `sleep 3599 &\nexec sleep 3598`);

/** One attendee's kubeconfig (API server: a closed port here, the plugin runs before any request) whose user is `user`. */
const kubeconfig = (user: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'ana' } }],
    'current-context': 'x',
  });
const exec = (command: string, env: Array<{ name: string; value: string }> = []) => ({
  exec: { apiVersion: 'client.authentication.k8s.io/v1', command, env, interactiveMode: 'Never' },
});

const grade = (name: string, user: Record<string, unknown>, ...args: string[]) => {
  const dir = join(base, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'ana.yaml'), kubeconfig(user));
  return execa(process.execPath, [`${repo}bin/podlab.js`, 'grade', 'hello-pod', '--kubeconfig-dir', dir, ...args], {
    reject: false,
    env: { PATH: `${bin}:${process.env.PATH}` },
    timeout: 60_000,
  });
};

t.test("an attendee's exec plugin does not run unless allowed, and the row says how to allow it", async (t) => {
  const r = await grade('refused', exec(join(evil, 'credplug')));
  t.equal(r.exitCode, 0, r.stderr);
  t.notOk(existsSync(mark('evil')), 'the plugin did not run');
  t.match(r.stdout, /ana\s+unreachable: .*runs the credential plugin .*--allow-exec \S+evil\/credplug/);
  t.notMatch(r.stderr, /\n\s+at /);
});

t.test("allowed by name means the program on podlab's PATH, not one the kubeconfig puts first", async (t) => {
  const r = await grade('pinned', exec('credplug', [{ name: 'PATH', value: evil }]), '--allow-exec', 'credplug');
  t.notOk(existsSync(mark('evil')), "the kubeconfig's PATH did not choose the program");
  t.ok(existsSync(mark('allowed')), 'the allowed plugin ran');
  t.match(r.stdout, /ana\s+unreachable: cannot read the cluster/, 'then the closed port is the row');
});

t.test('the allowed name does not allow another program of the same name', async (t) => {
  const r = await grade('samename', exec(join(evil, 'credplug')), '--allow-exec', 'credplug');
  t.notOk(existsSync(mark('evil')));
  t.match(r.stdout, /--allow-exec \S+evil\/credplug/);
});

t.test("a loader variable in the plugin's environment is refused", async (t) => {
  const r = await grade(
    'preload',
    exec('credplug', [{ name: 'LD_PRELOAD', value: '/tmp/x.so' }]),
    '--allow-exec',
    'credplug',
  );
  t.match(r.stdout, /sets LD_PRELOAD for its credential plugin/);
});

t.test("the old auth providers' cmd-path never runs from an attendee's file", async (t) => {
  const provider = {
    'auth-provider': { name: 'azure', config: { 'cmd-path': join(evil, 'credplug'), 'token-key': '{.t}' } },
  };
  const r = await grade('azure', provider);
  t.notOk(existsSync(mark('evil')));
  t.match(r.stdout, /runs `\S+` through the azure auth provider's cmd-path/);
});

t.test('an allowed plugin that never answers is ended, with what it started', async (t) => {
  const started = Date.now();
  const r = await grade('hangs', exec(hangs), '--allow-exec', hangs);
  const tookS = (Date.now() - started) / 1000;
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /podlab ended the credential plugin \S+hangs: no answer within 10s/);
  t.ok(tookS < 30, `ended in ${tookS.toFixed(1)} s`);
  const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  t.notMatch(left, /sleep 359[89]/, 'nothing it started is left running');
});

t.test('--allow-exec without --kubeconfig-dir is a usage error', async (t) => {
  const r = await execa(
    process.execPath,
    [`${repo}bin/podlab.js`, 'grade', 'hello-pod', '--namespaces', 'a', '--allow-exec', 'x'],
    {
      reject: false,
    },
  );
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /--allow-exec is for --kubeconfig-dir/);
});
