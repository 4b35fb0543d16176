/**
 * Loading a test node description (`<node>` with `<cpu>`, `<memory>`, `<domain>`, `<network>`,
 * `<pool>` and `<volume>` children, inline or through `file=` includes relative to the node
 * file), as testOpenParse does.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { DomainRunningReason, DomainState, ErrorNumber } from '@virtkit/core';
import { parseXml, type XmlElement } from '@virtkit/xml';
import { generateIfnames, parseDomainXml, testNamespaceOf } from './domain-xml';
import { addDomain, shutdownState, startState } from './domains';
import { domainTaint } from './taint';
import { loadSnapshots } from './snapshots';
import { loadPool } from './storage';
import { loadNetwork } from './networks';
import { loadInterface } from './interfaces';
import { loadNodeDevice } from './nodedevs';
import { TestState } from './state';
import { err, xmlError } from './errors';

/** testParseXMLDocFromFile: the element itself, or the root of the file it names. */
function resolve(el: XmlElement, file: string | undefined): XmlElement {
  const rel = el.attr('file');
  if (rel === undefined) return el;
  const abs = isAbsolute(rel) || !file ? rel : join(dirname(file), rel);
  return parseXml(readText(abs));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `failed to load external entity "${path}"`);
  }
}

function num(root: XmlElement, path: string[], what: string): number | undefined {
  const el = root.find(...path);
  if (!el) return undefined;
  const t = el.text().trim();
  if (!/^-?[0-9]+$/.test(t)) throw xmlError(`invalid node ${what} value`);
  return Number(t);
}

/** testParseNodeInfo. */
function parseNodeInfo(state: TestState, root: XmlElement): void {
  const ni = state.nodeInfo;
  ni.nodes = num(root, ['cpu', 'nodes'], 'cpu nodes') ?? ni.nodes;
  ni.sockets = num(root, ['cpu', 'sockets'], 'cpu sockets') ?? ni.sockets;
  ni.cores = num(root, ['cpu', 'cores'], 'cpu cores') ?? ni.cores;
  ni.threads = num(root, ['cpu', 'threads'], 'cpu threads') ?? ni.threads;
  ni.cpus = ni.cores * ni.threads * ni.sockets * ni.nodes;
  const active = num(root, ['cpu', 'active'], 'cpu active');
  if (active !== undefined && active < ni.cpus) ni.cpus = active;
  ni.mhz = num(root, ['cpu', 'mhz'], 'cpu mhz') ?? ni.mhz;
  const model = root.find('cpu', 'model')?.text();
  if (model !== undefined) {
    if (model.length >= 32) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, `Model ${model} too big for destination`);
    ni.model = model;
  }
  ni.memory = num(root, ['memory'], 'memory') ?? ni.memory;
}

/** testParseDomains. */
function parseDomains(state: TestState, root: XmlElement, file: string | undefined): void {
  for (const el of root.elements('domain')) {
    const xml = resolve(el, file);
    const def = parseDomainXml(xml);
    generateIfnames(def);
    const ns = testNamespaceOf(def);
    const { dom } = addDomain(state, def);
    loadSnapshots(
      dom,
      ns.snapshots.map((s) => resolve(s, file)),
    );
    dom.persistent = !ns.transient;
    dom.hasManagedSave = ns.hasManagedSave;
    const runstate = ns.runstate ?? DomainState.VIR_DOMAIN_RUNNING;
    if (runstate !== DomainState.VIR_DOMAIN_SHUTOFF) startState(state, dom, DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED);
    else shutdownState(dom, 0);
    dom.setState(runstate, 0);
    dom.taint = domainTaint(xml);
  }
}

/** testParseNetworks. */
function parseNetworks(state: TestState, root: XmlElement, file: string | undefined): void {
  for (const el of root.elements('network')) loadNetwork(state, resolve(el, file));
}

/** testParseInterfaces. */
function parseInterfaces(state: TestState, root: XmlElement, file: string | undefined): void {
  for (const el of root.elements('interface')) loadInterface(state, resolve(el, file));
}

/** testParseNodedevs. */
function parseNodedevs(state: TestState, root: XmlElement, file: string | undefined): void {
  for (const el of root.elements('device')) loadNodeDevice(state, resolve(el, file));
}

/** testParseStorage. */
function parseStorage(state: TestState, root: XmlElement, file: string | undefined): void {
  for (const el of root.elements('pool')) {
    const pool = resolve(el, file);
    loadPool(
      state,
      pool,
      el.elements('volume').map((v) => resolve(v, file)),
    );
  }
}

/** testOpenParse on a parsed `<node>` document; `file` anchors relative includes. */
export function loadNode(state: TestState, root: XmlElement, file?: string): TestState {
  if (root.name !== 'node') throw xmlError("Root element is not 'node'");
  parseNodeInfo(state, root);
  parseDomains(state, root, file);
  parseNetworks(state, root, file);
  parseInterfaces(state, root, file);
  parseStorage(state, root, file);
  parseNodedevs(state, root, file);
  return state;
}

/** testOpenFromFile: a fresh state from a node file, without NUMA cells. */
export function loadNodeFile(path: string): TestState {
  return loadNode(new TestState(), parseXml(readText(path)), path);
}
