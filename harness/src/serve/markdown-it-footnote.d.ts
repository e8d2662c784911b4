// markdown-it-footnote ships no types, and DefinitelyTyped's describe it against the CommonJS markdown-it, which
// does not fit the ES module podlab imports: its one export, typed against that.
declare module 'markdown-it-footnote' {
  import type { PluginSimple } from 'markdown-it';
  const footnote: PluginSimple;
  export default footnote;
}
