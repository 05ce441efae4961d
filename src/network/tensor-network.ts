import type { Tensor } from '../tensor/tensor.js';
import { contractTensors, danglingIndices, type ContractOptions } from './contract.js';
import { LabeledTensor } from './labeled-tensor.js';
import { Index } from './tensor-index.js';

/** How {@link TensorNetwork.select} combines several tags. */
export type TagMatch = 'all' | 'any';

/** A fused group of indices: `fused` stands for `parts` (row-major, first part slowest). */
export interface Combiner {
  fused: Index;
  parts: readonly Index[];
}

/**
 * A mutable collection of immutable {@link LabeledTensor}s with tags (quimb-style).
 *
 * Tensors are addressed by a tensor id (tid, handed out in increasing order from 0) and
 * found by tag or by index through three maps kept in step by every mutation: tid →
 * tensor, tag → tids, index key → tids. Tensors sharing an index are joined by it;
 * an index on one tensor only is an outer (dangling) index.
 */
export class TensorNetwork {
  private readonly tensorMap = new Map<number, LabeledTensor>();
  private readonly tagsOfTid = new Map<number, ReadonlySet<string>>();
  private readonly tagMap = new Map<string, Set<number>>();
  private readonly indexMap = new Map<string, Set<number>>();
  private nextTid = 0;

  constructor(tensors: Iterable<LabeledTensor | { tensor: LabeledTensor; tags?: Iterable<string> }> = []) {
    for (const t of tensors) {
      if (t instanceof LabeledTensor) this.add(t);
      else this.add(t.tensor, t.tags ?? []);
    }
  }

  /** Number of tensors. */
  get size(): number {
    return this.tensorMap.size;
  }

  /** Tensor ids in increasing order. */
  tids(): number[] {
    return [...this.tensorMap.keys()];
  }

  /** The tensors in tid order. */
  tensors(): LabeledTensor[] {
    return [...this.tensorMap.values()];
  }

  /** Adds a tensor with tags; returns its tid. */
  add(tensor: LabeledTensor, tags: Iterable<string> = []): number {
    if (!(tensor instanceof LabeledTensor)) throw new TypeError('TensorNetwork.add: expected a LabeledTensor');
    for (const ix of tensor.indices) {
      const other = this.indexMap.get(ix.key);
      if (other) {
        const dim = this.tensorMap.get(other.values().next().value!)!.indices.find((j) => j.key === ix.key)!.dim;
        if (dim !== ix.dim) throw new RangeError(`TensorNetwork.add: index ${ix.toString()} has dim ${ix.dim} here but ${dim} in the network`);
      }
    }
    const tid = this.nextTid++;
    this.link(tid, tensor, new Set(tags));
    return tid;
  }

  /** Removes a tensor; returns it. */
  remove(tid: number): LabeledTensor {
    const t = this.get(tid);
    this.unlink(tid);
    return t;
  }

  /** Puts another tensor (any indices) in the place of `tid`, keeping its tags unless `tags` is given. */
  replace(tid: number, tensor: LabeledTensor, tags?: Iterable<string>): void {
    const keep = this.tagsOf(tid);
    this.unlink(tid);
    this.link(tid, tensor, new Set(tags ?? keep));
  }

  /** The tensor `tid`; throws naming the tid when there is none. */
  get(tid: number): LabeledTensor {
    const t = this.tensorMap.get(tid);
    if (!t) throw new RangeError(`TensorNetwork: no tensor with tid ${tid} (tids: ${this.tids().join(', ')})`);
    return t;
  }

  /** The tags of tensor `tid`. */
  tagsOf(tid: number): ReadonlySet<string> {
    this.get(tid);
    return this.tagsOfTid.get(tid)!;
  }

  /** Adds tags to a tensor. */
  addTags(tid: number, tags: Iterable<string>): void {
    const t = this.get(tid);
    const next = new Set([...this.tagsOf(tid), ...tags]);
    this.unlink(tid);
    this.link(tid, t, next);
  }

  /** Tids of tensors carrying all (default) or any of `tags`, in increasing order. */
  select(tags: string | Iterable<string>, which: TagMatch = 'all'): number[] {
    const list = typeof tags === 'string' ? [tags] : [...tags];
    if (which !== 'all' && which !== 'any') throw new RangeError(`select: which must be 'all' or 'any', got '${String(which)}'`);
    if (list.length === 0) return which === 'all' ? this.tids() : [];
    const sets = list.map((t) => this.tagMap.get(t) ?? new Set<number>());
    const hit = which === 'all' ? this.tids().filter((tid) => sets.every((s) => s.has(tid))) : this.tids().filter((tid) => sets.some((s) => s.has(tid)));
    return hit;
  }

  /** The one tensor with all `tags`; throws when there are none or several. */
  selectOne(tags: string | Iterable<string>): number {
    const hit = this.select(tags);
    if (hit.length !== 1) throw new RangeError(`select: tags ${JSON.stringify(typeof tags === 'string' ? [tags] : [...tags])} match ${hit.length} tensors, expected exactly 1`);
    return hit[0]!;
  }

