/**
 * `wasp2p dht <op> …`: one Kademlia operation against a running network, from a
 * short-lived client node that joins through `--bootstrap` peers (kad-dht spec; the
 * node's DHT is src/dht/service.ts). Keys and values are UTF-8 text unless `--hex`.
 */
import { CID } from 'multiformats/cid'
import { createNode } from '../../node/node.js'
import { kadDht } from '../../dht/service.js'
import { integerOption, parseArgs, type OptionSpecs } from '../args.js'
import { CliError, EXIT_CODE_HELP, EXIT_FAILURE, EXIT_OK, UsageError } from '../exit-codes.js'
import type { Output } from '../output.js'

/** Time one operation may take, ms, unless `--timeout` says otherwise. */
export const DEFAULT_DHT_TIMEOUT_MS = 30_000

export const DHT_HELP = `Usage: wasp2p dht <operation> [arguments] --bootstrap <multiaddr>... [options]

Operations:
  find-peer <peer-id>        the peer's addresses
  closest <key>              the 20 peers closest to the key
  get <key>                  the best value stored under the key
  put <key> <value>          store a value under the key at the closest peers
  provide <cid>              announce this (short-lived) node as a provider of <cid>
  find-providers <cid>       the providers of <cid>

Options:
  -b, --bootstrap MULTIADDR  a DHT server to join through, with /p2p/<id> (repeatable, required)
  --listen MULTIADDR         listen here (makes the node a DHT server; provide needs it to be reachable)
  --accept NAMESPACE         accept any value under /NAMESPACE/ (validator: any; selector: first); repeatable
  --protocol ID              DHT protocol id (default /ipfs/kad/1.0.0)
  --hex                      keys and values are hex, and values are printed as hex
  --timeout MS               per-operation timeout in ms (default ${DEFAULT_DHT_TIMEOUT_MS})
  -h, --help                 this text

Example:
  wasp2p dht put /test/greeting hello --accept test -b /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...

${EXIT_CODE_HELP}`

const SPECS: OptionSpecs = {
  bootstrap: { type: 'strings', short: 'b' },
  listen: { type: 'strings' },
  accept: { type: 'strings' },
  protocol: { type: 'string' },
  hex: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
}

const ARITY: Record<string, number> = { 'find-peer': 1, closest: 1, get: 1, put: 2, provide: 1, 'find-providers': 1 }

function fromHex (text: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(text)) throw new UsageError(`not hex: ${text}`)
  return Uint8Array.from(text.match(/../g) ?? [], h => parseInt(h, 16))
}
const toHex = (bytes: Uint8Array): string => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

export async function dhtCommand (argv: readonly string[], out: Output): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS)
  if (options.help === true || positionals.length === 0) { out.log(DHT_HELP); return options.help === true ? EXIT_OK : 2 }
  const [op, ...args] = positionals as [string, ...string[]]
  if (!(op in ARITY)) throw new UsageError(`unknown dht operation "${op}"`)
  if (args.length !== ARITY[op]) throw new UsageError(`dht ${op} takes ${ARITY[op]} argument(s), got ${args.length}`)
  const bootstrap = options.bootstrap as string[] | undefined
  if (bootstrap === undefined) throw new UsageError('dht needs at least one --bootstrap peer')
  const hex = options.hex === true
  const bytes = (text: string): Uint8Array => hex ? fromHex(text) : new TextEncoder().encode(text)
  const show = (value: Uint8Array): string => hex ? toHex(value) : new TextDecoder().decode(value)
  const timeout = integerOption(options, 'timeout', DEFAULT_DHT_TIMEOUT_MS, { min: 1 })
  const accept = (options.accept as string[] | undefined) ?? []
  const listen = (options.listen as string[] | undefined) ?? []

  const node = await createNode({
    listen,
    services: {
      dht: kadDht({
      mode: listen.length > 0 ? 'server' : 'client',
      bootstrap,
      refreshIntervalMs: 0,
      recordRepublishIntervalMs: 0,
      providerRepublishIntervalMs: 0,
      ...(typeof options.protocol === 'string' ? { protocol: options.protocol } : {}),
      validators: Object.fromEntries(accept.map(ns => [ns, () => {}])),
      selectors: Object.fromEntries(accept.map(ns => [ns, () => 0]))
      })
    }
  })
  const dht = node.services.dht
  const signal = AbortSignal.timeout(timeout)
  try {
    switch (op) {
      case 'find-peer': {
        const info = await dht.findPeer(args[0]!, { signal })
        for (const addr of info.multiaddrs) out.log(addr.toString())
        break
      }
      case 'closest':
        for await (const id of dht.getClosestPeers(bytes(args[0]!), { signal })) out.log(id.toString())
        break
      case 'get':
        out.log(show(await dht.get(bytes(args[0]!), { signal })))
        break
      case 'put':
        await dht.put(bytes(args[0]!), bytes(args[1]!), { signal })
        out.log('stored')
        break
      case 'provide':
        await dht.provide(CID.parse(args[0]!), { signal })
        out.log('announced')
        break
      case 'find-providers':
        for await (const p of dht.findProviders(CID.parse(args[0]!), { signal })) out.log(`${p.id.toString()} ${p.multiaddrs.map(String).join(' ')}`)
        break
    }
    return EXIT_OK
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`${op} failed: ${(err as Error).message}`, EXIT_FAILURE, { cause: err })
  } finally {
    await node.stop()
  }
}
