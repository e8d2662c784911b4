import t from 'tap';
import { detectSandbox } from '../../harness/src/k8s/detect.js';

const rc = (name: string, handler: string, extra: object = {}) => ({ metadata: { name }, handler, ...extra });

t.test('profiles', async (t) => {
  t.match(detectSandbox([rc('kata-vm-isolation', 'kata')]), { name: 'kata-vm-isolation', profile: 'aks-kata' });
  t.match(detectSandbox([rc('kata-mshv-vm-isolation', 'kata')]), { profile: 'aks-kata-preview' });
  const standIn = rc('kata-vm-isolation', 'kata', {
    metadata: { name: 'kata-vm-isolation', labels: { 'podlab.dev/backed-by': 'gvisor' } },
  });
  t.match(
    detectSandbox([standIn]),
    { name: 'kata-vm-isolation', profile: 'aks-kata-podlab' },
    "podlab's aks profile: gVisor behind AKS's name",
  );
  t.match(detectSandbox([rc('kata-qemu', 'kata-qemu')]), { profile: 'kata' });
  t.match(detectSandbox([rc('kata', 'kata')]), { profile: 'openshift-kata' });
  t.match(detectSandbox([rc('gvisor', 'runsc')]), { profile: 'gvisor', handler: 'runsc' });
  t.match(detectSandbox([rc('sandboxed', 'runsc')]), { name: 'sandboxed', profile: 'gvisor' });
});

t.test('AKS GA wins over preview, kata and gVisor; plain runc is not a sandbox', async (t) => {
  t.equal(
    detectSandbox([rc('gvisor', 'runsc'), rc('kata-mshv-vm-isolation', 'kata'), rc('kata-vm-isolation', 'kata')])?.name,
    'kata-vm-isolation',
  );
  t.equal(detectSandbox([rc('gvisor', 'runsc'), rc('kata-clh', 'kata-clh')])?.name, 'kata-clh');
  t.equal(detectSandbox([rc('runc', 'runc'), rc('crun', 'crun')]), undefined);
  t.equal(detectSandbox([]), undefined);
});

t.test('scheduling and overhead are carried', async (t) => {
  const found = detectSandbox([
    rc('kata-vm-isolation', 'kata', {
      scheduling: { nodeSelector: { 'kubernetes.azure.com/kata-vm-isolation': 'true' } },
      overhead: { podFixed: { memory: '600Mi', cpu: '100m' } },
    }),
  ]);
  t.same(found?.nodeSelector, { 'kubernetes.azure.com/kata-vm-isolation': 'true' });
  t.same(found?.overhead, { memory: '600Mi', cpu: '100m' });
});
