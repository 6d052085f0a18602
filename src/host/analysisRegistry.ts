/**
 * The analyses the user started in this window, and what became of each. No `vscode` import (tested in mocha).
 *
 * An analysis is identified by the set of files it read: analysing the same files again replaces the old
 * entry (and cancels it if it is still running), so the tree never shows two versions of one question.
 */
import * as path from 'node:path';
import type { Report } from '../core/model';

export type AnalysisStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface AnalysisEntry {
  /** "analysis-1"...: stable for the window's lifetime; tree item ids and commands refer to it. */
  id: string;
  /** Canonical identity of the inputs (see analysisKey). */
  key: string;
  paths: string[];
  status: AnalysisStatus;
  startedAt: number;
  finishedAt?: number;
  report?: Report;
  /** What went wrong, in words for the user, when status is 'failed'. */
  error?: string;
  /** Set while running: stops the job (its worker). */
  cancel?: () => Promise<void>;
  /** Interval selected in the timeline, epoch µs: the tree then shows only what overlaps it. */
  selectionUs?: [number, number];
}

/** Order- and spelling-insensitive identity of a set of inputs: resolved, de-duplicated, sorted. */
export function analysisKey(paths: readonly string[]): string {
  const resolved = [...new Set(paths.map((p) => path.resolve(p)))].sort();
  return resolved.join('\n');
}

/** A short human name for the inputs: "loop.pcapng + 2 logs"-style, built from base names. */
export function analysisLabel(paths: readonly string[]): string {
  const names = [...new Set(paths.map((p) => path.basename(p)))];
  if (names.length === 0) return '(no files)';
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} + ${names[1]}`;
  return `${names[0]} + ${names.length - 1} more`;
}

/** Whether an analysis read `file`: named directly, inside a folder it walked, or listed in its Report's inputs. */
export function analysisReads(entry: AnalysisEntry, file: string): boolean {
  const f = path.resolve(file);
  if (entry.paths.some((p) => f === p || f.startsWith(p.endsWith(path.sep) ? p : p + path.sep))) return true;
  return !!entry.report?.inputs.some((i) => path.resolve(i.path) === f);
}

export type RegistryListener = () => void;

export class AnalysisRegistry {
  private readonly entries = new Map<string, AnalysisEntry>();
  private readonly listeners = new Set<RegistryListener>();
  private counter = 0;
  /** The entry commands like "Show Timeline" act on when none is given: the latest started or selected. */
  private currentId: string | undefined;

  list(): AnalysisEntry[] {
    return [...this.entries.values()].sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id));
  }

  get(id: string): AnalysisEntry | undefined {
    return this.entries.get(id);
  }

  get current(): AnalysisEntry | undefined {
    return this.currentId ? this.entries.get(this.currentId) : undefined;
  }

  /** The newest finished analysis with a Report, preferring the current one. */
  get currentWithReport(): AnalysisEntry | undefined {
    const cur = this.current;
    if (cur?.report) return cur;
    return this.list().find((e) => e.report);
  }

  select(id: string): void {
    if (this.entries.has(id)) this.currentId = id;
  }

  /**
   * Records a new analysis of `paths`. Returns it and the entries it replaced (the same files, and `replaces`
   * when given, e.g. the analysis a file was added to), whose jobs the caller should cancel if still running.
   */
  begin(paths: readonly string[], opts: { now?: number; replaces?: string } = {}): { entry: AnalysisEntry; replaced: AnalysisEntry[] } {
    const key = analysisKey(paths);
    const now = opts.now ?? Date.now();
    const replaced = [...this.entries.values()].filter((e) => e.key === key || e.id === opts.replaces);
    for (const r of replaced) this.entries.delete(r.id);
    const entry: AnalysisEntry = {
      id: `analysis-${++this.counter}`,
      key,
      paths: key.split('\n'),
      status: 'running',
      startedAt: now,
    };
    this.entries.set(entry.id, entry);
    this.currentId = entry.id;
    this.fire();
    return { entry, replaced };
  }

  /** Applies an outcome to a still-registered entry; false when it was replaced or removed meanwhile. */
  finish(id: string, outcome: { report: Report } | { error: string } | { cancelled: true }, now = Date.now()): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    e.finishedAt = now;
    delete e.cancel;
    if ('report' in outcome) {
      e.status = 'done';
      e.report = outcome.report;
    } else if ('error' in outcome) {
      e.status = 'failed';
      e.error = outcome.error;
    } else e.status = 'cancelled';
    this.fire();
    return true;
  }

  /** The timeline's selection for an analysis (undefined clears it). */
  setSelection(id: string, selectionUs: [number, number] | undefined): void {
    const e = this.entries.get(id);
    if (!e) return;
    if (selectionUs) e.selectionUs = selectionUs;
    else delete e.selectionUs;
    this.fire();
  }

  remove(id: string): AnalysisEntry | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    this.entries.delete(id);
    if (this.currentId === id) this.currentId = this.list()[0]?.id;
    this.fire();
    return e;
  }

  running(): AnalysisEntry[] {
    return this.list().filter((e) => e.status === 'running');
  }

  onDidChange(listener: RegistryListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
