// The service contract (src/node/service.ts): a user's own protocol service started with
// the node, used over a connection and stopped with it; start order from declared needs,
// reverse stop, a failing start that stops what had started, and named errors for
// missing needs and cycles. Runs on the in-memory transport (Node and Chromium).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  createNode, service, ServiceStartError, ServiceDependencyError, ServiceDisabledError, IDENTIFY_PROTOCOL, PING_PROTOCOL
} from '../../dist/index.js'
import { memory } from '../../dist/transport/index.js'

const mem = options => createNode({ transports: [memory()], listen: ['/memory/0'], ...options })
const enc = new TextEncoder()
const dec = new TextDecoder()

/** A user-written service: answers /shout/1.0.0 with the request in capitals, and can ask a peer. */
function shoutService ({ protocol = '/shout/1.0.0' } = {}) {
  return service(host => {
    let served = 0
    return {
      get served () { return served },
      start () {
        host.handle(protocol, async stream => {
          const parts = []
          for await (const chunk of stream) parts.push(dec.decode(chunk, { stream: true }))
          served++
          await stream.write(enc.encode(parts.join('').toUpperCase()))
          await stream.close()
        })
      },
      stop () { host.unhandle(protocol) },
      async shout (target, text) {
        const stream = await host.dialProtocol(target, protocol)
        await stream.write(enc.encode(text))
        await stream.closeWrite()
        let answer = ''
        for await (const chunk of stream) answer += dec.decode(chunk, { stream: true })
        return answer
      }
    }
  })
}

test('a user-written service is started with the node, used over a connection, and stopped with it', async () => {
  const a = await mem({ services: { shout: shoutService() } })
  const b = await mem({ services: { shout: shoutService() } })
  try {
    assert.ok(b.getProtocols().includes('/shout/1.0.0'))
    assert.ok(b.getProtocols().includes(IDENTIFY_PROTOCOL), 'the defaults still run beside it')
    assert.is(await a.services.shout.shout(b.getMultiaddrs()[0], 'hello'), 'HELLO')
    assert.is(b.services.shout.served, 1)
  } finally {
    await a.stop()
    await b.stop()
  }
  assert.not.ok(b.getProtocols().includes('/shout/1.0.0'), 'its stop() ran with the node\'s')
})

test('start order follows needs, stop runs in reverse, afterStart runs once the node listens', async () => {
  const log = []
  const traced = (name, needs) => service(host => ({
    start () { log.push(`start ${name}`); for (const need of needs ?? []) assert.ok(host.services[need] !== undefined) },
    afterStart () { log.push(`after ${name} ${host.getMultiaddrs().length}`) },
    stop () { log.push(`stop ${name}`) }
  }), needs)
  // Declared out of order on purpose: c needs b, b needs a.
  const node = await mem({ services: { c: traced('c', ['b']), a: traced('a'), b: traced('b', ['a']) } })
  assert.equal(log, ['start a', 'start b', 'start c', 'after a 1', 'after b 1', 'after c 1'])
  log.length = 0
  await node.stop()
  assert.equal(log, ['stop c', 'stop b', 'stop a'])
})

test('a service whose start() throws stops the ones already started and fails start() with ServiceStartError', async () => {
  const log = []
  const boom = new Error('no database')
  const err = await mem({
    services: {
      first: service(() => ({ start () { log.push('start first') }, stop () { log.push('stop first') } })),
      broken: service(() => ({ start () { throw boom }, stop () { log.push('stop broken') } }), ['first'])
    }
  }).then(() => undefined, e => e)
  assert.instance(err, ServiceStartError)
  assert.is(err.name, 'ServiceStartError')
  assert.is(err.service, 'broken')
  assert.is(err.cause, boom)
  assert.equal(log, ['start first', 'stop first'], 'only the started service is stopped')
})

test('a need that is not there, and needs in a cycle, are ServiceDependencyError', async () => {
  const lonely = await mem({ services: { dht: service(() => ({}), ['identify']), identify: false } }).then(() => undefined, e => e)
  assert.instance(lonely, ServiceDependencyError)
  assert.match(lonely.message, /needs identify/)
  const cycle = await mem({ services: { x: service(() => ({}), ['y']), y: service(() => ({}), ['x']) } }).then(() => undefined, e => e)
  assert.instance(cycle, ServiceDependencyError)
  assert.match(cycle.message, /cycle/)
})

test('false removes a default; services: false runs none; ping on a node without it is ServiceDisabledError', async () => {
  const noPing = await mem({ services: { ping: false } })
  const bare = await mem({ services: false })
  try {
    assert.not.ok(noPing.getProtocols().includes(PING_PROTOCOL))
    assert.ok(noPing.getProtocols().includes(IDENTIFY_PROTOCOL))
    assert.equal(bare.getProtocols(), [])
    assert.equal(Object.keys(bare.services), [])
    const err = await noPing.ping(bare.getMultiaddrs()[0]).then(() => undefined, e => e)
    assert.instance(err, ServiceDisabledError)
  } finally {
    await noPing.stop()
    await bare.stop()
  }
})

test.run()
