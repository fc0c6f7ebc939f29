// What `npm start` composes into one process with the worker.
export { ApiModule } from './api.module.js';
export { createHttpApp } from './api.app.js';
