import type { ReasonTable } from '../reducer/reason-def.js';

/** Why a cluster op failed (docs/reference.md, "Reason codes"), seed 002's single system image. */
export const CLUSTER_REASONS = {
  'node-not-up': { outcome: 'EINVAL', args: ['node'], text: (n) => `node ${n} is unknown or down` },
  'no-cluster': { outcome: 'ENOSYS', args: [], text: () => 'this semantic version has no cluster (seed 002 is not part of it)' },
  'node-unknown': { outcome: 'EINVAL', args: ['node', 'nodes'], text: (n, k) => `node ${n} does not exist (the cluster has ${k} nodes, numbered from 0)` },
  'node-zero': { outcome: 'EINVAL', args: [], text: () => 'node 0 hosts global init and cannot go down' },
  'node-already': { outcome: 'EINVAL', args: ['node', 'state'], text: (n, st) => `node ${n} is already ${st}` },
  'migrate-zombie': { outcome: 'ESRCH', args: ['pid'], text: (p) => `pid ${p} is a zombie` },
  'migrate-init': { outcome: 'EPERM', args: [], text: () => 'global init stays on node 0' },
} satisfies ReasonTable;
