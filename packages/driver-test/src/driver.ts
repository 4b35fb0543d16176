/**
 * The `test` driver: `test:///default` (one shared in-memory node per process while any
 * connection to it is open, as libvirt does) and `test:///ABS/PATH.xml` (a private node loaded
 * from a node file for each connection).
 */
import type { Driver, DriverConnection, OpenOptions, ParsedUri } from '@virtkit/core';
import { parseXml } from '@virtkit/xml';
import { TestState } from './state';
import { TestConnection } from './connection';
import { loadNode, loadNodeFile } from './node-config';
import { DEFAULT_NODE_XML, defaultCells } from './default-node';
import { invalidArg } from './errors';

let shared: { state: TestState; refs: number } | null = null;

/** A fresh default node (testOpenDefault). */
export function createDefaultState(): TestState {
  const state = new TestState();
  state.cells = defaultCells();
  return loadNode(state, parseXml(DEFAULT_NODE_XML));
}

function openDefault(): TestConnection {
  if (!shared) shared = { state: createDefaultState(), refs: 0 };
  const entry = shared;
  entry.refs++;
  return new TestConnection(entry.state, () => {
    entry.refs--;
    if (entry.refs === 0 && shared === entry) shared = null;
  });
}

export const driver: Driver = {
  name: 'test',
  schemes: ['test'],
  async open(uri: ParsedUri, _opts: OpenOptions): Promise<DriverConnection> {
    const path = uri.path;
    if (path === '' || path === '/') throw invalidArg('testOpen: supply a path or use test:///default');
    if (path === '/default') return openDefault();
    return new TestConnection(loadNodeFile(path), () => {});
  },
};
