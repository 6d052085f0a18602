/** The "Results" tree view: renders resultsTreeModel nodes as TreeItems. No logic of its own. */
import * as vscode from 'vscode';
import type { AnalysisRegistry } from './analysisRegistry';
import { rootNodes, type ResultNode } from './resultsTreeModel';

export const RESULTS_VIEW_ID = 'incidentLens.results';
export const OPEN_RESULT_COMMAND = 'incidentLens.openResult';

export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };
  /** Children are computed once per node object; the registry's change event rebuilds the roots. */
  private readonly childCache = new WeakMap<ResultNode, ResultNode[]>();

  constructor(private readonly registry: AnalysisRegistry) {
    this.sub = registry.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    const state = node.children
      ? node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    if (node.tooltip !== undefined) item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    item.contextValue = node.contextValue;
    if (node.action) item.command = { command: OPEN_RESULT_COMMAND, title: 'Open', arguments: [node] };
    return item;
  }

  getChildren(node?: ResultNode): ResultNode[] {
    if (!node) return rootNodes(this.registry.list());
    if (!node.children) return [];
    let kids = this.childCache.get(node);
    if (!kids) this.childCache.set(node, (kids = node.children()));
    return kids;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
