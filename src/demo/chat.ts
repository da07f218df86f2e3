/**
 * The demo page's chat: gossipsub (src/pubsub) on DEMO_CHAT_TOPIC, through the
 * `wasp2p start` node the page is connected to (it joins the topic too, so it
 * relays between tabs and prints what it sees). Each message shown carries
 * data-from / data-self attributes so tests read state, not prose.
 */
import type { Gossipsub } from '../pubsub/gossipsub.js'
import { DEMO_CHAT_TOPIC } from './chat-topic.js'

/** Longest chat line the page sends, in characters (a demo, not a file transfer). */
export const MAX_CHAT_LENGTH = 500
/** Lines kept on screen; older ones are dropped. */
export const MAX_CHAT_LINES = 200

export function startChat (pubsub: Gossipsub, self: string): void {
  const list = document.getElementById('chat-messages') as HTMLUListElement
  const input = document.getElementById('chat-input') as HTMLInputElement
  const form = document.getElementById('chat-form') as HTMLFormElement
  const status = document.getElementById('chat-status') as HTMLElement

  const show = (from: string, text: string): void => {
    const li = document.createElement('li')
    li.dataset.from = from
    if (from === self) li.dataset.self = 'true'
    li.textContent = `${from === self ? 'me' : from.slice(-8)}: ${text}`
    list.append(li)
    while (list.childElementCount > MAX_CHAT_LINES) list.firstElementChild?.remove()
  }

  pubsub.subscribe(DEMO_CHAT_TOPIC)
  pubsub.addEventListener('message', e => {
    if (e.detail.topic === DEMO_CHAT_TOPIC) show(e.detail.from?.toString() ?? 'anonymous', new TextDecoder().decode(e.detail.data))
  })
  const refresh = (): void => {
    const peers = pubsub.getSubscribers(DEMO_CHAT_TOPIC).length
    status.dataset.peers = String(peers)
    status.textContent = peers === 0 ? 'waiting for a chat peer…' : `${peers} chat peer${peers === 1 ? '' : 's'}`
  }
  pubsub.addEventListener('subscription-change', refresh)
  setInterval(refresh, 1000)
  refresh()

  form.addEventListener('submit', e => {
    e.preventDefault()
    const text = input.value.trim().slice(0, MAX_CHAT_LENGTH)
    if (text === '') return
    input.value = ''
    pubsub.publish(DEMO_CHAT_TOPIC, new TextEncoder().encode(text)).then(
      reached => { show(self, text); if (reached.length === 0) status.textContent = 'sent to nobody (no chat peer yet)' },
      err => { status.textContent = `send failed: ${(err as Error).message}` })
  })
}
