// Options that several commands share (cluster, record, platform) and the parsers of option values.
import { Command, InvalidArgumentError, Option } from 'commander';
import { wholeNumber } from '../numbers.js';
import { allowedHostName } from '../serve/listen.js';

/** One option as a table row: commander's flags and description, and what it needs beyond them. */
interface OptionSpec {
  flags: string;
  description: string;
  choices?: string[];
  default?: string;
  /** for an option that may be repeated: how a value joins the ones before it */
  parse?: (value: string, previous: string[]) => string[];
}

/** A group of options several commands take, added to a command in one call (a fresh Option per command). */
function optionGroup(...specs: OptionSpec[]) {
  return <C extends Command>(cmd: C): C => {
    for (const s of specs) {
      const option = new Option(s.flags, s.description);
      if (s.choices) option.choices(s.choices);
      if (s.default !== undefined) option.default(s.default);
      if (s.parse) option.argParser(s.parse);
      cmd.addOption(option);
    }
    return cmd;
  };
}

/** --kubeconfig and --context: the cluster a command talks to. */
export const withCluster = optionGroup(
  {
    flags: '--kubeconfig <file>',
    description:
      'kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, the embedded cluster, then the pod ServiceAccount inside a cluster)',
  },
  { flags: '--context <name>', description: 'kubeconfig context to use' },
);

/** --record / --no-record: the progress record that check and grade keep. */
export const withRecord = optionGroup(
  {
    flags: '--record <path>',
    description:
      'keep the progress record (steps first seen done, per attendee) in this file (default: $XDG_STATE_HOME/podlab/progress.jsonl)',
  },
  { flags: '--no-record', description: 'read the cluster only: neither use nor keep a progress record' },
);

/** --kubeconfig-dir and --allow-exec: kubeconfigs handed in by attendees, and which of their plugins may run. */
export const withAttendeeFiles = optionGroup(
  {
    flags: '--kubeconfig-dir <dir>',
    description: 'one kubeconfig file per attendee in this directory (the file name is the attendee)',
  },
  {
    flags: '--allow-exec <plugin>',
    description:
      'a credential plugin (a name on PATH, or an absolute path) the --kubeconfig-dir files may run; repeat for more; by default they run none',
    parse: (v, prev = []) => [...prev, v],
  },
);

/** --platform and --via: which blocks a run types, and whether it types them at all. */
export const withPerform = optionGroup(
  {
    flags: '--platform <name>',
    description: "run the blocks marked for this platform (default: detected; local = podlab's embedded cluster)",
    choices: ['local', 'aks', 'other'],
  },
  {
    flags: '--via <how>',
    description:
      "text: type each step's shell blocks into one shell, as the attendee does; scenario: call the scenario's run() where a step has one",
    choices: ['text', 'scenario'],
    default: 'text',
  },
);

/** --allow-host: the one way both pages (check --serve, grade --serve) accept a name a trusted proxy forwards. */
export const withAllowHost = optionGroup({
  flags: '--allow-host <name>',
  description:
    "with --serve: also answer requests whose Host is this name, as a proxy in front forwards it (Azure Cloud Shell's web preview: the name in its address bar); '*.name' for any name under it; repeat for more. The listen address and the token stay as --serve says",
  parse: (v, prev = []) => [...prev, allowedHostName(v)],
});

/** The ranges of the numbers on the command line (numbers.ts checks them; commander's error names the option). */
export const counts = wholeNumber({ min: 1, max: 1000 });
/** --interval: at most a day, far below the 24.8 days past which Node's timer fires at once. */
export const intervalSeconds = wholeNumber({ min: 1, max: 86_400, unit: 'seconds' });
export const timeoutSeconds = wholeNumber({ min: 1, max: 3600, unit: 'seconds' });
export const lintSeconds = wholeNumber({ min: 1, max: 86_400, unit: 'seconds' });

/** --report junit=file: more than one report of one run (a nightly job keeps both JUnit and JSON). */
export function extraReport(value: string, previous: Array<[string, string]>): Array<[string, string]> {
  const m = /^(tap|junit|json)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected tap=FILE, junit=FILE or json=FILE');
  return [...previous, [m[1]!, m[2]!]];
}
