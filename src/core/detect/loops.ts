/**
 * Routing-loop detection over one capture, packet by packet (after Hengartner et al., "Detection and analysis
 * of routing loops in packet traces", IMW 2002): the same IP packet seen again with a lower TTL is a replica;
 * the replicas of one packet form a replica stream; a stream that crossed the same link in the same direction
 * with its TTL lower by >= 2 is a loop; overlapping loop streams become one loop episode.
 *
 * Memory is fixed by the options, not by the capture: recent packets live in a fixed-size table
 * (ReplicaTable), an open stream holds at most 255 sightings (TTL strictly decreases) and is closed once
 * `streamGapMs` passes without a new sighting; episodes keep bounded samples.
 */
import type { DecodedPacket } from '../decode/types';
import type { LoopEpisode } from '../model/loops';
import { MAX_DIRECTIONS } from './directions';
import { EpisodeBuilder } from './episodes';
import { Fact, FrameFacts, INNER, OUTER, type FactLayer } from './frameFacts';
import { judgeStream, ReplicaStreamDraft } from './replicaStream';
import { NO_SLOT, NO_STREAM, ReplicaTable } from './replicaTable';
import { grown } from './typedArrays';
import { SightingFront, type FramePlace, type FrontState } from './sightingFront';

export interface LoopDetectorOptions {
  /** Longest pause between two sightings of one looped packet, ms (default 1000). */
  streamGapMs?: number;
  /**
   * Streams further apart than this are separate episodes even when they share routers, ms (default 500: the
   * lab's own measure of loops uses the same, see lab/capture-loops.ts).
   */
  episodeGapMs?: number;
  /** The recent-packet table holds 2^n packets (default 18 = 262,144: a 1 MB index and a 16 MB ring; from 4 to 22). */
  tableSlotsLog2?: number;
  /** Sightings listed per episode in its ladder (default 200,000). */
  maxLadderSightings?: number;
  /** Streams listed per episode (default 1,000, the longest). */
  maxStreamsPerEpisode?: number;
}

/** What one packet was, as far as loops go (impact analysis ignores replicas and copies). */
export const SightingKind = {
  /** Not an IP packet the detector can identify (or multicast/broadcast). */
  Ignored: 0,
  /** First time this packet is seen (or a new instance after a pause or a higher TTL). */
  First: 1,
  /** Seen before with a higher TTL: the packet came round again. */
  Replica: 2,
  /** Seen just before (within DUPLICATE_WINDOW_US) with the same TTL: a copy made by the capture setup. */
  Duplicate: 3,
} as const;
export type SightingKind = (typeof SightingKind)[keyof typeof SightingKind];

const SWEEP_EVERY_PACKETS = 4096;
/**
 * Same TTL within this long is a copy made by the capture (two taps, a bridge and its port); later, an identical
 * resend (some stacks reuse the IP ID), which impact analysis must count as a retransmission.
 */
const DUPLICATE_WINDOW_US = 1000;
/** A sighting this close behind a lower-TTL one may be reordered by merging interfaces (see addLate). */
const REORDER_WINDOW_US = 10_000;

/**
 * The loop detector's back half: from each frame's record (frameFacts.ts, written by SightingFront), what the
 * sighting is, in the table of recent packets and the open replica streams; closed streams that are loops become
 * episodes. It reads no frame bytes, so it can run in another thread than the decoder (analyze/secondStage.ts).
 */
export class LoopTracker {
  private readonly gapUs: number;
  private readonly table: ReplicaTable;
  private readonly builder: EpisodeBuilder;
  private readonly open = new Map<number, { draft: ReplicaStreamDraft; slot: number }>();
  private nextStreamId = 0;
  /**
   * The open streams again, for the sweep, in typed arrays: ids and table slots in the order the streams opened
   * (the Map's order; entries of streams closed since the last sweep are dropped there), and per table slot the
   * time of its stream's last sighting. In a loop storm tens of thousands of streams
   * are open at once, and walking the Map's entries and drafts every SWEEP_EVERY_PACKETS packets took most of the
   * analysis (6.5 of 10 s for 100,000 packets looping 30 times each).
   */
  private sweepIds = new Int32Array(1024);
  private sweepSlots = new Int32Array(1024);
  private sweepCount = 0;
  private readonly lastUsOfSlot: Float64Array;
  /** Direction ids without MAC addresses, as the records tell them (what judgeStream asks). */
  private readonly unknownDirs = new Uint8Array(MAX_DIRECTIONS);
  private readonly directions = { isUnknown: (id: number): boolean => this.unknownDirs[id] === 1 };
  private packets = 0;
  private nowUs = 0;

