// The scenario API: what a scenario imports as `podlab/scenario`, wherever it lives (docs/authoring.md).
export { defineScenario, step } from './define.js';
export { podIsRunning, podProblem, readPod } from './checks.js';
export { fail, pass, skip, verdict } from './results.js';
export { isLabImage, labImage } from './image.js';
export type {
  CheckFail,
  CheckPass,
  CheckResult,
  CheckSkip,
  ExecResult,
  SandboxRuntime,
  Scenario,
  StepContext,
  StepDefinition,
} from './types.js';
export { profileFor, standInReason } from '../profiles/tables.js';
export { cpuVerdict, memoryVerdict, nodeDevicesAmong, oomVerdict, parsePartitions } from '../profiles/verdicts.js';
export type { Reading, RuntimeProfile } from '../profiles/tables.js';
export type { BlockDevice, OomObservation, ProfileVerdict } from '../profiles/verdicts.js';
