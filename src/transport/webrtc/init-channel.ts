/**
 * webrtc.md "Connection Establishment" step 8, the dialer closing `init`.
 *
 * Close `init` and wait for its close, so that its id is not reused
 * while the remote still sees it. The remote may close it first: js-libp2p's
 * listener does so within milliseconds of opening, often while we are still
 * checking the certificate, so by now its `open` and `close` events may both
 * have fired. Waiting on them then would hang the dial, hence the state check.
 */
export async function closeInitChannel (init: Pick<RTCDataChannel, 'readyState' | 'close' | 'addEventListener'>): Promise<void> {
  if (init.readyState === 'closed') return
  const closed = new Promise<void>(resolve => { init.addEventListener('close', () => { resolve() }, { once: true }) })
  if (init.readyState === 'connecting') {
    await new Promise<void>(resolve => { init.addEventListener('open', () => { resolve() }, { once: true }); void closed.then(resolve) })
  }
  // `closing` needs no call: the close it leads to is awaited all the same.
  if (init.readyState === 'open') init.close()
  await closed
}
