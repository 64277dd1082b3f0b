import type { CgroupWorld, CssSet } from './types.js';
import { hierarchyOfSlot, ROOT, sortedHierarchies } from './world.js';

/**
 * css_sets (2.6.33 kernel/cgroup.c): a task references one css_set, shared by every task with the
 * same memberships, found through a table keyed by a hash of the content (SPEC 7.5).
 */

/** The css of every registered subsystem for these memberships: `hierarchy:path` (`:/` = dummy top). */
export function cssFor(w: CgroupWorld, cgroups: ReadonlyMap<string, string>): Map<number, string> {
  const css = new Map<number, string>();
  for (const slot of w.slots) {
    if (slot === null) continue;
    const h = hierarchyOfSlot(w, slot);
    css.set(slot.id, `${h.name}:${h === w.dummy ? ROOT : (cgroups.get(h.name) ?? ROOT)}`);
  }
  return css;
}

/**
 * The JSON text of the names and paths keys are made of: every key repeats them, and css_sets are
 * freed and made again all the time (a task moving out of a css_set of its own). Bounded, since
 * cgroups come and go.
 */
const jsonTexts = new Map<string, string>();
const JSON_TEXTS_MAX = 1 << 16;

function jsonText(s: string): string {
  let text = jsonTexts.get(s);
  if (text === undefined) {
    if (jsonTexts.size >= JSON_TEXTS_MAX) jsonTexts.clear();
    jsonTexts.set(s, (text = JSON.stringify(s)));
  }
  return text;
}

/**
 * `css_set_hash` + the cgroup links `compare_css_sets` checks: an injective text of the content,
 * so equal keys mean equal content. The text is `JSON.stringify([css, cgroups])` of both as
 * entry lists, css by slot id and cgroups by hierarchy name, written out piece by piece.
 */
export function cssSetHash(cgroups: ReadonlyMap<string, string>, css: ReadonlyMap<number, string>): string {
  const ids = [...css.keys()].sort((a, b) => a - b);
  const names = [...cgroups.keys()].sort();
  let text = '[[';
  ids.forEach((id, i) => {
    text += `${i === 0 ? '' : ','}[${JSON.stringify(id)},${jsonText(css.get(id) as string)}]`;
  });
  text += '],[';
  names.forEach((name, i) => {
    text += `${i === 0 ? '' : ','}[${jsonText(name)},${jsonText(cgroups.get(name) as string)}]`;
  });
  return `${text}]]`;
}

/**
 * The JSON text of a css name `hierarchy:path`, by hierarchy and path: JSON escapes each character
 * on its own, so it is the two names' texts joined by `:`, built once per pair. Bounded like `jsonTexts`.
 */
const cssTexts = new Map<string, Map<string, string>>();
let cssTextCount = 0;

function cssText(hierarchy: string, path: string): string {
  let byPath = cssTexts.get(hierarchy);
  if (byPath === undefined) cssTexts.set(hierarchy, (byPath = new Map()));
  let text = byPath.get(path);
  if (text === undefined) {
    if (cssTextCount >= JSON_TEXTS_MAX) {
      cssTexts.clear();
      cssTextCount = 0;
      cssTexts.set(hierarchy, (byPath = new Map()));
    }
    byPath.set(path, (text = jsonText(`${hierarchy}:${path}`)));
    cssTextCount++;
  }
  return text;
}

/**
 * `cssSetHash(cgroups, cssFor(w, cgroups))` with `hierarchy`'s cgroup replaced by `path` when
 * given, written straight from the subsystem slots and the sorted hierarchies, without building
 * the css map, sorting or copying (the key of every `find_css_set`). Memberships that are not
 * exactly the mounted hierarchies take the general path.
 */
