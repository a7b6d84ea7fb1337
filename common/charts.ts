// Charts as SVG rendered on the server with vega-lite and vega: no JavaScript in the browser, no CDN.

import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type ChartSpec = Record<string, unknown>;

/**
 * vega is ESM with top-level await, which neither require() nor a CommonJS test runner's module sandbox can load.
 * A worker thread imports it natively and renders there; it is held open only while a chart is being drawn.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = Promise.all([import(workerData.vega), import(workerData.vegaLite)]);
parentPort.on('message', async ({ id, spec }) => {
  try {
    const [vega, vegaLite] = await loaded;
    const compiled = vegaLite.compile(spec).spec;
    const svg = await new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
    parentPort.postMessage({ id, svg });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});
`;

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve(svg: string): void; reject(error: Error): void }>();

function renderer(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      vega: pathToFileURL(require.resolve('vega')).href,
      vegaLite: pathToFileURL(require.resolve('vega-lite')).href,
    },
  });
  started.on('message', (m: { id: number; svg?: string; error?: string }) => {
    const waiting = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) started.unref();
    if (m.error !== undefined) waiting?.reject(new Error(`vega: ${m.error}`));
    else waiting?.resolve(m.svg!);
  });
  const fail = (error: Error) => {
    worker = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the chart renderer exited (${code})`)));
  started.unref();
  worker = started;
  return started;
}

/** Renders a vega-lite spec to an SVG document (as text). */
export function svgOf(spec: ChartSpec): Promise<string> {
  const target = renderer();
  const id = (nextId += 1);
  const full = { ...spec, config: { font: 'sans-serif', ...(spec.config as object | undefined) } };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.ref();
    target.postMessage({ id, spec: full });
  });
}
