import { memory } from '../../dist/transport/index.js'
import { transportCompliance } from './compliance.js'

transportCompliance('memory', { transport: memory, listenAddr: '/memory/0', halfClose: true }).run()