  /** Tids of the tensors carrying `ix`. */
  tidsWithIndex(ix: Index): number[] {
    return [...(this.indexMap.get(ix.key) ?? [])].sort((a, b) => a - b);
  }

  /** Every distinct index, in order of appearance (tid order, then axis order). */
  indices(): Index[] {
    const seen = new Set<string>();
    const out: Index[] = [];
    for (const t of this.tensorMap.values()) {
      for (const ix of t.indices) {
        if (!seen.has(ix.key)) {
          seen.add(ix.key);
          out.push(ix);
        }
      }
    }
    return out;
  }

  /** Indices on exactly one tensor (the open legs), in order of appearance. */
  outerIndices(): Index[] {
    return danglingIndices(this.tensors());
  }

  /** Indices shared by two or more tensors (bonds). */
  innerIndices(): Index[] {
    return this.indices().filter((ix) => this.indexMap.get(ix.key)!.size > 1);
  }

  /** Indices shared by tensors `a` and `b`. */
  bondsBetween(a: number, b: number): Index[] {
    const other = this.get(b);
    return this.get(a).indices.filter((ix) => other.hasIndex(ix));
  }

  /** A shallow copy: new maps, the same (immutable) tensors and tids. */
  copy(): TensorNetwork {
    const out = new TensorNetwork();
    for (const tid of this.tids()) out.link(tid, this.get(tid), new Set(this.tagsOf(tid)));
    out.nextTid = this.nextTid;
    return out;
  }

  /** A new network of the tensors `tids` (same tids and tags). */
  subnetwork(tids: Iterable<number>): TensorNetwork {
    const out = new TensorNetwork();
    for (const tid of tids) out.link(tid, this.get(tid), new Set(this.tagsOf(tid)));
    out.nextTid = this.nextTid;
    return out;
  }

  /**
   * Contracts the tensors `tids` (default all) into one labelled tensor, leaving the
   * network unchanged. One einsum call ordered by the path optimizer.
   */
  contract(options: ContractOptions & { tids?: readonly number[] } = {}): LabeledTensor {
    const tids = options.tids ?? this.tids();
    if (new Set(tids).size !== tids.length) throw new RangeError(`contract: tids [${tids.join(', ')}] repeat a tensor`);
    const { tids: _ignored, ...rest } = options;
    return contractTensors(tids.map((tid) => this.get(tid)), rest);
  }

  /**
   * Replaces the tensors `tids` by their contraction (tagged with the union of their
   * tags plus `tags`); returns the new tid. The result keeps every index that still
   * joins it to the rest of the network or is outer.
   */
  merge(tids: readonly number[], tags: Iterable<string> = []): number {
    if (tids.length === 0) throw new RangeError('merge: no tensors given');
    const inside = new Set(tids);
    const group = tids.map((tid) => this.get(tid));
    const keep = danglingIndices(group);
    // Indices shared inside the group but also reaching outside it must survive (hyperedges).
    for (const t of group) {
      for (const ix of t.indices) {
        const holders = this.indexMap.get(ix.key)!;
        if ([...holders].some((h) => !inside.has(h)) && !keep.some((k) => k.key === ix.key)) keep.push(ix);
      }
    }
    const merged = contractTensors(group, { output: keep });
    const allTags = new Set<string>(tags);
    for (const tid of tids) for (const tag of this.tagsOf(tid)) allTags.add(tag);
    for (const tid of tids) this.unlink(tid);
    return this.add(merged, allTags);
  }

  /**
   * The whole network as a dense tensor with axes in `order` (default: the outer
   * indices in order of appearance). `order` must list exactly the outer indices.
   */
  toDense(order?: readonly Index[]): Tensor {
    const outer = this.outerIndices();
    const out = order ?? outer;
    if (order) {
      const keys = new Set(outer.map((i) => i.key));
      const given = new Set(order.map((i) => i.key));
      const missing = outer.filter((i) => !given.has(i.key));
      const extra = order.filter((i) => !keys.has(i.key));
      if (missing.length > 0 || extra.length > 0 || given.size !== order.length) {
        throw new RangeError(
          `toDense: the order must list each outer index once; missing [${missing.map(String).join(', ')}], not outer [${extra.map(String).join(', ')}]`,
        );
      }
    }
    return this.contract({ output: out }).data;
  }

  /**
   * ⟨this|other⟩: contracts the two networks over their outer indices, which must match
   * (as sets). The inner indices of `this` are renamed first, so a network can be
   * paired with a copy of itself.
   */
  inner(other: TensorNetwork): number {
    const mine = this.outerIndices();
    const theirs = other.outerIndices();
    const theirKeys = new Set(theirs.map((i) => i.key));
    const myKeys = new Set(mine.map((i) => i.key));
    const onlyMine = mine.filter((i) => !theirKeys.has(i.key));
    const onlyTheirs = theirs.filter((i) => !myKeys.has(i.key));
    if (onlyMine.length > 0 || onlyTheirs.length > 0) {
      throw new RangeError(
        `inner: outer indices differ: only in this network [${onlyMine.map(String).join(', ')}], only in the other [${onlyTheirs.map(String).join(', ')}]`,
      );
    }
    const bra = this.withFreshInnerIndices().tensors().map((t) => t.conj());
    return contractTensors([...bra, ...other.tensors()], { output: [] }).data.item();
  }

