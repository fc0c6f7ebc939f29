export { loadConfig, ConfigError, defaultQueuePrefix, type BatonConfig, type OidcConfig } from './config.js';
export { DEFAULT_OUTBOUND_DENY } from './config.schema.js';
