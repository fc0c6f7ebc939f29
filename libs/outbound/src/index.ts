export { assertOutboundAllowed, denyList, OutboundRefused } from './outbound-guard.js';
