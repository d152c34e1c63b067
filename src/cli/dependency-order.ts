/**
 * The order in which `start` and `stop` of several names go, from the daemon's specs of those
 * processes (spec/dependency-graph.ts): what a process starts after starts first; what depends
 * on another stops first. By name, as dependencies name processes (an argument may be an id).
 */
import type { StatevisorClient } from '../client/index.js';
import { startOrder, stopLayers } from '../spec/dependency-graph.js';

async function specsOf(client: StatevisorClient, names: readonly string[]) {
  return Promise.all(names.map(async (name) => (await client.describeProcess(name)).spec!));
}

export async function startOrderOf(client: StatevisorClient, names: readonly string[]): Promise<string[]> {
  if (names.length === 1) return [...names];
  const specs = await specsOf(client, names);
  return startOrder(specs, specs.map((spec) => spec.name));
}

/** Stop layers: every process of a layer may stop once the layers before it have. */
export async function stopLayersOf(client: StatevisorClient, names: readonly string[]): Promise<string[][]> {
  if (names.length === 1) return [[...names]];
  const specs = await specsOf(client, names);
  return stopLayers(specs, specs.map((spec) => spec.name));
}
