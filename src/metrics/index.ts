/** Metrics: counters and gauges of a node, Prometheus text or a plain object. */
export { metrics, MetricsService, transportOf, valueOf, type MetricsOptions, type MetricsSnapshot, type FamilySnapshot } from './service.js'
export { Registry, Family, Series, MAX_SERIES_PER_FAMILY, type MetricType } from './registry.js'
export { PROMETHEUS_CONTENT_TYPE, escapeLabelValue, escapeHelp } from './prometheus.js'
