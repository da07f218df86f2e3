/** The gossipsub topic of the demo chat: the page's tabs and `wasp2p start` all join it. */
export const DEMO_CHAT_TOPIC = 'wasp2p-demo-chat'
