import { tcp } from '../../dist/transport/index.js'
import { transportCompliance } from './compliance.js'

transportCompliance('tcp ip4', { transport: tcp, listenAddr: '/ip4/127.0.0.1/tcp/0', halfClose: true }).run()
transportCompliance('tcp ip6', { transport: tcp, listenAddr: '/ip6/::1/tcp/0', halfClose: true }).run()
