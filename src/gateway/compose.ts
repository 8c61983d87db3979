/**
 * The middleware engine, Hono's shape: each middleware gets `next()` to run the rest of the
 * chain, may call it once, and errors bubble to the caller (the server's error handler).
 */
import type { GatewayContext, Handler, Middleware } from './context.js';

export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  return (ctx: GatewayContext) => {
    let lastIndex = -1;
    const dispatch = (index: number): Promise<void> => {
      if (index <= lastIndex) return Promise.reject(new Error('next() called more than once'));
      lastIndex = index;
      if (index === middleware.length) return handler(ctx);
      const current = middleware[index]!;
      return current(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
