export const BATON_CONFIG = Symbol('BATON_CONFIG');
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');
export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');
