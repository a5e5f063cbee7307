// Benchmarks: each prints its ratios against a raw floor measured in the same run.
// BENCH=retention,webhooks selects (default: all); BENCH_MEMBERS and BENCH_WEBHOOKS size them.
import { benchRetention } from './retention.ts';
import { benchWebhooks } from './webhooks.ts';

const selected = (process.env.BENCH ?? 'retention,webhooks').split(',').map((s) => s.trim());
if (selected.includes('retention')) await benchRetention();
if (selected.includes('webhooks')) await benchWebhooks();
process.exit(0);
