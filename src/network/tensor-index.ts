/**
 * A labelled tensor axis with an identity, as in ITensor: two axes contract when
 * their indices match (same id, prime level and tags), never because of position.
 */

/** What an {@link Index} is made of; the form it takes in files. */
export interface IndexSpec {
  /** Identity: 16 hex digits (64 random bits), so fresh indices never collide. */
  id: string;
  dim: number;
  /** Labels such as 'phys' or 'I3' (sorted, distinct). */
  tags: readonly string[];
  /** Prime level, ≥ 0: separates a bra index (primed) from its ket (unprimed). */
  plev: number;
}

const ID_PATTERN = /^[0-9a-f]{16}$/;
const TAG_PATTERN = /^[^,\s'|]+$/;

/** 64 random bits as 16 hex digits; random (not a counter) so ids read from files cannot clash with new ones. */
function freshId(): string {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return words[0]!.toString(16).padStart(8, '0') + words[1]!.toString(16).padStart(8, '0');
}

function normalizeTags(tags: Iterable<string>): string[] {
  const out = [...new Set(tags)].sort();
  for (const t of out) {
    if (typeof t !== 'string' || !TAG_PATTERN.test(t)) {
      throw new RangeError(`Index: tag ${JSON.stringify(t)} is not valid: tags are non-empty strings without spaces, commas, quotes or '|'`);
    }
  }
  return out;
}

/**
 * An immutable tensor index `{ id, dim, tags, plev }`.
 *
 * `new Index(dim, tags)` makes a fresh index that matches no other; copies (same id,
 * plev and tags) match each other. `prime()` raises the prime level, so `i` and
 * `i.prime()` are different indices of the same space (bra vs ket), and `sim()` makes a
 * new index of the same dimension and tags.
 */
export class Index implements IndexSpec {
  readonly id: string;
  readonly dim: number;
  readonly tags: readonly string[];
  readonly plev: number;
  /** Canonical string key: equal keys ⇔ matching indices. */
  readonly key: string;

  constructor(dim: number, tags: Iterable<string> | string = [], options: { id?: string; plev?: number } = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`Index: dim must be a positive integer, got ${dim}`);
    const plev = options.plev ?? 0;
    if (!Number.isInteger(plev) || plev < 0) throw new RangeError(`Index: plev must be a non-negative integer, got ${plev}`);
    const id = options.id ?? freshId();
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new RangeError(`Index: id must be 16 lowercase hex digits, got ${JSON.stringify(id)}`);
    this.id = id;
    this.dim = dim;
    this.tags = Object.freeze(normalizeTags(typeof tags === 'string' ? tags.split(',').filter((t) => t !== '') : tags));
    this.plev = plev;
    this.key = `${id}'${plev}|${this.tags.join(',')}`;
    Object.freeze(this);
  }

  /** Rebuilds an index from its spec (a file header entry); the result matches the index it came from. */
  static fromSpec(spec: IndexSpec): Index {
    return new Index(spec.dim, spec.tags, { id: spec.id, plev: spec.plev });
  }

  /** True when the two indices match (same id, prime level and tags). */
  equals(other: Index): boolean {
    return this.key === other.key;
  }

  /** Same id, same space: true for `i` and `i.prime()` too. */
  sameSpace(other: Index): boolean {
    return this.id === other.id;
  }

  /** True when the index carries `tag`. */
  hasTag(tag: string): boolean {
    return this.tags.includes(tag);
  }

  /** This index with its prime level raised by `n` (default 1). */
  prime(n = 1): Index {
    return this.withPlev(this.plev + n);
  }

  /** This index at prime level 0. */
  noprime(): Index {
    return this.withPlev(0);
  }

  /** This index at prime level `plev`. */
  withPlev(plev: number): Index {
    if (plev === this.plev) return this;
    return new Index(this.dim, this.tags, { id: this.id, plev });
  }

  /** The same index with other tags (which makes it a different index). */
  withTags(tags: Iterable<string> | string): Index {
    return new Index(this.dim, tags, { id: this.id, plev: this.plev });
  }

  /** A new index (fresh id) with the same dimension, tags and prime level. */
  sim(): Index {
    return new Index(this.dim, this.tags, { plev: this.plev });
  }

  /** A new index with the same id, tags and prime level but another dimension (after truncation, say). */
  withDim(dim: number): Index {
    return new Index(dim, this.tags, { id: this.id, plev: this.plev });
  }

  /** The plain-data form written to files. */
  toSpec(): IndexSpec {
    return { id: this.id, dim: this.dim, tags: [...this.tags], plev: this.plev };
  }

  /** `(dim=…|id=…|tags)` with one `'` per prime level, for printing. */
  toString(): string {
    return `(dim=${this.dim}|id=${this.id.slice(-4)}|${this.tags.join(',')})${"'".repeat(Math.min(this.plev, 3))}${this.plev > 3 ? this.plev : ''}`;
  }
}

/** Indices present in both lists (in the order of `a`). */
export function commonIndices(a: readonly Index[], b: readonly Index[]): Index[] {
  const keys = new Set(b.map((i) => i.key));
  return a.filter((i) => keys.has(i.key));
}

/** Indices of `a` not in `b`. */
export function uniqueIndices(a: readonly Index[], b: readonly Index[]): Index[] {
  const keys = new Set(b.map((i) => i.key));
  return a.filter((i) => !keys.has(i.key));
}

/** Throws when a list repeats an index, naming it and `where`. */
export function assertDistinct(indices: readonly Index[], where: string): void {
  const seen = new Set<string>();
  for (const i of indices) {
    if (seen.has(i.key)) throw new RangeError(`${where}: index ${i.toString()} appears twice`);
    seen.add(i.key);
  }
}
