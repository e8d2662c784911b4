// The cold build's progress printer (cluster/lib/go-progress.mjs), fed fake `go build -v` output and a fake clock.
import t from 'tap';
// @ts-expect-error plain JavaScript without declarations: it runs before podlab is built
import { elapsed, isLive, isPackage, progress } from '../../cluster/lib/go-progress.mjs';

function fake(live: boolean) {
  let clock = 0;
  const out: string[] = [];
  const p = progress({
    what: 'podlab: Kubernetes v1.32.2',
    total: 4,
    live,
    write: (s: string) => out.push(s),
    now: () => clock,
  });
  return { p, out, advance: (ms: number) => (clock += ms) };
}

t.test('package lines are counted; errors are passed through', async (t) => {
  t.ok(isPackage('k8s.io/kubernetes/pkg/kubelet'));
  t.ok(isPackage('runtime/internal/sys'));
  t.notOk(isPackage('# k8s.io/kubernetes/pkg/kubelet'));
  t.notOk(isPackage('pkg/kubelet/kubelet.go:12:2: undefined: foo'));
  t.equal(elapsed(133_000), '2m13s');
  t.equal(elapsed(9_400), '9s');
});

t.test('at a terminal: one line redrawn in place with the count and the time', async (t) => {
  const { p, out, advance } = fake(true);
  p.line('internal/abi');
  advance(61_000);
  p.line('k8s.io/apimachinery/pkg/types');
  p.tick();
  p.line('main.go:3:1: syntax error');
  p.end();
  t.same(out, [
    '\r\x1b[Kpodlab: Kubernetes v1.32.2: built 1/4 packages, 0s',
    '\r\x1b[Kpodlab: Kubernetes v1.32.2: built 2/4 packages, 1m01s',
    '\r\x1b[Kpodlab: Kubernetes v1.32.2: built 2/4 packages, 1m01s',
    '\r\x1b[K',
    'main.go:3:1: syntax error\n',
    '\r\x1b[Kpodlab: Kubernetes v1.32.2: built 2/4 packages, 1m01s\n',
  ]);
});

t.test('not at a terminal: a plain line every 15 s, whether packages come or not, and one at the end', async (t) => {
  const { p, out, advance } = fake(false);
  p.line('internal/abi');
  advance(10_000);
  p.line('internal/goarch');
  advance(6_000);
  p.line('k8s.io/apimachinery/pkg/types');
  advance(20_000);
  p.tick();
  p.tick();
  p.end();
  t.same(out, [
    'podlab: Kubernetes v1.32.2: built 3/4 packages, 16s\n',
    'podlab: Kubernetes v1.32.2: built 3/4 packages, 36s\n',
    'podlab: Kubernetes v1.32.2: built 3/4 packages, 36s\n',
  ]);
  t.notOk(out.join('').includes('\r'), 'no cursor movement');
});

t.test('live only at a TTY without CI or NO_COLOR', async (t) => {
  t.equal(isLive({ isTTY: true }, {}), true);
  t.equal(isLive({ isTTY: false }, {}), false);
  t.equal(isLive({ isTTY: true }, { CI: 'true' }), false);
  t.equal(isLive({ isTTY: true }, { NO_COLOR: '1' }), false);
});
