// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by package (Baton's
// own libraries and apps by name, node_modules by package, Node's internals), time on the stack by package
// (how much of the work happens under each), and the functions with the most self time.
import { readFile } from 'node:fs/promises';

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/**
 * Socket writes. The profiler samples wall-clock time, and on a small shared machine a process that writes
 * to a loopback socket (a query to PostgreSQL, a command to Redis, a response) often loses its core to the
 * peer it woke: those samples land here. They are counted apart, not as CPU.
 */
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

export function categoryOf(url) {
  if (!url) return null;
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = /\/dist\/(apps|libs)\/([^/]+)\//.exec(url);
  if (dist) return `baton ${dist[1]}/${dist[2]}`;
  if (/\/bench\//.test(url)) return 'bench';
  return 'other';
}

function shortUrl(url) {
  if (!url) return '';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** Microseconds on the clock V8 profiles use (CLOCK_MONOTONIC, shared by every process on the machine). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Only the samples between `fromUs` and `toUs` (the load, not the start-up) count, when given. */
export async function summarizeProfile(file, { fromUs = -Infinity, toUs = Infinity, top = 15 } = {}) {
  const profile = JSON.parse(await readFile(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // A frame without a URL (a builtin such as JSON.parse, a regexp) counts towards whoever called it.
  const category = new Map();
  const categoryOfNode = (id) => {
    if (category.has(id)) return category.get(id);
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    let result = categoryOf(node.callFrame.url);
    if (!result)
      result = SPECIAL.has(name) ? name : parent.has(id) ? categoryOfNode(parent.get(id)) : '(native)';
    category.set(id, result);
    return result;
  };
  const self = new Map();
  const onStack = new Map();
  const functions = new Map();
  const batonFunctions = new Map();
  let idle = 0;
  let busy = 0;
  let writes = 0;
  const stackCategories = new Map();
  let at = profile.startTime;
  let first = null;
  let last = null;
  for (const [index, id] of profile.samples.entries()) {
    at += profile.timeDeltas[index] ?? 0;
    if (at < fromUs || at > toUs) continue;
    first ??= at;
    last = at;
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle++;
      continue;
    }
    if (SOCKET_WRITES.has(name)) {
      writes++;
      continue;
    }
    busy++;
    const cat = categoryOfNode(id);
    self.set(cat, (self.get(cat) ?? 0) + 1);
    const label =
      `${name || '(anonymous)'} ${shortUrl(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`.trim();
    functions.set(label, (functions.get(label) ?? 0) + 1);
    let cats = stackCategories.get(id);
    if (!cats) {
      cats = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const c = categoryOfNode(at);
        if (c !== '(root)') cats.add(c);
      }
      stackCategories.set(id, cats);
    }
    // Every asynchronous stack starts in Node's internals: that says nothing, so it is left out here.
    for (const c of cats) if (c !== 'node internals') onStack.set(c, (onStack.get(c) ?? 0) + 1);
    // Baton's own functions on the stack (the synchronous part of each: an await ends a stack).
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (!/\/dist\/(apps|libs)\//.test(frame.url)) continue;
      const label = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(label)) continue;
      seen.add(label);
      batonFunctions.set(label, (batonFunctions.get(label) ?? 0) + 1);
    }
  }
  const share = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, percent: Number(((100 * count) / Math.max(1, busy)).toFixed(1)) }));
  return {
    seconds: Number((((last ?? 0) - (first ?? 0)) / 1e6).toFixed(1)),
    busyPercent: Number(((100 * (busy + writes)) / Math.max(1, busy + writes + idle)).toFixed(1)),
    socketWritesPercent: Number(((100 * writes) / Math.max(1, busy + writes)).toFixed(1)),
    selfByPackage: share(self),
    onStackByPackage: share(onStack),
    topFunctions: share(functions),
    batonOnStack: share(batonFunctions),
  };
}
