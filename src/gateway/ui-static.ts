/**
 * Serves the dashboard's built assets (ui/build, committed, so `npm start` needs no build)
 * at /ui. Files are read once at start into memory with a gzip copy; hashed assets are
 * cached for a year, index.html is revalidated. A path without an extension that is not a
 * file is a view of the single-page app and gets index.html; a path that tries to leave the
 * folder is refused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ArbiterError } from '../core/errors.js';
import type { Handler } from './context.js';

export const UI_PREFIX = '/ui';
/** ui/build beside src/ and dist/: this file runs from either. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/build', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

interface Asset { body: Buffer; gzip?: Buffer; type: string; etag: string; immutable: boolean }

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const name = relative(dir, path).split(sep).join('/');
      const body = readFileSync(path);
      const type = contentTypes[extname(name)] ?? 'application/octet-stream';
      const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
      assets.set(name, {
        body, type,
        ...(compressible ? { gzip: gzipSync(body) } : {}),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        // Vite puts a content hash in every name under assets/.
        immutable: name.startsWith('assets/'),
      });
    }
  };
  walk(dir);
  return assets;
}

/** The asset path under /ui, or a 400 for anything that could name a file outside it. */
function assetPath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.slice(UI_PREFIX.length));
  } catch {
    throw new ArbiterError('invalid_request', 'Malformed percent-encoding in the path.', { param: 'path' });
  }
  const parts = decoded.split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '..' || part === '.' || part.includes('\\') || part.includes('\0'))) {
    throw new ArbiterError('invalid_request', 'The path may not leave the dashboard folder.', { param: 'path' });
  }
  return parts.join('/');
}

export function uiStaticHandler(options: { dir?: string } = {}): Handler {
  const assets = loadAssets(options.dir ?? DEFAULT_UI_DIR);
  return async function uiStatic(ctx) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new ArbiterError('invalid_request', `Method ${ctx.method} is not allowed on ${ctx.path}.`, { status: 405 });
    const name = assetPath(ctx.path);
    let asset = assets.get(name);
    // A view of the app (/ui/logs/req_1): no extension, not a file.
    if (!asset && extname(name) === '') asset = assets.get('index.html');
    if (!asset) {
      if (assets.size === 0) throw new ArbiterError('not_found', 'The dashboard is not built: run `npm run build:ui`.');
      throw new ArbiterError('not_found', `No file ${ctx.path}.`);
    }
    const headers: Record<string, string> = {
      ...ctx.responseHeaders,
      'content-type': asset.type,
      etag: asset.etag,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (asset.type.startsWith('text/html')) {
      // The page talks to its own origin only; nothing may frame it.
      headers['content-security-policy'] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
      headers['x-frame-options'] = 'DENY';
    }
    if (ctx.req.headers['if-none-match'] === asset.etag) {
      ctx.res.writeHead(304, headers);
      ctx.res.end();
      return;
    }
    const acceptEncoding = ctx.req.headers['accept-encoding'];
    const gzip = asset.gzip && typeof acceptEncoding === 'string' && /\bgzip\b/.test(acceptEncoding) ? asset.gzip : undefined;
    if (gzip) headers['content-encoding'] = 'gzip';
    const body = gzip ?? asset.body;
    headers['content-length'] = String(body.length);
    ctx.res.writeHead(200, headers);
    ctx.res.end(ctx.method === 'HEAD' ? undefined : body);
  };
}
