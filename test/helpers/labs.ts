/** The Pod Sandboxing lab's step ids, in lab order: what its runs, checks and grades list. */
export const POD_SANDBOXING_STEPS = [
  'cluster-ready',
  'deploy-pods',
  'runtimeclass-scheduling',
  'compare-kernels',
  'ping-pods',
  'isolate-sandboxed',
  'guest-resources',
  'noisy-neighbour',
  'oom-killed',
  'host-network',
  'privileged-guest',
  'clean-up',
];
