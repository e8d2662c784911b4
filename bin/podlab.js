#!/usr/bin/env node
import { main } from '../dist/cli/podlab.js';

const code = await main(process.argv);
// Open watches or sockets must not keep a finished command alive; flush stdout first.
process.stdout.write('', () => process.exit(code));
