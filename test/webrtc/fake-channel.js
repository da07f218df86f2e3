// A pair of in-memory stand-ins for RTCDataChannel (the part DataChannelStream
// uses: send, close, bufferedAmount, open/message/close events), so the
// stream's framing and close logic can be tested without a browser. Each
// records what it sent; `inject` delivers raw bytes as if the remote sent them.
export class FakeChannel extends EventTarget {
  label = ''
  readyState = 'open'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  binaryType = 'blob'
  /** Every message this side sent, as bytes. */
  sent = []
  peer = undefined

  send (data) {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: channel is ${this.readyState}`)
    const copy = new Uint8Array(data).slice()
    this.sent.push(copy)
    const peer = this.peer
    setTimeout(() => { peer?.inject(copy) }, 0)
  }

  /** Delivers `bytes` to this side's listeners as a received message. */
  inject (bytes) {
    if (this.readyState !== 'open') return
    const event = new Event('message')
    Object.defineProperty(event, 'data', { value: bytes.slice().buffer })
    this.dispatchEvent(event)
  }

  close () {
    if (this.readyState === 'closed') return
    this.readyState = 'closed'
    setTimeout(() => {
      this.dispatchEvent(new Event('close'))
      if (this.peer !== undefined && this.peer.readyState !== 'closed') this.peer.close()
    }, 0)
  }
}

export function channelPair () {
  const a = new FakeChannel()
  const b = new FakeChannel()
  a.peer = b
  b.peer = a
  return [a, b]
}
