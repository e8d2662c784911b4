// A run's terminal: the steps' text typed, as the attendee would, into one shell in the lab's project, with
// the run's namespace as $NS; in run mode each namespace the text makes is claimed for the teardown.
import type { Plan, PlannedBlock, PlannedStep } from '../plan/plan.js';
import { blocksFor } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { StepContext } from '../scenario/types.js';
import type { Cluster } from '../k8s/cluster.js';
import { ShellSession } from '../shell/session.js';
import { runText } from './text.js';
import { NamespaceClaims } from './claims.js';
import { attendeeEnv, embeddedKubectlDir, shellKubeconfig } from './attendee.js';
import type { RunLease } from './lease.js';
import type { OutputUpdate } from './outputs.js';
import { profileFor } from '../profiles/tables.js';

export interface TextTarget {
  cluster: Cluster;
  kubeconfigPath?: string;
  namespace: string;
  /** run mode: namespaces the text makes get these labels, under this lease */
  claim?: { labels: Record<string, string>; lease: RunLease };
  /** --update-outputs: output blocks that differ are collected here */
  outputUpdates?: OutputUpdate[];
}

export class LabText {
  private session: ShellSession | undefined;
  private claims: NamespaceClaims | undefined;
  private kubeconfig: { path: string; remove(): void } | undefined;
  private outputUpdates: OutputUpdate[] | undefined;

  /** `platform` is whose blocks are typed; none when no text is typed (check mode, `--via scenario`). */
  constructor(
    private readonly plan: Plan,
    private readonly selected: PlannedStep[],
    private readonly platform: Platform | undefined,
  ) {}

  /** The blocks typed for a step (none when run() replaces its text). */
  blocksOf(p: PlannedStep): PlannedBlock[] {
    return this.platform && !p.step.runInstead ? blocksFor(p, this.platform) : [];
  }

  /** The text before the first selected step (--from, --step): typed first, so its variables are the attendee's. */
  prelude(): PlannedBlock[] {
    const first = this.plan.steps.indexOf(this.selected[0]!);
    return this.plan.steps.slice(0, Math.max(first, 0)).flatMap((p) => this.blocksOf(p));
  }

  /** Starts the shell, when any block is to be typed; true if it did. */
  async open(t: TextTarget): Promise<boolean> {
    if (![...this.prelude(), ...this.selected.flatMap((p) => this.blocksOf(p))].length) return false;
    this.outputUpdates = t.outputUpdates;
    this.kubeconfig = shellKubeconfig(t.cluster.kubeconfig, t.kubeconfigPath);
    this.session = new ShellSession({
      cwd: this.plan.lab.root,
      env: attendeeEnv({ namespace: t.namespace, kubeconfig: this.kubeconfig.path, kubectlDir: embeddedKubectlDir }),
    });
    if (t.claim) {
      this.claims = new NamespaceClaims(t.cluster, t.claim.labels, t.claim.lease);
      await this.claims.start();
    }
    return true;
  }

  /** Types step i's text (after the prelude, for the first step); true when the step has text of its own. */
  readonly perform = async (p: PlannedStep, i: number, ctx: StepContext): Promise<boolean> => {
    const own = this.blocksOf(p);
    const typed = [...(i === 0 ? this.prelude() : []), ...own];
    if (typed.length) await this.type(typed, ctx);
    return own.length > 0;
  };

  /** Types the blocks into the shell, noting namespaces they make (run mode). */
  private async type(blocks: PlannedBlock[], ctx: StepContext): Promise<void> {
    const claims = this.claims;
    await runText(blocks, {
      session: this.session!,
      root: this.plan.lab.root,
      signal: ctx.signal,
      note: ctx.evidence,
      platform: this.platform,
      outputUpdates: this.outputUpdates,
      standIn: standInOf(ctx),
      afterBlock:
        claims &&
        (async (b, out) => {
          await claims.afterBlock(`${b.content}\n${out.stdout}\n${out.stderr}`);
        }),
    });
  }

  /** The namespaces the text made (run mode). */
  get claimed(): string[] {
    return this.claims?.claimed ?? [];
  }

  /** Nothing the shell started outlives the run. */
  async close(): Promise<void> {
    await this.session?.close();
    this.kubeconfig?.remove();
  }
}

/** The platform's own output blocks show its real sandbox; a stand-in (gVisor behind AKS's names) cannot. */
function standInOf(ctx: StepContext): string | undefined {
  const profile = profileFor(ctx.sandbox);
  return profile?.standIn
    ? `profile ${profile.id}: this output block shows the platform's own runtime, and ${profile.standIn} stands in for it on this cluster`
    : undefined;
}
