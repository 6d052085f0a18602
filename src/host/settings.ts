/**
 * Reads `incidentLens.*` settings and writes per-file time settings. The rules live in requestSettings.ts
 * (no vscode import); this file only talks to the configuration API.
 *
 * Workspace trust: `incidentLens.customLogFormats` is a restricted configuration (package.json
 * capabilities), so in an untrusted workspace VS Code hands us only the user's own value, never the
 * workspace's regexes.
 */
import * as vscode from 'vscode';
import type { AnalyzeRequest, FileTimeSettings } from '../core/model';
import { buildAnalyzeRequest, fileSettingsKey, SETTING, type HostSettings } from './requestSettings';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration();
}

export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export function readHostSettings(): HostSettings {
  const c = section();
  return {
    defaultTimeZone: c.get(SETTING.defaultTimeZone),
    fileTimeSettings: c.get(SETTING.fileTimeSettings),
    // Belt and braces over the restricted-configuration mechanism: untrusted -> the user's own formats only.
    customLogFormats: vscode.workspace.isTrusted ? c.get(SETTING.customLogFormats) : c.inspect(SETTING.customLogFormats)?.globalValue,
    // Thresholds go to the core only when the user set them, so the core's own defaults stay the defaults.
    stallThresholdMs: userValue(c, SETTING.stallThresholdMs),
    loopStreamGapMs: userValue(c, SETTING.loopStreamGapMs),
    loopEpisodeGapMs: userValue(c, SETTING.loopEpisodeGapMs),
  };
}

/** A setting's value when set anywhere (user, workspace, folder), or undefined when only the default applies. */
function userValue(c: vscode.WorkspaceConfiguration, key: string): unknown {
  const i = c.inspect(key);
  return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
}

/** Whether the workspace brings custom log formats that are being ignored because it is not trusted. */
export function ignoredWorkspaceFormats(): boolean {
  if (vscode.workspace.isTrusted) return false;
  const i = section().inspect<unknown[]>(SETTING.customLogFormats);
  const has = (v: unknown) => Array.isArray(v) && v.length > 0;
  return has(i?.workspaceValue) || has(i?.workspaceFolderValue);
}

export function requestFor(paths: readonly string[]): { request: AnalyzeRequest; warnings: string[] } {
  return buildAnalyzeRequest(paths, readHostSettings(), workspaceRoots());
}

export function openTimelineAfterAnalysis(): boolean {
  return section().get<boolean>(SETTING.openTimelineAfterAnalysis, true);
}

export function annotationsEnabled(): boolean {
  return section().get<boolean>(SETTING.annotationsEnabled, true);
}

export function workerMaxMemoryMb(): number {
  const v = section().get<number>(SETTING.workerMaxMemoryMb, 4096);
  return Number.isFinite(v) && v >= 256 ? v : 4096;
}

/**
 * Merges `patch` into the file's entry of `incidentLens.fileTimeSettings`, in the workspace settings when
 * the file is inside a workspace folder (so the team shares it), else in the user settings.
 */
export async function updateFileTimeSettings(file: string, patch: FileTimeSettings): Promise<string> {
  const roots = workspaceRoots();
  const key = fileSettingsKey(file, roots);
  const inWorkspace = key !== file;
  const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = section().inspect<Record<string, FileTimeSettings>>(SETTING.fileTimeSettings);
  const current = { ...((inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {}) };
  current[key] = { ...(current[key] ?? {}), ...patch };
  await section().update(SETTING.fileTimeSettings, current, target);
  return key;
}

export function fileTimeSettingsOf(file: string): FileTimeSettings | undefined {
  const { request } = requestFor([file]);
  return request.fileSettings?.[file];
}
