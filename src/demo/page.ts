/**
 * The demo page served by `wasp2p start`: static markup only; app.js (the
 * bundled in-browser node, ./app.ts) fills it in. Plain DOM, no framework.
 * Rows carry data-* attributes (status, rtt) so tests read state, not prose.
 */
export const DEMO_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wasp2p demo</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
  h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .3rem; }
  code, td { font-family: ui-monospace, monospace; font-size: 13px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
  dt { color: #666; }
  table { border-collapse: collapse; margin-top: 1rem; }
  th, td { text-align: left; padding: .3rem .7rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  tr[data-status="connected"] .status { color: #080; }
  tr[data-status="failed"] .status { color: #b00; }
  .addr { max-width: 28rem; overflow-wrap: anywhere; color: #555; }
  #log { color: #666; font-size: 13px; white-space: pre-wrap; }
  #chat ul { list-style: none; padding: 0; max-height: 16rem; overflow-y: auto; border: 1px solid #ddd; min-height: 4rem; }
  #chat li { padding: .15rem .5rem; font-family: ui-monospace, monospace; font-size: 13px; }
  #chat li[data-self] { color: #036; }
</style>
</head>
<body>
<h1>wasp2p in the browser</h1>
<p>A wasp2p node runs in this page. It dials the peers below over WebSockets
(Noise, yamux), identifies them and pings each once a second.</p>
<dl>
  <dt>this node</dt><dd><code id="self-peer-id">starting…</code></dd>
  <dt>crypto backend</dt><dd><code id="backend">…</code></dd>
  <dt>status</dt><dd id="status">loading</dd>
  <dt>WebRTC address</dt><dd><code id="self-webrtc-addr">…</code></dd>
</dl>
<p>Open this page in another tab and paste that tab's WebRTC address here to connect the two
browsers directly (the signaling goes through the relay, the data does not):</p>
<form id="dial-form"><input id="dial-input" size="80" placeholder="/ip4/…/p2p-circuit/webrtc/p2p/…"> <button>dial</button></form>
<table>
  <thead><tr><th>peer</th><th>status</th><th>via</th><th>RTT</th><th>pings</th><th>agent</th><th>echo</th><th>address</th></tr></thead>
  <tbody id="peers"></tbody>
</table>
<section id="chat">
<h2>chat</h2>
<p>Messages on the gossipsub topic <code>wasp2p-demo-chat</code>, through the peers above:
open a second tab, or run <code>wasp2p pubsub sub wasp2p-demo-chat -p &lt;node address&gt;</code>.
<span id="chat-status"></span></p>
<ul id="chat-messages"></ul>
<form id="chat-form"><input id="chat-input" maxlength="500" placeholder="say something" autocomplete="off"> <button id="chat-send">send</button></form>
</section>
<h2>direct chat with browser peers (WebRTC)</h2>
<form id="direct-chat-form"><input id="direct-chat-input" size="60" placeholder="a message to every tab connected over WebRTC"> <button>send</button></form>
<ul id="direct-chat-log"></ul>
<p id="log"></p>
<script type="module" src="/app.js"></script>
</body>
</html>
`
