// The Pod Sandboxing lab's step ids, in lab order, read from the lab itself: what its runs, checks and grades
// list. The lab's Markdown is the one place they are written; a test never keeps its own copy of them.
import { fileURLToPath } from 'node:url';
import { loadLab } from '../../harness/src/model/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { lab, diagnostics } = await loadLab('pod-sandboxing', { root });
if (!lab) throw new Error(`labs/pod-sandboxing does not load: ${diagnostics.map((d) => d.message).join('; ')}`);

export const POD_SANDBOXING_STEPS: string[] = lab.modules.flatMap((m) => m.steps.map((s) => s.id));
