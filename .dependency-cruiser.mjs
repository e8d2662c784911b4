// The import rule of harness/src (docs/architecture.md, "The import rule"): no import cycle, and no import from a
// layer above, type-only imports included. The layers are listed, top to bottom, in scripts/layers.mjs.
import { LAYERS } from './scripts/layers.mjs';

const names = LAYERS.map(([name]) => name);
const pathOf = (name) => (name === 'base' ? '^harness/src/[^/]+$' : `^harness/src/${name}/`);

export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'An import cycle, type-only or not: each piece must be loadable and testable without its callers.',
      from: { path: '^harness/src/' },
      to: { circular: true },
    },
    ...names.slice(1).map((name, i) => ({
      name: `no-upward-from-${name}`,
      severity: 'error',
      comment: `${name} imports a layer above it (${names.slice(0, i + 1).join(', ')}): see scripts/layers.mjs`,
      from: { path: pathOf(name) },
      to: { path: names.slice(0, i + 1).map(pathOf) },
    })),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
