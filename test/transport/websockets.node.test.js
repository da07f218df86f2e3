import { webSockets } from '../../dist/transport/index.js'
import { transportCompliance } from './compliance.js'

transportCompliance('websockets', { transport: webSockets, listenAddr: '/ip4/127.0.0.1/tcp/0/ws', halfClose: false }).run()
