// Benchmarks: each prints its ratios against a raw floor measured in the same run.
import { quoteBenchmark } from './quote.ts';

const benches: [string, () => Promise<boolean>][] = [['quote', quoteBenchmark]];
const only = process.argv[2];
let failed = false;
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  if (!(await run())) failed = true;
}
process.exit(failed ? 1 : 0);
