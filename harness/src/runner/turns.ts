// When each step's text has been typed into the run's one shell, and whether it failed.

export class TextTurns {
  private readonly done: Array<{ promise: Promise<boolean>; resolve: (failed: boolean) => void }>;

  constructor(n: number) {
    this.done = Array.from({ length: n }, () => {
      let resolve!: (failed: boolean) => void;
      const promise = new Promise<boolean>((r) => {
        resolve = r;
      });
      return { promise, resolve };
    });
  }

  /** Resolves with true when step i's text failed; the first call for a step wins. */
  ended(i: number): Promise<boolean> {
    return this.done[i]!.promise;
  }
  end(i: number, failed: boolean): void {
    this.done[i]!.resolve(failed);
  }
}