  /** The 2-norm √⟨ψ|ψ⟩ of the dense tensor this network represents. */
  norm(): number {
    const v = this.inner(this);
    return Math.sqrt(Math.max(v, 0));
  }

  /** A copy whose inner indices are replaced by fresh ones (outer indices kept). */
  withFreshInnerIndices(): TensorNetwork {
    const fresh = new Map(this.innerIndices().map((ix) => [ix.key, ix.sim()] as const));
    const out = new TensorNetwork();
    for (const tid of this.tids()) out.link(tid, this.get(tid).mapIndices((ix) => fresh.get(ix.key) ?? ix), new Set(this.tagsOf(tid)));
    out.nextTid = this.nextTid;
    return out;
  }

  /** Applies `f` to every index of every tensor (in place). */
  mapIndices(f: (ix: Index) => Index): void {
    for (const tid of this.tids()) {
      const t = this.get(tid);
      this.replace(tid, t.mapIndices(f));
    }
  }

  /**
   * Fuses `parts` into one index across the network: every tensor holding any of them
   * must hold all of them (an outer group on one tensor, or a multi-bond between the
   * same tensors). Returns the combiner that {@link split} undoes.
   */
  fuse(parts: readonly Index[], fused?: Index): Combiner {
    if (parts.length === 0) throw new RangeError('fuse: no indices to fuse');
    const holders = new Set(parts.flatMap((ix) => this.tidsWithIndex(ix)));
    if (holders.size === 0) throw new RangeError(`fuse: none of [${parts.map(String).join(', ')}] is in the network`);
    for (const tid of holders) {
      const t = this.get(tid);
      const lacking = parts.filter((ix) => !t.hasIndex(ix));
      if (lacking.length > 0) {
        throw new RangeError(`fuse: tensor ${tid} holds some but not all of the indices; it lacks [${lacking.map(String).join(', ')}]`);
      }
    }
    const target = fused ?? new Index(parts.reduce((p, ix) => p * ix.dim, 1), ['fused']);
    for (const tid of [...holders].sort((a, b) => a - b)) this.replace(tid, this.get(tid).fuse(parts, target));
    return { fused: target, parts: [...parts] };
  }

  /** Splits a fused index back into its parts on every tensor that holds it. */
  split(combiner: Combiner): void {
    const holders = this.tidsWithIndex(combiner.fused);
    if (holders.length === 0) throw new RangeError(`split: index ${combiner.fused.toString()} is not in the network`);
    for (const tid of holders) this.replace(tid, this.get(tid).split(combiner.fused, combiner.parts));
  }

  /** Total number of stored elements (parameters). */
  paramCount(): number {
    return this.tensors().reduce((s, t) => s + t.size, 0);
  }

  /** A one-line summary, for printing. */
  toString(): string {
    return `TensorNetwork(${this.size} tensors, outer ${this.outerIndices().map(String).join(' ')})`;
  }

  private link(tid: number, tensor: LabeledTensor, tags: Set<string>): void {
    this.tensorMap.set(tid, tensor);
    this.tagsOfTid.set(tid, tags);
    for (const tag of tags) {
      let s = this.tagMap.get(tag);
      if (!s) {
        s = new Set();
        this.tagMap.set(tag, s);
      }
      s.add(tid);
    }
    for (const ix of tensor.indices) {
      let s = this.indexMap.get(ix.key);
      if (!s) {
        s = new Set();
        this.indexMap.set(ix.key, s);
      }
      s.add(tid);
    }
    // Keep map order = increasing tid, so iteration needs no sort. A fresh tid is the
    // largest; only re-linking an older one (replace, copy) can break the order.
    if (tid < this.nextTid - 1) this.reorder();
  }

  private reorder(): void {
    let previous = -1;
    let sorted = true;
    for (const k of this.tensorMap.keys()) {
      if (k < previous) sorted = false;
      previous = k;
    }
    if (sorted) return;
    const entries = [...this.tensorMap].sort((a, b) => a[0] - b[0]);
    this.tensorMap.clear();
    for (const [k, v] of entries) this.tensorMap.set(k, v);
  }

  private unlink(tid: number): void {
    const tensor = this.get(tid);
    for (const tag of this.tagsOfTid.get(tid)!) {
      const s = this.tagMap.get(tag)!;
      s.delete(tid);
      if (s.size === 0) this.tagMap.delete(tag);
    }
    for (const ix of tensor.indices) {
      const s = this.indexMap.get(ix.key)!;
      s.delete(tid);
      if (s.size === 0) this.indexMap.delete(ix.key);
    }
    this.tensorMap.delete(tid);
    this.tagsOfTid.delete(tid);
  }
}
