// The worker process (worker/src/process.ts, what `npm run worker` runs) with its daily jobs'
// clock fixed at FAULT_WORKER_NOW (an ISO instant), so a fault test that kills and restarts it
// does not depend on the wall clock.
import { runWorkerProcess } from '../../src/process.ts';

const at = new Date(process.env.FAULT_WORKER_NOW ?? '');
if (Number.isNaN(at.getTime())) throw new Error('FAULT_WORKER_NOW must be an ISO instant');
await runWorkerProcess({ now: () => at });
