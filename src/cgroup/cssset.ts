import type { CgroupWorld, CssSet, Hierarchy, SubsysSlot } from './types.js';
import { hierarchyOfSlot, LastWeakMap, registeredSlots, ROOT, sortedHierarchies } from './world.js';

/**
 * css_sets (2.6.33 kernel/cgroup.c): a task references one css_set, shared by every task with the
 * same memberships, found through a table keyed by a hash of the content (reference: mount).
 */

/** The css of every registered subsystem for these memberships: `hierarchy:path` (`:/` = dummy top). */
export function cssFor(w: CgroupWorld, cgroups: ReadonlyMap<string, string>): Map<number, string> {
  const css = new Map<number, string>();
  for (const slot of w.slots) {
    if (slot === null) continue;
    const h = hierarchyOfSlot(w, slot);
    css.set(slot.id, linkText(h.name, h === w.dummy ? ROOT : (cgroups.get(h.name) ?? ROOT)).css);
  }
  return css;
}

/**
 * The JSON text of the names and paths keys are made of: every key repeats them, and css_sets are
 * freed and made again all the time (a task moving out of a css_set of its own). Cleared when
 * full, since cgroups come and go: 8,192 texts are far more than the cgroups alive at once, and
 * keep the cache's share of the heap under a few MiB however long the trace.
 */
const jsonTexts = new Map<string, string>();
const JSON_TEXTS_MAX = 1 << 13;

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
 * The texts a css_set linking cgroup `path` of `hierarchy` is made of: the css name
 * `hierarchy:path`, its JSON text, and the cgroups entry `["hierarchy","path"]` of the key.
 * css_sets are made again and again with the same links, so each pair's texts are built once.
 */
interface LinkTexts {
  css: string;
  cssJson: string;
  cgroupJson: string;
}

/** `LinkTexts` by hierarchy and path. Bounded like `jsonTexts`. */
const linkTexts = new Map<string, Map<string, LinkTexts>>();
let linkTextCount = 0;

function linkText(hierarchy: string, path: string): LinkTexts {
  let byPath = linkTexts.get(hierarchy);
  if (byPath === undefined) linkTexts.set(hierarchy, (byPath = new Map()));
  let texts = byPath.get(path);
  if (texts === undefined) {
    if (linkTextCount >= JSON_TEXTS_MAX) {
      linkTexts.clear();
      linkTextCount = 0;
      linkTexts.set(hierarchy, (byPath = new Map()));
    }
    const css = `${hierarchy}:${path}`;
    texts = { css, cssJson: jsonText(css), cgroupJson: `[${jsonText(hierarchy)},${jsonText(path)}]` };
    byPath.set(path, texts);
    linkTextCount++;
  }
  return texts;
}

/**
 * Where each registered subsystem's css lives, for the world's current slots and hierarchies: the
 * sorted mounted hierarchies (`sortedHierarchies`, whose identity changes with them) and, per
 * registered slot in id order, the index of its hierarchy among them (-1: the dummy root). Every
 * key and css map is written from it; it is rebuilt only when a slot or hierarchy changed.
 */
interface KeyLayout {
  mounted: readonly Hierarchy[];
  /** The dummy root's name. */
  dummy: string;
  slots: readonly SubsysSlot[];
  /** `slot.hierarchy` of each of `slots` when the layout was made. */
  bound: readonly (string | null)[];
  at: readonly number[];
  /**
   * The key as text pieces joined once (one flat string, none of the intermediate ones a chain of
   * concatenations makes): the fixed text, with a hole for each link's text. Only the holes
   * are written per key.
   */
  parts: string[];
  /** Per slot: the hole of its css text in `parts`; -1 for the dummy root's, which is fixed. */
  cssHole: readonly number[];
  /** Per mounted hierarchy: the hole of its cgroups entry in `parts`. */
  cgroupHole: readonly number[];
}

const layouts = new LastWeakMap<CgroupWorld, KeyLayout>();

function sameSlots(w: CgroupWorld, layout: KeyLayout): boolean {
  let i = 0;
  for (const slot of w.slots) {
    if (slot === null) continue;
    if (layout.slots[i] !== slot || layout.bound[i] !== slot.hierarchy) return false;
    i++;
  }
  return i === layout.slots.length;
}

