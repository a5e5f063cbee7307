// Benchmarks: each prints its ratios against a raw floor measured in the same run.
import { orderEarnBenchmark } from './order-earn.ts';
import { quoteBenchmark } from './quote.ts';

const benches: [string, () => Promise<boolean>][] = [
  ['order-earn', orderEarnBenchmark],
  ['quote', quoteBenchmark],
];
const only = process.argv[2];
let failed = false;
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  if (!(await run())) failed = true;
}
process.exit(failed ? 1 : 0);
