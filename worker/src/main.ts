// Worker process: `npm run worker`. Queues, workers and schedules (src/process.ts); see
// worker/README.md for the environment it reads.
import { runWorkerProcess } from './process.ts';

await runWorkerProcess();