function keyLayout(w: CgroupWorld): KeyLayout {
  const mounted = sortedHierarchies(w);
  const cached = layouts.get(w);
  if (cached !== undefined && cached.mounted === mounted && sameSlots(w, cached)) return cached;
  const slots = registeredSlots(w);
  const at = slots.map((slot) => {
    const h = hierarchyOfSlot(w, slot);
    const i = mounted.indexOf(h);
    if (i < 0 && h !== w.dummy) throw new Error(`internal: subsystem ${slot.name} is bound to no mounted hierarchy`);
    return i;
  });
  const parts: string[] = [];
  const hole = (before: string): number => parts.push(before, '') - 1;
  let text = '[[';
  const cssHole = slots.map((slot, i) => {
    text += `${i === 0 ? '[' : ',['}${slot.id},`;
    if ((at[i] as number) < 0) {
      text += `${linkText(w.dummy.name, ROOT).cssJson}]`;
      return -1;
    }
    const j = hole(text);
    text = ']';
    return j;
  });
  text += '],[';
  const cgroupHole = mounted.map((_h, i) => {
    const j = hole(i === 0 ? text : ',');
    text = '';
    return j;
  });
  parts.push(`${text}]]`);
  const layout: KeyLayout = { mounted, dummy: w.dummy.name, slots, bound: slots.map((slot) => slot.hierarchy), at, parts, cssHole, cgroupHole };
  layouts.set(w, layout);
  return layout;
}

/**
 * The texts of every mounted hierarchy's cgroup in `cgroups` with `hierarchy`'s replaced by
 * `path`, in `layout.mounted` order; null when the memberships are not exactly the mounted
 * hierarchies (the general path).
 */
function linksOf(layout: KeyLayout, cgroups: ReadonlyMap<string, string>, hierarchy?: string, path?: string): LinkTexts[] | null {
  if (layout.mounted.length !== cgroups.size || (hierarchy !== undefined && !cgroups.has(hierarchy))) return null;
  const links: LinkTexts[] = [];
  for (const h of layout.mounted) {
    const p = h.name === hierarchy ? path : cgroups.get(h.name);
    if (p === undefined) return null;
    links.push(linkText(h.name, p));
  }
  return links;
}

/**
 * `cssSetHash(cgroups, cssFor(w, cgroups))` for the memberships `links` describes, written
 * straight from the layout (the key of every `find_css_set`): no css map, no sorting, no lookups.
 */
function keyOf(layout: KeyLayout, links: readonly LinkTexts[]): string {
  const { parts, cssHole, cgroupHole, at } = layout;
  for (let i = 0; i < cssHole.length; i++) {
    const j = cssHole[i] as number;
    if (j >= 0) parts[j] = (links[at[i] as number] as LinkTexts).cssJson;
  }
  for (let i = 0; i < cgroupHole.length; i++) parts[cgroupHole[i] as number] = (links[i] as LinkTexts).cgroupJson;
  return parts.join('');
}

/** `cssFor` for the memberships `links` describes. */
function cssOf(layout: KeyLayout, links: readonly LinkTexts[]): Map<number, string> {
  const css = new Map<number, string>();
  layout.slots.forEach((slot, i) => {
    const at = layout.at[i] as number;
    css.set(slot.id, (at < 0 ? linkText(layout.dummy, ROOT) : (links[at] as LinkTexts)).css);
  });
  return css;
}

/** The key of memberships `cgroups`, with `hierarchy`'s cgroup replaced by `path` when given. */
function cssSetKey(w: CgroupWorld, cgroups: ReadonlyMap<string, string>, hierarchy?: string, path?: string): string {
  const layout = keyLayout(w);
  const links = linksOf(layout, cgroups, hierarchy, path);
  return links === null ? generalKey(w, cgroups, hierarchy, path) : keyOf(layout, links);
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
  const layout = keyLayout(w);
  const links = linksOf(layout, old.cgroups, h, path);
  const key = links === null ? generalKey(w, old.cgroups, h, path) : keyOf(layout, links);
  const found = w.cssSetTable.get(key);
  if (found !== undefined) return w.cssSets.get(found) as CssSet;
  // Copied entry by entry: the Map constructor would walk an iterator of entry arrays.
  const cgroups = new Map<string, string>();
  for (const [name, p] of old.cgroups) cgroups.set(name, p);
  cgroups.set(h, path);
  return createCssSet(w, key, cgroups, links === null ? cssFor(w, cgroups) : cssOf(layout, links));
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
