/**
 * Preloaded by the benches (`node --import`): on exit, write this process's
 * CPU time (user + system, all threads) and peak RSS to the file named by
 * HOSTLINT_BENCH_RUSAGE. Node cannot ask for a child's resource usage, so the
 * child reports its own.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.HOSTLINT_BENCH_RUSAGE;
if (out && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKiB: u.maxRSS }));
  });
}
