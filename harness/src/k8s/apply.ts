// Server-side apply of a lab's manifest: `${VAR}` placeholders filled, namespace and podlab's labels injected.
import { readRegularFile } from '../files.js';
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export interface ApplyOptions {
  namespace: string;
  labels: Record<string, string>;
  vars: Record<string, string>;
}

export async function applyManifest(
  objects: KubernetesObjectApi,
  file: string,
  opts: ApplyOptions,
): Promise<KubernetesObject[]> {
  const read = readRegularFile(file, 4 * 1024 * 1024); // lint's limit too; the file may have changed since
  if (read.problem !== undefined) throw new Error(`${file} ${read.problem}`);
  const text = substitute(read.bytes.toString('utf8'), opts.vars, file);
  const applied: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (!obj) continue;
    obj.metadata = { ...obj.metadata, labels: { ...obj.metadata?.labels, ...opts.labels } };
    if (!CLUSTER_SCOPED.has(obj.kind ?? '')) obj.metadata.namespace = opts.namespace;
    const template = (obj as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec
      ?.template;
    if (template)
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...opts.labels } };
    applied.push(await objects.patch(obj, undefined, undefined, 'podlab', true, PatchStrategy.ServerSideApply));
  }
  return applied;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'RuntimeClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
]);

function substitute(text: string, vars: Record<string, string>, file: string): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`${file}: \${${name}} has no value (known: ${Object.keys(vars).join(', ')})`);
    return v;
  });
}
