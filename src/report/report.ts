import { gatherReport, type ReportOptions } from './data.js';
import { reportHtml } from './html.js';
import { writeOutputAtomically } from '../trace/atomic-write.js';

export { FLAG, gatherReport, MAX_LISTED_VIOLATIONS } from './data.js';
export type { ReportData, ReportOptions } from './data.js';
export { reportHtml } from './html.js';

export interface ReportSummary {
  out: string;
  bytes: number;
  events: number;
  divergences: number;
  violations: number;
}

/** `kreplay report`: replays `trace` and writes the self-contained HTML report to `out`. */
export function writeReport(trace: string, out: string, opts: ReportOptions = {}): ReportSummary {
  const data = gatherReport(trace, opts);
  const html = reportHtml(data);
  writeOutputAtomically(out, html);
  return { out, bytes: Buffer.byteLength(html), events: data.meta.events, divergences: data.meta.divergences, violations: data.meta.violations };
}
