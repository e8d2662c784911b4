/** The lab model: what the Markdown modules say, with source positions for every error. */

export interface SourcePos {
  file: string;
  /** 1-based line */
  line: number;
  /** 1-based column */
  col: number;
}

/** A fenced block inside a step: what the attendee types. */
export interface CodeBlock {
  /** the first word of the fence's info string (`bash`); '' when it has none */
  lang: string;
  /** `key=value` and `key="value"` attributes after the language, e.g. { title: 'AKS', podlab: 'aks' } */
  attrs: Record<string, string>;
  /** attribute keys the info string gives more than once (`podlab=skip podlab=local`): attrs keeps the last */
  repeated?: string[];
  content: string;
  /** the opening fence's line */
  pos: SourcePos;
}

export interface LabStep {
  /** from the heading's `{#step-id}` marker; unique within a lab */
  id: string;
  title: string;
  /** heading level (2 for `##`) */
  level: number;
  /** Markdown body of the step (between its heading and the next step heading) */
  body: string;
  commands: CodeBlock[];
  pos: SourcePos;
}

/** Front matter: Docusaurus keys plus podlab's own (see harness/schemas/lab-frontmatter.schema.json). */
export interface FrontMatter {
  title: string;
  sidebar_label?: string;
  sidebar_position?: number;
  description?: string;
  /** module id, unique within the lab */
  id: string;
  /** path of the paired scenario, relative to the repo root (or the lab file) */
  scenario?: string;
  /** e.g. "15m" */
  duration?: string;
  /** capabilities the module needs: sandbox-runtime, network-policy, ... */
  requires?: string[];
  /** partial-credit weights per step id (default 1) */
  weights?: Record<string, number>;
  [key: string]: unknown;
}

export interface LabModule {
  file: string;
  frontMatter: FrontMatter;
  /** the line of each front matter key (`scenario` for a bad scenario path) */
  frontMatterLines?: Record<string, number>;
  /** line where the Markdown body starts (after front matter) */
  bodyLine: number;
  /** the Markdown after the front matter, as written (the attendee's page renders it) */
  markdown: string;
  steps: LabStep[];
  /** fenced blocks that stand in no step (after the module's last step section ends): nothing runs them */
  strayBlocks: CodeBlock[];
}

/** A lab: a directory of modules ordered by sidebar_position, or a single module file. */
export interface Lab {
  /** directory name, e.g. "pod-sandboxing" */
  id: string;
  dir: string;
  /** the lab's project root, where its `scenario:` and manifest paths resolve (projectRootOf) */
  root: string;
  modules: LabModule[];
}

/** A problem found while loading or linting; printed as `file:line:col message`. */
export interface Diagnostic {
  pos: SourcePos;
  message: string;
  /** what to do about it */
  hint?: string;
  severity: 'error' | 'warning';
}
