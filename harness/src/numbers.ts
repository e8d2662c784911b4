// Every number podlab takes from its command line or its environment, range-checked in one place: a value past
// what a timer can hold (2^31-1 ms, about 24.8 days) would otherwise fire at once, so each number has bounds, and
// the error names the option or variable it came from.
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';

export interface Range {
  min: number;
  max: number;
  /** what the number counts, for the message: "seconds", "attendees" */
  unit?: string;
}

function parse(value: string, r: Range): number | string {
  const text = value.trim();
  const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= r.min && n <= r.max) return n;
  return `expected a whole number${r.unit ? ` of ${r.unit}` : ''} from ${r.min} to ${r.max}, got "${value}"`;
}

/** A commander option parser: commander's error names the option (`option '--interval <seconds>' argument ...`). */
export function wholeNumber(r: Range): (value: string) => number {
  return (value) => {
    const n = parse(value, r);
    if (typeof n === 'string') throw new InvalidArgumentError(n);
    return n;
  };
}

/** The numbers podlab reads from its environment, with their ranges and defaults. */
export const ENV_NUMBERS = {
  /** the seconds a scenario may take to compile, and then to load */
  PODLAB_SCENARIO_TIMEOUT: { min: 1, max: 3600, unit: 'seconds', fallback: 30 },
  /** the length of a run's lease on its namespaces */
  PODLAB_LEASE_SECONDS: { min: 2, max: 3600, unit: 'seconds', fallback: 60 },
} satisfies Record<string, Range & { fallback: number }>;

/** An environment variable's number, its default when unset or empty; out of range is a usage error naming it. */
export function envNumber(name: keyof typeof ENV_NUMBERS, env: NodeJS.ProcessEnv = process.env): number {
  const r = ENV_NUMBERS[name];
  const value = env[name];
  if (value === undefined || value.trim() === '') return r.fallback;
  const n = parse(value, r);
  if (typeof n === 'string') throw new UsageError(`${name}: ${n}`);
  return n;
}

/** Every number of the environment checked at start, so that a bad one fails the command before it acts. */
export function checkEnvNumbers(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(ENV_NUMBERS) as Array<keyof typeof ENV_NUMBERS>) envNumber(name, env);
}
