/**
 * Runs a node's services: creates them in an order where each comes after the
 * services it needs, starts them in that order, and stops them in reverse.
 * A `start()` or `afterStart()` that throws stops every service already
 * started and fails with ServiceStartError, so a failed start leaves nothing running.
 */
import { ServiceDependencyError, ServiceStartError } from './errors.js'
import type { ServiceFactory, ServiceHost, ServiceLifecycle } from './service.js'

interface Running { name: string, instance: ServiceLifecycle }

/** Names of `factories` ordered so that every service follows its needs (a stable topological sort). */
export function startOrder (factories: ReadonlyMap<string, ServiceFactory>): string[] {
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, path: string[]): void => {
    const seen = state.get(name)
    if (seen === 'done') return
    if (seen === 'visiting') throw new ServiceDependencyError(`services need each other in a cycle: ${[...path, name].join(' → ')}`)
    const factory = factories.get(name)
    if (factory === undefined) throw new ServiceDependencyError(`service ${path.at(-1) ?? '?'} needs ${name}, which this node does not run`)
    state.set(name, 'visiting')
    for (const need of factory.needs ?? []) visit(need, [...path, name])
    state.set(name, 'done')
    order.push(name)
  }
  for (const name of factories.keys()) visit(name, [])
  return order
}

export class ServiceRunner {
  /** The service instances by name, in start order. */
  readonly instances: Record<string, unknown> = {}
  readonly #order: Running[] = []
  #started: Running[] = []

  constructor (factories: ReadonlyMap<string, ServiceFactory>, host: ServiceHost) {
    for (const name of startOrder(factories)) {
      const instance = factories.get(name)!.create(host)
      this.instances[name] = instance
      this.#order.push({ name, instance })
    }
  }

  /** `start()` of each service in order, then `afterStart()` of each (call once the node listens). */
  async start (): Promise<void> {
    for (const running of this.#order) {
      try {
        await running.instance.start?.()
      } catch (err) {
        await this.stop()
        throw new ServiceStartError(running.name, err)
      }
      this.#started.push(running)
    }
  }

  async afterStart (): Promise<void> {
    for (const running of this.#started) {
      try {
        await running.instance.afterStart?.()
      } catch (err) {
        await this.stop()
        throw new ServiceStartError(running.name, err)
      }
    }
  }

  /** `stop()` of every started service, in reverse start order; one that throws does not keep the others running. */
  async stop (): Promise<void> {
    const started = this.#started
    this.#started = []
    for (const running of started.reverse()) {
      try { await running.instance.stop?.() } catch { /* the node is stopping regardless */ }
    }
  }
}
