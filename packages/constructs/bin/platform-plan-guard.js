#!/usr/bin/env node
// platform-plan-guard: fails a plan that deletes or replaces a protected resource without the pull request's
// allow-destroy:<stack> label (scripts/terraform-stack.sh runs it after each plan).
const { runPlanGuard } = require('../lib/plan-guard');
process.exitCode = runPlanGuard(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
