/**
 * Renders bench/README.md's results section from a `--json` file, so the table can be regenerated from a later
 * (quiet) run:
 *
 *   node dist/readme-table.js results.json [--note "load conditions"] > table.md
 *
 * The machine line describes the machine this runs on (run it right after the bench, on the same machine).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { renderResults } from './report/markdown';
import { parseResults } from './results';

const argv = process.argv.slice(2);
const file = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--note');
if (!file) throw new Error('usage: readme-table RESULTS.json [--note "load conditions"]');
const n = argv.indexOf('--note');
const results = parseResults(JSON.parse(readFileSync(file, 'utf8')));
const cpu = cpus();
console.log(
  renderResults(results, {
    machine: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
    node: process.version,
    note: n >= 0 ? argv[n + 1] : undefined,
  }),
);
