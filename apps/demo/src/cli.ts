#!/usr/bin/env node
/**
 * `pnpm demo`: trains a network on real MNIST in Node and reports test accuracy, a confusion matrix and each
 * layer's gradient health. See `--help` and apps/demo/README.md.
 */
import { HELP, UsageError, parseArgs } from './cli/args';
import { runDemo } from './cli/run';

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\nRun with --help to see the options.\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    await runDemo(options, { log: (line) => console.log(line), verbose: 1 });
    return 0;
  } catch (e) {
    // A failure the user can act on (missing files, a bad combination) reads as one message; set
    // BACKPROP_DEBUG=1 for the stack.
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${err.message}\n`);
    if (process.env.BACKPROP_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
