// Preloaded (node --import) into a `kreplay` child: on exit, writes its peak RSS (bytes) to
// $KREPLAY_RSS_OUT. process.resourceUsage().maxRSS is in KiB.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.KREPLAY_RSS_OUT;
  if (out) writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
});
