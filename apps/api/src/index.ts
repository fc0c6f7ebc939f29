// What `npm start` composes into one process with the worker.
export { ApiModule } from './api.module.js';
export { createHttpApp } from './api.app.js';
export { HttpDrain, stopHttpApp } from './http/lifecycle/http-drain.js';
