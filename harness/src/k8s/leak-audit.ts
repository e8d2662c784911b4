// The leak audit's kinds, in one place: what a teardown must leave at zero objects carrying the run label.
// Cluster.labelled lists them and access.ts asks, before a run, for the right to list each one.
import type { CoreV1Api, KubernetesObject, KubernetesObjectApi, NodeV1Api } from '@kubernetes/client-node';

interface Clients {
  core: CoreV1Api;
  node: NodeV1Api;
  objects: KubernetesObjectApi;
}

interface AuditedKind {
  kind: string;
  /** the resource RBAC names, and its API group ('' for core) */
  resource: string;
  group: string;
  list(c: Clients, labelSelector: string): Promise<KubernetesObject[]>;
}

export const LEAK_AUDIT_KINDS: AuditedKind[] = [
  {
    kind: 'Namespace',
    resource: 'namespaces',
    group: '',
    list: async (c, labelSelector) => (await c.core.listNamespace({ labelSelector })).items,
  },
  {
    kind: 'Pod',
    resource: 'pods',
    group: '',
    list: async (c, labelSelector) => (await c.core.listPodForAllNamespaces({ labelSelector })).items,
  },
  {
    kind: 'Service',
    resource: 'services',
    group: '',
    list: async (c, labelSelector) => (await c.core.listServiceForAllNamespaces({ labelSelector })).items,
  },
  {
    kind: 'ConfigMap',
    resource: 'configmaps',
    group: '',
    list: async (c, labelSelector) => (await c.core.listConfigMapForAllNamespaces({ labelSelector })).items,
  },
  {
    kind: 'PersistentVolume',
    resource: 'persistentvolumes',
    group: '',
    list: async (c, labelSelector) => (await c.core.listPersistentVolume({ labelSelector })).items,
  },
  {
    kind: 'RuntimeClass',
    resource: 'runtimeclasses',
    group: 'node.k8s.io',
    list: async (c, labelSelector) => (await c.node.listRuntimeClass({ labelSelector })).items,
  },
  {
    kind: 'NetworkPolicy',
    resource: 'networkpolicies',
    group: 'networking.k8s.io',
    list: async (c, labelSelector) =>
      (
        await c.objects.list(
          'networking.k8s.io/v1',
          'NetworkPolicy',
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        )
      ).items,
  },
];

/** Every audited object the selector matches, as `Kind namespace/name` (or `Kind name`), kind by kind. */
export async function labelledObjects(c: Clients, selector: string): Promise<string[]> {
  const found: string[] = [];
  for (const k of LEAK_AUDIT_KINDS)
    for (const o of await k.list(c, selector))
      found.push(`${k.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`);
  return found;
}
