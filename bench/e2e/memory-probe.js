// What a peer process reports on "mem" (Node only; bench/e2e/memory.js reads it):
// its memory after full GCs (the process runs with --expose-gc), in bytes. Besides
// process.memoryUsage(), the V8 spaces' committed sizes, because RSS above the heap
// in use is mostly V8's committed-but-free heap (the young generation's semi-spaces
// grow with the allocation rate and stay grown).
import v8 from 'node:v8'

export async function memoryAfterGc () {
  for (let i = 0; i < 3; i++) { globalThis.gc?.(); await new Promise(resolve => setTimeout(resolve, 100)) }
  const { rss, heapTotal, heapUsed, arrayBuffers, external } = process.memoryUsage()
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map(s => [s.space_name, { size: s.space_size, used: s.space_used_size }]))
  return { rss, heapTotal, heapUsed, arrayBuffers, external, spaces }
}