function cssSetKey(w: CgroupWorld, cgroups: ReadonlyMap<string, string>, hierarchy?: string, path?: string): string {
  const mounted = sortedHierarchies(w);
  if (mounted.length !== cgroups.size || (hierarchy !== undefined && !cgroups.has(hierarchy))) {
    return generalKey(w, cgroups, hierarchy, path);
  }
  let text = '[[';
  let first = true;
  for (const slot of w.slots) {
    if (slot === null) continue;
    const h = hierarchyOfSlot(w, slot);
    text += `${first ? '' : ','}[${slot.id},${cssText(h.name, h === w.dummy ? ROOT : (pathIn(cgroups, h.name, hierarchy, path) ?? ROOT))}]`;
    first = false;
  }
  text += '],[';
  first = true;
  for (const h of mounted) {
    const p = pathIn(cgroups, h.name, hierarchy, path);
    if (p === undefined || !cgroups.has(h.name)) return generalKey(w, cgroups, hierarchy, path);
    text += `${first ? '' : ','}[${jsonText(h.name)},${jsonText(p)}]`;
    first = false;
  }
  return `${text}]]`;
}

/** The cgroup of hierarchy `name` in `cgroups` with `hierarchy`'s replaced by `path`. */
function pathIn(cgroups: ReadonlyMap<string, string>, name: string, hierarchy?: string, path?: string): string | undefined {
  return name === hierarchy ? path : cgroups.get(name);
}

function generalKey(w: CgroupWorld, cgroups: ReadonlyMap<string, string>, hierarchy?: string, path?: string): string {
  const content = hierarchy === undefined ? cgroups : new Map(cgroups).set(hierarchy, path as string);
  return cssSetHash(content, cssFor(w, content));
}

/**
 * `find_css_set`: the css_set with exactly these memberships, created (refcount 0, hashed) when
 * none exists. Callers take their reference with `getCssSet`.
 */
export function findCssSet(w: CgroupWorld, cgroups: ReadonlyMap<string, string>): CssSet {
  const key = cssSetKey(w, cgroups);
  const found = w.cssSetTable.get(key);
  if (found !== undefined) return w.cssSets.get(found) as CssSet;
  return createCssSet(w, key, new Map(cgroups), cssFor(w, cgroups));
}

/**
 * 2.6.33 `find_css_set(oldcg, cgrp)`: the css_set of a task of `old` that moves to `path` of
 * hierarchy `h` (the template is `old` with that one cgroup replaced), created when none exists.
 */
export function findCssSetAfterMove(w: CgroupWorld, old: CssSet, h: string, path: string): CssSet {
  const key = cssSetKey(w, old.cgroups, h, path);
  const found = w.cssSetTable.get(key);
  if (found !== undefined) return w.cssSets.get(found) as CssSet;
  const cgroups = new Map(old.cgroups).set(h, path);
  return createCssSet(w, key, cgroups, cssFor(w, cgroups));
}

/** A new css_set for this content, refcount 0, hashed. */
function createCssSet(w: CgroupWorld, key: string, cgroups: Map<string, string>, css: Map<number, string>): CssSet {
  const cs: CssSet = { id: w.nextCssSetId++, key, refcount: 0, cgroups, css, tasks: new Set() };
  w.cssSets.set(cs.id, cs);
  w.cssSetTable.set(key, cs.id);
  return cs;
}

export function getCssSet(cs: CssSet): void {
  cs.refcount++;
}

/** `put_css_set`: drops a reference; an unreferenced css_set is unhashed and freed, except init_css_set. */
export function putCssSet(w: CgroupWorld, cs: CssSet): void {
  cs.refcount--;
  if (cs.refcount > 0 || cs.id === w.initCssSet) return;
  w.cssSets.delete(cs.id);
  w.cssSetTable.delete(cs.key);
}

/**
 * Applies `change` to every css_set's memberships, recomputes every css and rehashes the table,
 * as `cgroup_load_subsys` / `cgroup_unload_subsys` / `rebind_subsystems` do ("modifying the
 * existing css_sets will corrupt the hash table state, so each changed css_set will need its hash
 * recomputed", seed 003).
 */
export function rehashCssSets(w: CgroupWorld, change: (cgroups: Map<string, string>) => void = () => {}): void {
  w.cssSetTable.clear();
  for (const id of [...w.cssSets.keys()].sort((a, b) => a - b)) {
    const cs = w.cssSets.get(id) as CssSet;
    change(cs.cgroups);
    cs.css = cssFor(w, cs.cgroups);
    cs.key = cssSetKey(w, cs.cgroups);
    w.cssSetTable.set(cs.key, cs.id);
  }
}
