/**
 * kreplay's library API: everything the CLI does is callable from here. Replay traces, load and
 * validate them, check invariants, compute canonical states and their hashes, diff states and
 * find first divergences, seek in a timeline, run fuzz campaigns, and read the semantic versions.
 */
export { BadInputError } from './errors.js';

export { replayEvents, replayFile } from './replay/replay.js';
export type { Divergence, FileReplayResult, IndexedViolation, OutcomeCounts, ReplayOptions, ReplayResult } from './replay/replay.js';
export { bootKernel, step } from './replay/kernel.js';
export type { Kernel } from './replay/kernel.js';
export { jsonEqual, matchesExpect } from './replay/expect.js';

export { isNdjsonPath, isTracePath, loadTrace, openTrace, parseJson, parseTrace, resolveHeader } from './trace/load.js';
export type { Trace } from './trace/load.js';
export { TraceWriter, withExpect } from './trace/write.js';
export { AtomicOutput, checkOutputTarget, writeOutputAtomically } from './trace/atomic-write.js';
export type { OutputCheck } from './trace/atomic-write.js';
export { DEFAULT_LIMITS, withStdin } from './trace/input.js';
export type { InputLimits } from './trace/input.js';
export type { OpenOptions } from './trace/load.js';
export { validators } from './trace/schemas.js';
export type * from './trace/schema-types.js';

export { INVARIANTS } from './invariants/index.js';
export type { Invariant, Violation } from './invariants/index.js';

export { canonicalState, canonicalStateText, hashText, stateHash } from './state/canonical.js';
export { canonicalJson, jsonObject } from './state/json.js';
export type { Json } from './state/json.js';
export type { KernelState } from './state/types.js';

export { applyEvent } from './reducer/apply.js';
export { outcomeKind } from './reducer/outcome.js';
export type { Errno, Outcome, RetValue, WaitReport, WaitStatus } from './reducer/outcome.js';

export { DEFAULT_SEMANTICS, getVersion, isSemanticsName, VERSIONS } from './semantics/versions.js';
export type { SemanticVersion } from './semantics/versions.js';
export { resolveConfig } from './semantics/config.js';
export type { Config } from './semantics/config.js';

export { diffKernels, diffStates } from './diff/state-diff.js';
export type { Change, StateDiff } from './diff/state-diff.js';
export { firstDivergence } from './diff/first-divergence.js';
export type { FirstDivergence, FirstDivergenceOptions, OutcomeDivergence, Side, StateDivergence } from './diff/first-divergence.js';
export { formatDiff } from './diff/format.js';
export { openDiffInput } from './diff/inputs.js';
export type { DiffInput } from './diff/inputs.js';
export { parseStateFile } from './diff/state-file.js';
export { Timeline } from './replay/timeline.js';
export { showState } from './show/load.js';
export type { ShowOptions, Shown } from './show/load.js';
export { stateView } from './show/view.js';
export type { StateView, ProcessView, HierarchyView, CgroupView, VpsView, NodeView, EventView } from './show/view.js';
export { gatherReport, reportHtml, writeReport } from './report/report.js';
export type { ReportData, ReportOptions, ReportSummary } from './report/report.js';
export type { TimelineOptions } from './replay/timeline.js';

export { DEFAULT_SEED, runCampaign } from './fuzz/campaign.js';
export type { CampaignOptions, CampaignResult, Counterexample } from './fuzz/campaign.js';
export { recheckTrace, writeCounterexample } from './fuzz/counterexample.js';

export { main } from './cli/main.js';
export { KREPLAY_VERSION } from './cli/version.js';
