/**
 * The demo's browser-to-browser part (webrtc.md): when the serving node runs a
 * circuit relay (`wasp2p start --relay-server`), the page's node reserves on
 * it and listens on `<relay>/p2p-circuit/webrtc`, shows that address for
 * another tab to dial, and chats with every peer it has a direct WebRTC
 * connection to (./direct-chat.ts).
 */
import type { Wasp2pNode } from '../node/node.js'
import { WEBRTC_MUXER_PROTOCOL } from '../transport/webrtc/constants.js'
import { handleChat, sendChat } from './direct-chat.js'

const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement

/** Reserves on the relay and shows the page's WebRTC address in #self-webrtc-addr. */
export async function listenForBrowsers (node: Wasp2pNode, relayAddr: string): Promise<void> {
  const el = $('self-webrtc-addr')
  el.textContent = 'reserving on the relay…'
  try {
    await node.listen(`${relayAddr}/p2p-circuit/webrtc`)
    const addr = node.getMultiaddrs().map(a => a.toString()).find(a => a.includes('/p2p-circuit/webrtc/'))
    el.textContent = addr ?? 'no address'
    if (addr !== undefined) el.dataset.addr = addr
  } catch (err) {
    el.textContent = `unavailable: ${(err as Error).message}`
  }
}

function addChatLine (from: string, text: string, direction: 'in' | 'out'): void {
  const li = document.createElement('li')
  li.dataset.from = from
  li.dataset.direction = direction
  li.textContent = `${direction === 'in' ? '←' : '→'} …${from.slice(-10)}: ${text}`
  $('direct-chat-log').prepend(li)
}

/** Answers chat streams and sends what #direct-chat-form submits to every direct WebRTC peer. */
export function startDirectChat (node: Wasp2pNode): void {
  handleChat(node, (from, text) => { addChatLine(from, text, 'in') })
  $('direct-chat-form').addEventListener('submit', event => {
    event.preventDefault()
    const input = $('direct-chat-input') as HTMLInputElement
    const text = input.value
    if (text === '') return
    input.value = ''
    const direct = node.getConnections().filter(c => c.status === 'open' && c.multiplexer === WEBRTC_MUXER_PROTOCOL)
    if (direct.length === 0) addChatLine(node.peerId.toString(), `${text} (no browser peer connected)`, 'out')
    for (const connection of direct) {
      const to = connection.remotePeer.toString()
      sendChat(connection, text).then(() => { addChatLine(to, text, 'out') }, err => { addChatLine(to, `${text} (failed: ${(err as Error).message})`, 'out') })
    }
  })
}
