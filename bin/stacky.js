#!/usr/bin/env node
// Runs the compiled CLI; `npm install` builds it through the prepare script.
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
const compiled = fileURLToPath(new URL('../dist/source/cli.js', import.meta.url));
if (!existsSync(compiled)) {
  console.error('stacky: not built yet; run `npm run build` (npm install does it for you)');
  process.exit(2);
}
const {main} = await import(compiled);
process.exitCode = await main(process.argv.slice(2));
