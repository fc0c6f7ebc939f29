export { loadConfig, ConfigError, type BatonConfig } from './config.js';
export { DEFAULT_OUTBOUND_DENY } from './config.schema.js';
