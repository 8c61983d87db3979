/** `arbiter identify`: which model family is really behind an endpoint. */
export { identifyEndpoint, planRequests, type IdentifyOptions, type IdentifyReport } from './identify-endpoint.js';
export { renderReport } from './render-report.js';
export { compareFingerprints } from './fingerprint.js';
export { CONFIDENT_PROBABILITY, type Verdict } from './verdict.js';
export type { EndpointFormat, EndpointTarget } from './endpoint.js';
export { recordIdentification } from './record-identification.js';
