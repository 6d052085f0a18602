/**
 * From the user's settings to an AnalyzeRequest. No `vscode` import: settings.ts reads the configuration
 * and hands the plain values here; mocha tests the rules.
 *
 * Settings are checked, not trusted: a bad entry is skipped with a warning that names the setting and the
 * entry, and the analysis still runs with everything that was valid.
 */
import * as path from 'node:path';
import type { AnalyzeRequest, CustomLogFormat, FileTimeSettings } from '../core/model';

/** The `incidentLens.*` settings as plain values (see package.json contributes.configuration). */
export interface HostSettings {
  defaultTimeZone?: unknown;
  /** Keys: absolute paths or paths relative to a workspace folder. */
  fileTimeSettings?: unknown;
  customLogFormats?: unknown;
  stallThresholdMs?: unknown;
  loopStreamGapMs?: unknown;
  loopEpisodeGapMs?: unknown;
}

export const SETTING = {
  defaultTimeZone: 'incidentLens.defaultTimeZone',
  fileTimeSettings: 'incidentLens.fileTimeSettings',
  customLogFormats: 'incidentLens.customLogFormats',
  stallThresholdMs: 'incidentLens.stallThresholdMs',
  loopStreamGapMs: 'incidentLens.loopDetection.streamGapMs',
  loopEpisodeGapMs: 'incidentLens.loopDetection.episodeGapMs',
  openTimelineAfterAnalysis: 'incidentLens.openTimelineAfterAnalysis',
  workerMaxMemoryMb: 'incidentLens.worker.maxMemoryMb',
  annotationsEnabled: 'incidentLens.annotations.enabled',
} as const;

/** "+02:00", "-0530", "Z" or an IANA zone the runtime knows ("Europe/Berlin"). */
export function isValidTimeZone(zone: string): boolean {
  if (/^(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Clock offsets as people type them: "1500", "-250ms", "+2s", "1.5 s", "-3m". Returns ms or undefined. */
export function parseClockOffset(text: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : 60_000;
  const ms = n * factor;
  return Number.isFinite(ms) && Math.abs(ms) <= 7 * 86_400_000 ? ms : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkFileSettings(key: string, v: unknown, warn: (m: string) => void): FileTimeSettings | undefined {
  if (!isRecord(v)) {
    warn(`${SETTING.fileTimeSettings}["${key}"] should be an object like { "timeZone": "UTC", "clockOffsetMs": 0 }; ignored.`);
    return undefined;
  }
  const out: FileTimeSettings = {};
  if (v.timeZone !== undefined) {
    if (typeof v.timeZone === 'string' && isValidTimeZone(v.timeZone)) out.timeZone = v.timeZone;
    else warn(`${SETTING.fileTimeSettings}["${key}"].timeZone ${JSON.stringify(v.timeZone)} is not a time zone (use "Europe/Berlin" or "+02:00"); ignored.`);
  }
  if (v.clockOffsetMs !== undefined) {
    if (typeof v.clockOffsetMs === 'number' && Number.isFinite(v.clockOffsetMs)) out.clockOffsetMs = v.clockOffsetMs;
    else warn(`${SETTING.fileTimeSettings}["${key}"].clockOffsetMs should be a number of milliseconds; ignored.`);
  }
  if (v.year !== undefined) {
    if (typeof v.year === 'number' && Number.isInteger(v.year) && v.year >= 1970 && v.year <= 2200) out.year = v.year;
    else warn(`${SETTING.fileTimeSettings}["${key}"].year should be a year like 2026; ignored.`);
  }
  return out;
}

function checkFormat(i: number, v: unknown, warn: (m: string) => void): CustomLogFormat | undefined {
  const where = `${SETTING.customLogFormats}[${i}]`;
  if (!isRecord(v) || typeof v.name !== 'string' || typeof v.pattern !== 'string') {
    warn(`${where} needs "name" and "pattern" strings; ignored.`);
    return undefined;
  }
  try {
    new RegExp(v.pattern);
  } catch (err) {
    warn(`${where} ("${v.name}"): the pattern is not a valid regular expression: ${(err as Error).message}; ignored.`);
    return undefined;
  }
  if (!v.pattern.includes('(?<time>')) {
    warn(`${where} ("${v.name}"): the pattern has no (?<time>...) group; ignored.`);
    return undefined;
  }
  return { name: v.name, pattern: v.pattern, ...(typeof v.timeFormat === 'string' && v.timeFormat ? { timeFormat: v.timeFormat } : {}) };
}

/**
 * Builds the request for `paths` (absolute). `workspaceRoots` resolves relative keys of fileTimeSettings:
 * a relative key applies to that path under every root.
 */
export function buildAnalyzeRequest(
  paths: readonly string[],
  settings: HostSettings,
  workspaceRoots: readonly string[],
): { request: AnalyzeRequest; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const request: AnalyzeRequest = { paths: [...new Set(paths)] };

  if (typeof settings.defaultTimeZone === 'string' && settings.defaultTimeZone) {
    if (isValidTimeZone(settings.defaultTimeZone)) request.defaultTimeZone = settings.defaultTimeZone;
    else warn(`${SETTING.defaultTimeZone} ${JSON.stringify(settings.defaultTimeZone)} is not a time zone; UTC is used.`);
  }

  if (isRecord(settings.fileTimeSettings)) {
    const fileSettings: Record<string, FileTimeSettings> = {};
    for (const [key, value] of Object.entries(settings.fileTimeSettings)) {
      const checked = checkFileSettings(key, value, warn);
      if (!checked || Object.keys(checked).length === 0) continue;
      const targets = path.isAbsolute(key) ? [key] : workspaceRoots.map((r) => path.join(r, key));
      for (const t of targets) fileSettings[path.resolve(t)] = checked;
    }
    if (Object.keys(fileSettings).length) request.fileSettings = fileSettings;
  }

  if (Array.isArray(settings.customLogFormats)) {
    const formats = settings.customLogFormats.map((f, i) => checkFormat(i, f, warn)).filter((f): f is CustomLogFormat => !!f);
    if (formats.length) request.customLogFormats = formats;
  } else if (settings.customLogFormats !== undefined) warn(`${SETTING.customLogFormats} should be a list; ignored.`);

  const positiveMs = (value: unknown, setting: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    warn(`${setting} should be a positive number of milliseconds; the default is used.`);
    return undefined;
  };
  const stall = positiveMs(settings.stallThresholdMs, SETTING.stallThresholdMs);
  if (stall !== undefined) request.stallThresholdMs = stall;
  const streamGapMs = positiveMs(settings.loopStreamGapMs, SETTING.loopStreamGapMs);
  const episodeGapMs = positiveMs(settings.loopEpisodeGapMs, SETTING.loopEpisodeGapMs);
  if (streamGapMs !== undefined || episodeGapMs !== undefined) {
    request.loopDetection = { ...(streamGapMs !== undefined ? { streamGapMs } : {}), ...(episodeGapMs !== undefined ? { episodeGapMs } : {}) };
  }
  return { request, warnings };
}

/** The key under which a file's time settings are stored: relative to its workspace folder when inside one. */
export function fileSettingsKey(file: string, workspaceRoots: readonly string[]): string {
  for (const root of workspaceRoots) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}
