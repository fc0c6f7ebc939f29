export { denyList, OutboundHttp, OutboundRefused, type Resolve } from './outbound-http.js';
