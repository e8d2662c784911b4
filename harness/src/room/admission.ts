// The room's guard on a shared node: a ValidatingAdmissionPolicy, bound to the room's namespaces by their room
// label, that refuses a privileged, hostNetwork or hostPath pod unless it runs in the sandbox RuntimeClass. In the
// sandbox such a pod gets the guest's devices and network, not the node's (the lab's privileged step shows it);
// outside it, the same pod is root on the node every other attendee shares.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ROOM_LABEL, roomLabels, type RoomSpec } from './names.js';

const API = 'admissionregistration.k8s.io/v1';
export const policyName = (room: string) => `podlab-room-${room}-sandbox-only`;

/** CEL: no container (init and ephemeral included) privileged, no hostNetwork, no hostPath volume. */
const HOST_ACCESS = [
  'object.spec.?hostNetwork.orValue(false)',
  'object.spec.?volumes.orValue([]).exists(v, has(v.hostPath))',
  ...['containers', 'initContainers', 'ephemeralContainers'].map(
    (c) => `object.spec.?${c}.orValue([]).exists(c, c.?securityContext.?privileged.orValue(false))`,
  ),
].join(' || ');

/** The policy and its binding; `sandbox` is the detected sandbox RuntimeClass (none: such pods are refused). */
export function admissionObjects(spec: RoomSpec, sandbox: string | undefined): KubernetesObject[] {
  const name = policyName(spec.room);
  const metadata = { name, labels: roomLabels(spec) };
  const inSandbox = sandbox ? `object.spec.?runtimeClassName.orValue('') == '${sandbox}'` : 'false';
  const why = sandbox
    ? `a privileged, hostNetwork or hostPath pod is allowed in this room only with runtimeClassName: ${sandbox} (the sandbox), where it reaches the sandbox's devices and network instead of the shared node's; add runtimeClassName: ${sandbox} or drop the privilege`
    : 'a privileged, hostNetwork or hostPath pod is not allowed in this room: the cluster has no sandbox RuntimeClass, so it would reach the shared node';
  return [
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
          ],
        },
        validations: [{ expression: `!(${HOST_ACCESS}) || ${inSandbox}`, message: why, reason: 'Forbidden' }],
      },
    } as KubernetesObject,
    {
      apiVersion: API,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata,
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { [ROOM_LABEL]: spec.room } } },
      },
    } as KubernetesObject,
  ];
}
