/**
 * The timeline's rows, top to bottom: axis, loop episodes, the response density strip, TCP stalls, CPU
 * throttling, then one block per source group (a header row, and one lane per source unless folded).
 * Pure: computed from the columns and the folded groups, unit-tested.
 */
import type { EventColumns } from './columns';

export type RowKind = 'axis' | 'loops' | 'responses' | 'stalls' | 'throttle' | 'group' | 'lane';

export interface Row {
  kind: RowKind;
  y: number;
  height: number;
  label: string;
  /** Lanes whose events this row draws (a folded group draws all of its lanes in its header row). */
  lanes: number[];
  /** For group and lane rows: the group index. */
  group: number;
  collapsed?: boolean;
}

export const ROW_HEIGHT: Record<RowKind, number> = {
  axis: 22,
  loops: 20,
  responses: 30,
  stalls: 16,
  throttle: 30,
  group: 20,
  lane: 18,
};

export interface LayoutInput {
  events: EventColumns;
  hasLoops: boolean;
  hasStalls: boolean;
}

export function layoutRows({ events, hasLoops, hasStalls }: LayoutInput, collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  let y = 0;
  const add = (kind: RowKind, label: string, lanes: number[] = [], group = -1, isCollapsed?: boolean): void => {
    const row: Row = { kind, y, height: ROW_HEIGHT[kind], label, lanes, group };
    if (isCollapsed !== undefined) row.collapsed = isCollapsed;
    rows.push(row);
    y += row.height;
  };
  add('axis', 'Time (UTC)');
  if (hasLoops) add('loops', 'Loop episodes');
  if (events.responseTimeUs.length) add('responses', 'Timeouts, failures & slow responses');
  if (hasStalls) add('stalls', 'TCP stalls');
  if (events.throttleTimeUs.length) add('throttle', 'CPU throttling');
  events.groups.forEach((g, gi) => {
    const folded = collapsed.has(g.key);
    add('group', g.label, folded ? g.lanes.slice() : [], gi, folded);
    if (!folded) for (const l of g.lanes) add('lane', events.lanes[l]!.label, [l], gi);
  });
  return rows;
}

/** The row at a y coordinate, or undefined below the last row. */
export function rowAt(rows: readonly Row[], y: number): Row | undefined {
  for (const r of rows) if (y >= r.y && y < r.y + r.height) return r;
  return undefined;
}

/** The row that draws a lane (its own row, or its folded group's header). */
export function rowOfLane(rows: readonly Row[], lane: number): Row | undefined {
  return rows.find((r) => (r.kind === 'lane' || r.kind === 'group') && r.lanes.includes(lane));
}

export function totalHeight(rows: readonly Row[]): number {
  const last = rows[rows.length - 1];
  return last ? last.y + last.height : 0;
}
