/** GET /metrics in Prometheus text format. */
import type { Handler } from '../context.js';

export function metricsHandler(render?: () => Promise<{ contentType: string; body: string }>): Handler {
  return async function metrics(ctx) {
    const { contentType, body } = render ? await render() : { contentType: 'text/plain; version=0.0.4', body: '' };
    ctx.res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...ctx.responseHeaders });
    ctx.res.end(body);
  };
}
