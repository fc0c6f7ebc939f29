export { loadConfig, ConfigError, defaultQueuePrefix, type BatonConfig, type OidcConfig } from './config.js';
export { CONFIG_VARIABLES, DEFAULT_OUTBOUND_DENY } from './config.schema.js';