  constructor(private readonly capture: string, opts: LoopDetectorOptions = {}) {
    this.gapUs = (opts.streamGapMs ?? 1000) * 1000;
    this.table = new ReplicaTable(opts.tableSlotsLog2 ?? 18);
    this.lastUsOfSlot = new Float64Array(this.table.slotCount);
    this.builder = new EpisodeBuilder((opts.episodeGapMs ?? 500) * 1000, {
      maxLadderSightings: opts.maxLadderSightings ?? 200_000,
      maxStreams: opts.maxStreamsPerEpisode ?? 1000,
    });
  }

  /** The frame in `facts` at `slot`: what it was. */
  observe(facts: FrameFacts, slot: number): SightingKind {
    const timeUs = facts.timeUs(slot);
    this.nowUs = timeUs;
    if (++this.packets % SWEEP_EVERY_PACKETS === 0) this.sweep();
    const flags = facts.flags(slot);
    if ((flags & Fact.Layer) === 0 || (flags & Fact.Group) !== 0) return SightingKind.Ignored;
    const frame = facts.frame(slot);
    let kind = (flags & Fact.Keyed) !== 0 ? this.sightLayer(facts, slot, INNER, timeUs, frame) : SightingKind.Ignored;
    if ((flags & (Fact.Keyed << 8)) !== 0 && this.sightLayer(facts, slot, OUTER, timeUs, frame) === SightingKind.Replica) kind = SightingKind.Replica;
    return kind;
  }

  /** Closes every open stream and returns the episodes (ids empty: the caller numbers them across captures). */
  finish(front: FrontState): LoopEpisode[] {
    for (const [id] of this.open) this.close(id);
    return this.builder.finish({
      capture: this.capture,
      directions: { info: front.directions },
      timeExceeded: front.timeExceeded,
      routerAddressesByMac: front.routerAddressesByMac,
      gapUs: this.gapUs,
    });
  }

  private sightLayer(facts: FrameFacts, slot: number, layer: FactLayer, timeUs: number, frame: number): SightingKind {
    const h1 = facts.h1(slot, layer);
    const h2 = facts.h2(slot, layer);
    const ttl = facts.ttl(slot, layer);
    const dir = facts.dir(slot, layer);
    if (facts.has(slot, Fact.DirUnknown, layer)) this.unknownDirs[dir] = 1;
    const t = this.table;
    let entry = t.find(h1, h2);
    if (entry === NO_SLOT) {
      entry = t.victim(h1, timeUs, this.gapUs);
      if (t.isUsed(entry)) this.release(entry);
      t.start(entry, h1, h2, timeUs, ttl, frame, dir);
      return SightingKind.First;
    }
    const last = t.lastTtl(entry);
    const since = timeUs - t.lastUs(entry);
    if (ttl === last && since <= DUPLICATE_WINDOW_US) return SightingKind.Duplicate;
    const sid = t.stream(entry);
    if (sid !== NO_STREAM && ttl > last && ttl < t.firstTtl(entry) && since <= REORDER_WINDOW_US) {
      // Between TTLs already seen, microseconds late: frames of two capture interfaces merged slightly out of
      // order, not a resend (which would start again from the sender's TTL).
      const added = this.open.get(sid)!.draft.addLate(timeUs, ttl, frame, dir);
      if (added) {
        t.setLastUs(entry, timeUs);
        this.lastUsOfSlot[entry] = timeUs;
      }
      return added ? SightingKind.Replica : SightingKind.Duplicate;
    }
    if (since > this.gapUs || ttl >= last) {
      // A pause longer than any loop pass, or the TTL back up: a new instance of an identical packet (a resend).
      this.release(entry);
      t.start(entry, h1, h2, timeUs, ttl, frame, dir);
      return SightingKind.First;
    }
    if (sid !== NO_STREAM) {
      t.extend(entry, timeUs, ttl, frame, dir);
      this.addSighting(sid, entry, timeUs, ttl, frame, dir);
    } else if (t.count(entry) === 1) {
      // Second sighting: a stream opens only if it already looks like a loop (same direction, TTL down >= 2);
      // a span port's TTL - 1 copy in the other direction stays in the table and costs nothing.
      t.extend(entry, timeUs, ttl, frame, dir);
      if (dir === t.firstDir(entry) && t.firstTtl(entry) - ttl >= 2) this.openStream(entry, facts, slot, layer);
    } else {
      this.openStream(entry, facts, slot, layer);
      t.extend(entry, timeUs, ttl, frame, dir);
      this.addSighting(t.stream(entry), entry, timeUs, ttl, frame, dir);
    }
    return SightingKind.Replica;
  }

