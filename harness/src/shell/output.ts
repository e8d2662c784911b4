// What one stream of the shell printed since the current block started, kept to a bounded tail.

/** Past this many characters, only the tail of a block's output is kept (the end is where the error is). */
const MAX_BLOCK_OUTPUT = 1024 * 1024;

export class OutputTail {
  private text = '';
  private dropped = 0;
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Buffer): void {
    this.text += this.decoder.decode(chunk, { stream: true });
    if (this.text.length > 2 * MAX_BLOCK_OUTPUT) {
      this.dropped += this.text.length - MAX_BLOCK_OUTPUT;
      this.text = this.text.slice(-MAX_BLOCK_OUTPUT);
    }
  }

  /** A new block starts: what came before is no longer its output. */
  mark(): void {
    this.text = '';
    this.dropped = 0;
  }

  current(): string {
    return this.text;
  }

  /** The block's output, up to the terminator the shell printed after it. */
  sinceMark(terminator: string): string {
    const end = this.text.indexOf(terminator);
    const body = end < 0 ? this.text : this.text.slice(0, end);
    return this.dropped ? `[${this.dropped} characters left out]\n${body}` : body;
  }
}
