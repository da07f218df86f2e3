// js-libp2p 3 assumes Node 22. Its peer processes (never wasp2p itself) import
// this first on Node 20: Promise.withResolvers, and a global WebSocket (from
// `ws`) for dialing /ws addresses (../../shared/notes/js-libp2p-test-peer.md).
import { WebSocket } from 'ws'

if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
globalThis.WebSocket ??= WebSocket
