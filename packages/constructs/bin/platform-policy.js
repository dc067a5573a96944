#!/usr/bin/env node
// platform-policy: checks the synthesized stacks against platform-kit's security rules (`npx projen policy`).
// A closed pipe (`platform-policy --list | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { runPolicy } = require('../lib/policy/cli');
// exitCode, not exit(): a long report piped to a file or CI log is written out in full first.
process.exitCode = runPolicy(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
