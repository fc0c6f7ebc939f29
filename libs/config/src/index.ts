export {
  clusterSafePrefix,
  ConfigError,
  defaultQueuePrefix,
  hasHashTag,
  loadConfig,
  type BatonConfig,
  type HostPort,
  type OidcConfig,
  type RedisTopology,
} from './config.js';
export { CONFIG_VARIABLES, DEFAULT_OUTBOUND_DENY } from './config.schema.js';
