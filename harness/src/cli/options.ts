// Options that several commands share (cluster, record, platform) and the parsers of option values.
import { Command, InvalidArgumentError, Option } from 'commander';
import { wholeNumber } from '../numbers.js';

export function withCluster<C extends Command>(cmd: C): C {
  return cmd
    .option(
      '--kubeconfig <file>',
      'kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, the embedded cluster, then the pod ServiceAccount inside a cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use');
}

/** --record / --no-record: the progress record that check and grade keep. */
export function withRecord<C extends Command>(cmd: C): C {
  return cmd
    .option(
      '--record <path>',
      'keep the progress record (steps first seen done, per attendee) in this file (default: $XDG_STATE_HOME/podlab/progress.jsonl)',
    )
    .option('--no-record', 'read the cluster only: neither use nor keep a progress record');
}

/** --kubeconfig-dir and --allow-exec: kubeconfigs handed in by attendees, and which of their plugins may run. */
export function withAttendeeFiles<C extends Command>(cmd: C): C {
  return cmd
    .option(
      '--kubeconfig-dir <dir>',
      'one kubeconfig file per attendee in this directory (the file name is the attendee)',
    )
    .option(
      '--allow-exec <plugin>',
      'a credential plugin (a name on PATH, or an absolute path) the --kubeconfig-dir files may run; repeat for more; by default they run none',
      (v: string, prev: string[] = []) => [...prev, v],
    );
}

/** --platform and --via: which blocks a run types, and whether it types them at all. */
export function withPerform<C extends Command>(cmd: C): C {
  return cmd
    .addOption(
      new Option(
        '--platform <name>',
        "run the blocks marked for this platform (default: detected; local = podlab's embedded cluster)",
      ).choices(['local', 'aks', 'other']),
    )
    .addOption(
      new Option(
        '--via <how>',
        "text: type each step's shell blocks into one shell, as the attendee does; scenario: call the scenario's run() where a step has one",
      )
        .choices(['text', 'scenario'])
        .default('text'),
    );
}

/** The ranges of the numbers on the command line (numbers.ts checks them; commander's error names the option). */
export const counts = wholeNumber({ min: 1, max: 1000 });
/** --interval: at most a day, far below the 24.8 days past which Node's timer fires at once. */
export const intervalSeconds = wholeNumber({ min: 1, max: 86_400, unit: 'seconds' });
export const timeoutSeconds = wholeNumber({ min: 1, max: 3600, unit: 'seconds' });

/** --report junit=file: more than one report of one run (a nightly job keeps both JUnit and JSON). */
export function extraReport(value: string, previous: Array<[string, string]>): Array<[string, string]> {
  const m = /^(tap|junit|json)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected tap=FILE, junit=FILE or json=FILE');
  return [...previous, [m[1]!, m[2]!]];
}
