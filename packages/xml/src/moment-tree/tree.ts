/**
 * A tree of named moments (snapshots or checkpoints) with parent links, following the semantics
 * of libvirt's virDomainMomentObjList: a hidden metaroot holds the roots, every node keeps its
 * children most-recently-linked first, one node may be "current", and listing walks the tree in
 * one synchronous pass. Pure: nothing here knows about drivers, domains or XML.
 */

export interface MomentNode<T> {
  readonly name: string;
  data: T;
  /** The parent node, the tree's `root` for a root moment, or null while unlinked. */
  parent: MomentNode<T> | null;
  /** Children in libvirt's order: the most recently linked first. */
  children: MomentNode<T>[];
}

/** Which moments a listing selects (libvirt's VIR_DOMAIN_MOMENT_LIST_* bits). */
export interface MomentListOptions {
  /** Without a starting node: only the roots. (ROOTS) */
  roots?: boolean;
  /** From a starting node: every descendant rather than the direct children. (DESCENDANTS) */
  descendants?: boolean;
  /** Parents before children, in a depth-first walk. (TOPOLOGICAL) */
  topological?: boolean;
  /** Only moments without children. (LEAVES) */
  leaves?: boolean;
  /** Only moments with children. (NO_LEAVES) */
  noLeaves?: boolean;
  /** Moments with metadata: every moment of the tree. (METADATA) */
  metadata?: boolean;
  /** Moments without metadata: none, since every tracked moment has metadata. (NO_METADATA) */
  noMetadata?: boolean;
}

/** How `remove` treats the descendants of the removed moment. */
export type RemoveMode = 'single' | 'children' | 'children-only';

/** Why a parent link would be invalid (see `checkParent`). */
export type ParentProblem = { kind: 'self' } | { kind: 'missing' } | { kind: 'cycle'; via: string };

export class MomentTree<T> {
  /** The metaroot: parent of every root moment; never listed. */
  readonly root: MomentNode<T> = { name: '', data: undefined as unknown as T, parent: null, children: [] };
  private readonly nodes = new Map<string, MomentNode<T>>();
  private currentNode: MomentNode<T> | null = null;

  get size(): number {
    return this.nodes.size;
  }

  get(name: string): MomentNode<T> | undefined {
    return this.nodes.get(name);
  }

  /** Every moment, in the order they were added. */
  all(): MomentNode<T>[] {
    return [...this.nodes.values()];
  }

  get current(): MomentNode<T> | null {
    return this.currentNode;
  }

  set current(node: MomentNode<T> | null) {
    this.currentNode = node;
  }

  /** Add an unlinked moment; undefined when the name is taken. */
  add(name: string, data: T): MomentNode<T> | undefined {
    if (this.nodes.has(name)) return undefined;
    const node: MomentNode<T> = { name, data, parent: null, children: [] };
    this.nodes.set(name, node);
    return node;
  }

  /** Link under `parentName`, or under the metaroot when it is unset or unknown. */
  link(node: MomentNode<T>, parentName: string | undefined): void {
    this.unlink(node);
    const parent = (parentName !== undefined && this.nodes.get(parentName)) || this.root;
    node.parent = parent;
    parent.children.unshift(node);
  }

  /** Detach from the parent (children stay attached). */
  unlink(node: MomentNode<T>): void {
    const p = node.parent;
    if (!p) return;
    const i = p.children.indexOf(node);
    if (i >= 0) p.children.splice(i, 1);
    node.parent = null;
  }

  /** The parent's name, or undefined for a root. */
  parentName(node: MomentNode<T>): string | undefined {
    return node.parent && node.parent !== this.root ? node.parent.name : undefined;
  }

  /** Descendants depth first, each before its own descendants, children in tree order. */
  descendants(node: MomentNode<T>): MomentNode<T>[] {
    const out: MomentNode<T>[] = [];
    const walk = (n: MomentNode<T>) => {
      for (const c of n.children) {
        out.push(c);
        walk(c);
      }
    };
    walk(node);
    return out;
  }

  /** Would `name` with parent `parentName` be valid? (virDomainSnapshotCheckCycles) */
  checkParent(name: string, parentName: string | undefined): ParentProblem | null {
    if (parentName === undefined) return null;
    if (parentName === name) return { kind: 'self' };
    let p = this.nodes.get(parentName);
    if (!p) return { kind: 'missing' };
    for (;;) {
      const pp = this.parentName(p);
      if (pp === undefined) return null;
      if (pp === name) return { kind: 'cycle', via: p.name };
      const next = this.nodes.get(pp);
      if (!next) return null;
      p = next;
    }
  }

  /**
   * The moments selected by `opts`, starting at `from` (null: the whole tree), kept only when
   * `filter` accepts them. One synchronous pass: the result is a consistent picture.
   */
  list(from: MomentNode<T> | null, opts: MomentListOptions = {}, filter?: (data: T) => boolean): MomentNode<T>[] {
    const start = from ?? this.root;
    const descend = from ? !!opts.descendants : !(opts.roots || opts.descendants);
    if (opts.noMetadata && !opts.metadata) return [];
    let seq: MomentNode<T>[];
    if (descend) seq = from || opts.topological ? this.descendants(start) : this.all();
    else seq = start.children;
    return seq.filter((n) => {
      if (opts.leaves && n.children.length) return false;
      if (opts.noLeaves && !n.children.length) return false;
      return filter ? filter(n.data) : true;
    });
  }

  /**
   * Remove a moment (virDomainSnapshotDelete's tree handling):
   * - `single`: the children move up to the removed moment's parent;
   * - `children`: the moment and all its descendants go;
   * - `children-only`: only the descendants go.
   * When the current moment is removed, the nearest surviving ancestor becomes current.
   * Returns the names removed.
   */
  remove(node: MomentNode<T>, mode: RemoveMode = 'single'): string[] {
    const removed: string[] = [];
    if (mode !== 'single') {
      let hadCurrent = false;
      for (const d of this.descendants(node)) {
        this.nodes.delete(d.name);
        removed.push(d.name);
        if (this.currentNode === d) {
          this.currentNode = null;
          hadCurrent = true;
        }
      }
      if (hadCurrent) this.currentNode = node;
    } else if (node.children.length) {
      const to = node.parent ?? this.root;
      for (const c of node.children) c.parent = to;
      to.children = [...node.children, ...to.children];
      node.children = [];
    }
    if (mode === 'children-only') {
      node.children = [];
      return removed;
    }
    const parent = node.parent && node.parent !== this.root ? node.parent : null;
    this.unlink(node);
    if (this.currentNode === node) this.currentNode = parent;
    this.nodes.delete(node.name);
    removed.push(node.name);
    return removed;
  }
}
