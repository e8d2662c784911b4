#!/usr/bin/env node
// Progress of a long `go build -v`: reads its output on stdin (one package path per line as each is built) and
// shows "<what>: built N/M packages, 2m13s". At a terminal one line is redrawn in place; otherwise (a pipe, CI,
// NO_COLOR) a plain line every 15 s. Anything that is not a package path (compiler errors) is passed through.
// Usage: go build -v ... 2>&1 | node go-progress.mjs <what> <total packages>
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const PLAIN_EVERY_MS = 15_000;

export function elapsed(ms) {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A package line of `go build -v`: an import path, nothing else ("# pkg" headers and errors are not). */
export function isPackage(line) {
  return /^[\w.~-]+(\/[\w.~+-]+)*$/.test(line);
}

/** live: redraw in place; write: where to; now: the clock (fakes in tests). */
export function progress({ what, total, live, write, now = Date.now }) {
  const start = now();
  let built = 0;
  let lastPlain = start;
  const status = () => `${what}: built ${built}${total ? `/${total}` : ''} packages, ${elapsed(now() - start)}`;
  const show = () => (live ? write(`\r\x1b[K${status()}`) : write(`${status()}\n`));
  return {
    line(line) {
      if (!isPackage(line.trim())) {
        if (live) write('\r\x1b[K');
        write(`${line}\n`);
        return;
      }
      built++;
      if (live) show();
      else if (now() - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = now();
        show();
      }
    },
    /** the clock moved without output (a long compile or the link): keep the elapsed time true */
    tick() {
      if (live) show();
      else if (now() - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = now();
        show();
      }
    },
    end() {
      write(`${live ? '\r\x1b[K' : ''}${status()}\n`);
    },
  };
}

/** Live only at a terminal, and never when CI or NO_COLOR is set. */
export function isLive(stream, env) {
  return Boolean(stream.isTTY) && !env.CI && !env.NO_COLOR;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [what = 'go build', total = '0'] = process.argv.slice(2);
  const p = progress({
    what,
    total: Number(total),
    live: isLive(process.stderr, process.env),
    write: (s) => process.stderr.write(s),
  });
  const timer = setInterval(() => p.tick(), 1000);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (l) => p.line(l));
  rl.on('close', () => {
    clearInterval(timer);
    p.end();
  });
}
