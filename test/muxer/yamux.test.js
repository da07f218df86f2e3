// The muxer compliance suite against yamux, on each scanner backend.
import { muxerCompliance } from './compliance.js'
import { yamux } from '../../dist/muxer/yamux/index.js'

muxerCompliance('yamux', yamux()).run()
