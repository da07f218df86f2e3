export { Kernel, init, initSync, type KernelExports, type KernelInstance, type KernelBuilds } from './kernel.js'
export { useBackend, requestedBackend, type Backend, type BackendChoice } from './backend.js'
export { WasmAbortError, BackendUnavailableError } from './errors.js'
export { enableScalarKernels, type ScalarBuild, type ScalarKernels } from './scalar.js'
