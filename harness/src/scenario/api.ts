// The scenario API: what a scenario imports as `podlab/scenario`, wherever it lives (docs/authoring.md).
export { defineScenario, step } from './define.js';
export { podIsRunning, podProblem, readPod } from './checks.js';
export { fail, pass, skip, verdict } from './results.js';
export type { CheckFail, CheckPass, CheckResult, CheckSkip, ExecResult, SandboxRuntime, Scenario, StepContext, StepDefinition } from './types.js';
