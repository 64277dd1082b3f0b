// Live heap against trace length: replays an NDJSON trace with invariants off and, every 1M
// events, forces a GC and prints the heap and the RSS. Usage (after npm run build):
//   node --expose-gc bench/heap.mjs bench/data/trace-10m-v1.ndjson
import { replayFile } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('bench/heap.mjs: run with node --expose-gc');
  process.exit(2);
}
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
let n = 0;
replayFile(process.argv[2], {
  invariants: false,
  onEvent: () => {
    if (++n % 1_000_000 !== 0) return;
    globalThis.gc();
    const { heapUsed, rss } = process.memoryUsage();
    console.log(`${n / 1e6}M events: live heap ${mib(heapUsed)} MiB, rss ${mib(rss)} MiB`);
  },
});
