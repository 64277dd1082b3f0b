// Preloaded (node --import) into a `kreplay` child: on exit, writes its peak RSS (bytes) to
// $KREPLAY_RSS_OUT, and with KREPLAY_CPU_OUT its CPU time (user + system, ms) there.
// process.resourceUsage().maxRSS is in KiB.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.KREPLAY_RSS_OUT;
  const r = process.resourceUsage();
  if (out) writeFileSync(out, String(r.maxRSS * 1024));
  if (process.env.KREPLAY_CPU_OUT) writeFileSync(process.env.KREPLAY_CPU_OUT, String((r.userCPUTime + r.systemCPUTime) / 1000));
});
