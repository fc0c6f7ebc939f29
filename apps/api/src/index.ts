// What `npm start` composes into one process with the worker.
export { ApiModule } from './api.module.js';
export { createHttpApp } from './api.app.js';
export { HttpDrain, stopHttpApp, stopOnSignal } from './http/lifecycle/http-drain.js';
// The rate limit's counts, in this process and shared in Redis (test/integration drives them on a real Redis).
export { RateLimiter } from './http/limits/rate-limiter.js';
export { RedisBuckets } from './http/limits/redis-buckets.js';
