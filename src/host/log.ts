/** The "Incident Lens" output channel: what was done, with timings. Errors shown to the user offer "Show Log". */
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function outputChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Incident Lens', { log: true });
  return channel;
}

export function log(line: string): void {
  outputChannel().info(line);
}

export function logError(line: string): void {
  outputChannel().error(line);
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

export const SHOW_LOG = 'Show Log';

/** An error message with a "Show Log" action that opens the channel. */
export async function showErrorWithLog(message: string): Promise<void> {
  const pick = await vscode.window.showErrorMessage(message, SHOW_LOG);
  if (pick === SHOW_LOG) outputChannel().show(true);
}
