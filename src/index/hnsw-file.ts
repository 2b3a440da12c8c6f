import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import hnswlib from "hnswlib-node";
import { errorMessage, IndexError } from "../errors.js";

// hnswlib-node trusts the files it is given and reports success it did not have. Every read
// and write of a graph file on this thread goes through here, which checks what it cannot.

/** Bytes of an hnswlib graph file's header that say how many points it holds and how long each vector is. */
const HEADER_BYTES = 48;

/** What an hnswlib graph file's header declares. */
interface GraphHeader {
  /** Points in the graph, deleted ones included. */
  readonly count: number;
  /** Vector length: the data per point (between its level-0 links and its label) over 4 bytes a float. */
  readonly dimension: number;
}

/**
 * The header of the graph file at `file`: seven little-endian 64-bit sizes, of which the point
 * count is the third and the label and data offsets within a point the fifth and sixth. Read
 * synchronously (48 bytes): the graph read that follows is then started at once, on the thread
 * pool, before the caller goes on to other work.
 */
function readGraphHeader(file: string): GraphHeader {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const bytesRead = readSync(fd, header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) throw new Error(`it has ${bytesRead} bytes, fewer than a graph header`);
    const size = (offset: number) => Number(header.readBigUInt64LE(offset));
    return { count: size(16), dimension: (size(32) - size(40)) / 4 };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the graph file `file`, which must hold `slots` points of `dimension`, into a fresh
 * graph object in cosine space. The header is checked before hnswlib reads the file: it reads
 * vectors of another length without complaint, and then serves wrong neighbours (or reads past
 * its memory). A fresh object every time: a failed read into one that holds a graph leaves it
 * dangling. Throws `IndexError("INDEX_CORRUPT")` saying what does not fit.
 */
export async function readGraph(file: string, dimension: number, slots: number): Promise<hnswlib.HierarchicalNSW> {
  if (!existsSync(file)) throw new IndexError("INDEX_CORRUPT", `the vector file ${file} is missing`);
  let header: GraphHeader;
  try {
    header = readGraphHeader(file);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `the vector file ${file} cannot be read (${errorMessage(cause)})`, { cause });
  }
  if (header.dimension !== dimension)
    throw new IndexError(
      "INDEX_CORRUPT",
      `the vector file ${file} holds vectors of ${header.dimension} dimensions, not ${dimension}`,
    );
  const graph = new hnswlib.HierarchicalNSW("cosine", dimension);
  try {
    await graph.readIndex(file);
  } catch (cause) {
    throw new IndexError("INDEX_CORRUPT", `the vector file ${file} cannot be read (${errorMessage(cause)})`, { cause });
  }
  const count = graph.getCurrentCount();
  if (count !== slots)
    throw new IndexError(
      "INDEX_CORRUPT",
      `the vector file ${file} holds ${count} vectors but the manifest lists ${slots}`,
    );
  return graph;
}

/**
 * Writes `graph` to `file`, creating its folder (hnswlib reports success writing into a
 * missing folder, and writes nothing), and checks that the file landed. Returns its size.
 */
export async function writeGraph(graph: hnswlib.HierarchicalNSW, file: string): Promise<number> {
  await mkdir(dirname(file), { recursive: true });
  await graph.writeIndex(file);
  const bytes = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (bytes === 0) throw new IndexError("INDEX_BUILD", `writing the vector file ${file} produced no file`);
  return bytes;
}
