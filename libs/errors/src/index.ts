// @baton/errors: the application's coded errors (the domain has its own, HandoverError); the api maps each
// code to one HTTP status.
export { AppError, AppErrorCode, type FieldError } from './app.errors.js';
