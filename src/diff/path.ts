/**
 * Where a change is in the canonical state (reference: Determinism and the state): a list of segments, rendered as
 * `tasks[42].pgid` or `cgroups[cs:/a].cpus`. Entity keys come from users (cgroup paths, image
 * names), so they are rendered verbatim inside brackets, never used as object keys.
 */
export type Segment = { field: string } | { key: string } | { index: number };
export type Path = readonly Segment[];

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders a path. A cgroup nested in its hierarchy (`hierarchies[cs].cgroups[/a]`) is shown as
 * `cgroups[cs:/a]`, the `hierarchy:path` form outcomes use for cgroups (reference: Outcomes `released`).
 */
export function renderPath(path: Path): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as Segment;
    const next = path[i + 1];
    const after = path[i + 2];
    if ('field' in seg && seg.field === 'hierarchies' && next && 'key' in next && after && 'field' in after && after.field === 'cgroups') {
      const cg = path[i + 3];
      if (cg && 'key' in cg) {
        out += `${out ? '.' : ''}cgroups[${next.key}:${cg.key}]`;
        i += 3;
        continue;
      }
    }
    if ('field' in seg) out += IDENT.test(seg.field) ? `${out ? '.' : ''}${seg.field}` : `[${JSON.stringify(seg.field)}]`;
    else if ('key' in seg) out += `[${seg.key}]`;
    else out += `[${seg.index}]`;
  }
  return out;
}

/** The field names along a path, outermost first (what area classification looks at). */
export const fieldNames = (path: Path): string[] => path.flatMap((s) => ('field' in s ? [s.field] : []));
