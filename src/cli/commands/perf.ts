/**
 * `wasp2p perf <multiaddr> --upload N --download N`: one /perf/1.0.0 exchange
 * (perf spec: send the 8-byte requested size, upload, half-close, download)
 * against a peer that serves perf (`wasp2p start` does), and the throughput
 * each way as measured by this client.
 */
import { PERF_MAX_DOWNLOAD_BYTES, PERF_PROTOCOL } from '../../protocols/perf/constants.js'
import { perf } from '../../protocols/perf/client.js'
import { parseArgs, type OptionSpecs } from '../args.js'
import { dialOrExit, openStreamOrExit, parseTarget, protocolFailure, withClientNode } from '../dial.js'
import { EXIT_CODE_HELP, EXIT_OK, UsageError } from '../exit-codes.js'
import type { Output } from '../output.js'
import { formatBytes, formatRate, parseByteSize } from '../units.js'

export const PERF_HELP = `Usage: wasp2p perf <multiaddr> [--upload SIZE] [--download SIZE]

Connects to the peer at <multiaddr> and runs one ${PERF_PROTOCOL} exchange: uploads SIZE
bytes, then downloads SIZE bytes, and prints the throughput each way. The peer must
serve ${PERF_PROTOCOL} (a \`wasp2p start\` node does; a wasp2p node serves at most
${formatBytes(PERF_MAX_DOWNLOAD_BYTES)} per request).

Sizes are bytes, or a number with a unit: 64KiB, 10MiB, 1GiB, 500kB, 1.5MB.

Options:
  -u, --upload SIZE    bytes to send (default 0)
  -d, --download SIZE  bytes to ask for (default 0)
  -h, --help           this text

Example:
  wasp2p perf /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --upload 10MiB --download 10MiB

${EXIT_CODE_HELP}`

const SPECS: OptionSpecs = {
  upload: { type: 'string', short: 'u' },
  download: { type: 'string', short: 'd' },
  help: { type: 'boolean', short: 'h' }
}

export async function perfCommand (argv: readonly string[], out: Output): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS)
  if (options.help === true) { out.log(PERF_HELP); return EXIT_OK }
  const upload = typeof options.upload === 'string' ? parseByteSize(options.upload, '--upload') : 0
  const download = typeof options.download === 'string' ? parseByteSize(options.download, '--download') : 0
  if (upload === 0 && download === 0) throw new UsageError('give --upload and/or --download a size above 0')
  if (positionals.length > 1) throw new UsageError(`perf takes one multiaddr, got ${positionals.length}`)
  const addr = parseTarget(positionals[0])

  return await withClientNode(async node => {
    const connection = await dialOrExit(node, addr)
    const stream = await openStreamOrExit(connection, PERF_PROTOCOL)
    out.log(`PERF ${addr.toString()}`)
    let result
    try {
      result = await perf(stream, { upload, download })
    } catch (err) {
      throw protocolFailure(err, connection, PERF_PROTOCOL, `perf with ${connection.remotePeer.toString()}`)
    }
    const t = result.timings
    out.log(`upload:   ${formatBytes(result.uploadBytes)} in ${t.upload.toFixed(1)} ms, ${formatRate(result.uploadBytes, t.upload)}`)
    out.log(`download: ${formatBytes(result.downloadBytes)} in ${t.download.toFixed(1)} ms, ${formatRate(result.downloadBytes, t.download)} (first byte after ${t.firstByte.toFixed(1)} ms)`)
    out.log(`total:    ${t.total.toFixed(1)} ms`)
    return EXIT_OK
  })
}