  private addSighting(sid: number, entry: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    this.open.get(sid)!.draft.add(timeUs, ttl, frame, dir);
    this.lastUsOfSlot[entry] = timeUs;
  }

  /** Promotes the table entry's first (and last, when different) sighting into a stream draft. */
  private openStream(entry: number, facts: FrameFacts, slot: number, layer: FactLayer): void {
    const t = this.table;
    const draft = new ReplicaStreamDraft(facts.packetFacts(slot, layer));
    draft.add(t.firstUs(entry), t.firstTtl(entry), t.firstFrame(entry), t.firstDir(entry));
    if (t.count(entry) >= 2) draft.add(t.lastUs(entry), t.lastTtl(entry), t.lastFrame(entry), t.lastDir(entry));
    const id = this.nextStreamId++;
    this.open.set(id, { draft, slot: entry });
    t.setStream(entry, id);
    this.lastUsOfSlot[entry] = draft.lastUs;
    if (this.sweepCount === this.sweepIds.length) {
      this.sweepIds = grown(this.sweepIds, 2 * this.sweepCount);
      this.sweepSlots = grown(this.sweepSlots, 2 * this.sweepCount);
    }
    this.sweepIds[this.sweepCount] = id;
    this.sweepSlots[this.sweepCount++] = entry;
  }

  /** Frees a slot, closing its stream first. */
  private release(slot: number): void {
    const sid = this.table.stream(slot);
    if (sid !== NO_STREAM) this.close(sid);
    this.table.free(slot);
  }

  private close(id: number): void {
    const entry = this.open.get(id);
    if (!entry) return;
    this.open.delete(id);
    this.table.setStream(entry.slot, NO_STREAM);
    const verdict = judgeStream(entry.draft, this.directions);
    if (verdict.isLoop) this.builder.add(entry.draft, verdict.steps);
  }

  /** Closes streams that have had no sighting for longer than the gap (their packet left the loop or died). */
  private sweep(): void {
    const t = this.table;
    // Between two sweeps each packet writes at most two ring entries (inner and outer layer): an open stream
    // whose entry would be overwritten before the next sweep moves to the ring's head instead.
    const refreshAge = Math.max(t.capacity / 2, t.capacity - 4 * SWEEP_EVERY_PACKETS);
    const ids = this.sweepIds;
    const slots = this.sweepSlots;
    let kept = 0;
    for (let i = 0; i < this.sweepCount; i++) {
      const id = ids[i]!;
      const slot = slots[i]!;
      // Closed since the last sweep (its slot may hold a newer stream, which has an entry of its own further on).
      if (t.stream(slot) !== id) continue;
      const age = t.age(slot);
      if (this.nowUs - this.lastUsOfSlot[slot]! > this.gapUs || age >= t.capacity) {
        this.close(id);
        t.free(slot);
        continue;
      }
      if (age >= refreshAge) t.refresh(slot);
      ids[kept] = id;
      slots[kept++] = slot;
    }
    this.sweepCount = kept;
  }
}

/**
 * Front and back halves in one thread, frame by frame (a capture too small for a second thread, and the tests).
 * The record of the last frame stays in `facts` for the ladder context and the impact tracker.
 */
export class LoopDetector {
  readonly facts = new FrameFacts();
  private readonly front = new SightingFront();
  private readonly tracker: LoopTracker;

  constructor(capture: string, opts: LoopDetectorOptions = {}) {
    this.tracker = new LoopTracker(capture, opts);
  }

  /** Feeds one decoded packet (its bytes in `data`, which pkt's offsets index; time in µs since the epoch). Returns what it was. */
  observe(place: FramePlace, timeUs: number, pkt: DecodedPacket, data: Uint8Array): SightingKind {
    this.front.describe(place, timeUs, pkt, data, this.facts, 0);
    return this.tracker.observe(this.facts, 0);
  }

  finish(): LoopEpisode[] {
    return this.tracker.finish(this.front.state());
  }

  /** ICMP time-exceeded messages seen (all, including those beyond the kept sample). */
  get timeExceededTotal(): number {
    return this.front.state().timeExceededTotal;
  }
}
