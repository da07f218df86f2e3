// Loaded by test/run-node.js before every test file (`node --import`): once a file's
// event loop has emptied, exit right away instead of through Node's environment
// teardown. On Node 20 that teardown was seen here to spin for ever after runs with
// many WebCrypto Ed25519 jobs (gdb: the main thread looping in
// Environment::CleanupHandles with no JS handle left, the thread pool idle), so a
// file whose tests all passed was killed at FILE_TIMEOUT_MS. Exiting from
// 'beforeExit' keeps the exit code uvu set and skips only that teardown.
process.once('beforeExit', code => { process.exit(process.exitCode ?? code) })
