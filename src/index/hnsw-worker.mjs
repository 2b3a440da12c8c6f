// The thread an HNSW graph is built in (see HnswBuilder in hnsw-builder.ts). Plain JavaScript
// because a worker is started from a file, and a .ts file would need a loader that not every
// runner (tsx, vitest, node) passes on to workers. It only relays calls to hnswlib-node and
// answers each message with {id, result} or {id, error}, in order.
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";

/** @type {import("hnswlib-node").HierarchicalNSW | null} */
let index = null;
let dimension = 0;

if (!parentPort) throw new Error("hnsw-worker.mjs runs as a worker thread");
const port = parentPort;
/**
 * Set by the builder to stop work in progress. The builder must never terminate() this thread
 * while hnswlib runs: the addon then fails to throw and aborts the whole process.
 * @type {Int32Array}
 */
const cancelled = new Int32Array(workerData.cancel);

port.on("message", (message) => {
  if (message.op === "close") {
    port.close();
    return;
  }
  try {
    port.postMessage({ id: message.id, result: handle(message) });
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});

function handle(message) {
  switch (message.op) {
    case "create": {
      dimension = message.dimension;
      index = new hnswlib.HierarchicalNSW("cosine", dimension);
      index.initIndex({
        maxElements: Math.max(1, message.capacity),
        m: message.m,
        efConstruction: message.efConstruction,
        randomSeed: 100,
      });
      return null;
    }
    case "load": {
      dimension = message.dimension;
      if (message.expect) check(message.file, message.expect);
      // Always a fresh object: a failed read into one that holds a graph leaves it dangling.
      const fresh = new hnswlib.HierarchicalNSW("cosine", dimension);
      fresh.readIndexSync(message.file);
      index = fresh;
      if (message.capacity > index.getMaxElements()) index.resizeIndex(message.capacity);
      return { count: index.getCurrentCount() };
    }
    case "reserve": {
      const graph = ready();
      if (message.capacity > graph.getMaxElements()) graph.resizeIndex(message.capacity);
      return null;
    }
    case "delete": {
      const graph = ready();
      for (const label of message.labels) {
        checkCancelled();
        graph.markDelete(label);
      }
      return null;
    }
    case "add": {
      const graph = ready();
      const { vectors, labels } = message;
      if (vectors.length !== labels.length * dimension)
        throw new Error(`got ${vectors.length} numbers for ${labels.length} vectors of ${dimension}`);
      // Adding a label the graph holds (deleted) replaces that point in place: its slot is reused.
      for (let i = 0; i < labels.length; i++) {
        checkCancelled();
        graph.addPoint(Array.from(vectors.subarray(i * dimension, (i + 1) * dimension)), labels[i]);
      }
      return { count: graph.getCurrentCount() };
    }
    case "save": {
      ready().writeIndexSync(message.file);
      // hnswlib reports success even when it could not create the file: check it landed.
      if (!existsSync(message.file) || statSync(message.file).size === 0)
        throw new Error(`writing ${message.file} produced no file`);
      return { bytes: statSync(message.file).size };
    }
    default:
      throw new Error(`unknown operation ${String(message.op)}`);
  }
}

/** Throws unless `file` has the expected size and checksum (as the manifest records them, by the algorithm of checksum.ts). */
function check(file, expect) {
  const size = existsSync(file) ? statSync(file).size : -1;
  if (size !== expect.bytes)
    throw new Error(size < 0 ? `${file} is missing` : `${file} has ${size} bytes, not ${expect.bytes}`);
  const hash = createHash(expect.algorithm);
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  try {
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
      hash.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  if (hash.digest("hex") !== expect.checksum) throw new Error(`${file} does not match its checksum`);
}

function checkCancelled() {
  if (Atomics.load(cancelled, 0) !== 0) throw new Error("the build was cancelled");
}

function ready() {
  if (!index) throw new Error("no graph was created or loaded");
  return index;
}
