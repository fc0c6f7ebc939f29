// What `npm start` composes into one process with the api.
export { WorkerModule } from './worker.module.js';
