import type { Scenario, StepDefinition } from './types.js';

export function step(def: StepDefinition): StepDefinition {
  return def;
}

export function defineScenario(module: string, steps: StepDefinition[]): Scenario {
  return { module, steps };
}
