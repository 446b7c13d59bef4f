// Sums the vitest JSON reports that every workspace member's `test` task writes to .vitest/report.json.
// Prints "N passed, N failed, N skipped"; exits 1 when anything failed or no report was found.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
const dirs = roots.flatMap((r) => (existsSync(r) ? readdirSync(r).map((d) => join(r, d)) : []));
dirs.push('bench');

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const dir of dirs) {
  const file = join(dir, '.vitest', 'report.json');
  if (!existsSync(file)) continue;
  reports++;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails to load has no test results but must still count as a failure.
  for (const f of r.testResults) if (f.status === 'failed' && f.assertionResults.length === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (reports === 0) {
  console.error('count-tests: no vitest report found; did the test task run?');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
