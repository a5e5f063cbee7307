// The security headers (helmet's, with the API's CSP), set per request from the list helmet
// produced once at start-up: with static directives helmet sets the same headers on every
// response, and running its fourteen middlewares per request is pure cost on the hot paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export const API_HELMET: Readonly<HelmetOptions> = {
  contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } },
};

/** What helmet does to a response with these options: the headers it sets and removes, in order. */
export function helmetHeaders(options: Readonly<HelmetOptions>): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string value`);
      set.push([name, value]);
      return this;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  // A directive computed per request (a nonce function) makes the headers vary: refused.
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' && csp ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((d) => typeof d === 'function' || (Array.isArray(d) && d.some((v) => typeof v === 'function')))) {
    throw new Error('a Content-Security-Policy directive is a function: its headers are not static');
  }
  const req = new Proxy(
    {},
    {
      get: (_t, prop) => {
        throw new Error(`helmet read req.${String(prop)}: its headers are not static`);
      },
    },
  );
  let outcome: unknown = 'not called';
  helmet(options)(req as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    outcome = err ?? null;
  });
  if (outcome !== null) throw new Error(`helmet did not finish synchronously: ${String(outcome)}`);
  return { set, removed };
}

export function securityHeaders(options: Readonly<HelmetOptions> = API_HELMET): RequestHandler {
  const { set, removed } = helmetHeaders(options);
  return (_req, res, next) => {
    for (let i = 0; i < set.length; i++) res.setHeader(set[i]![0], set[i]![1]);
    for (let i = 0; i < removed.length; i++) res.removeHeader(removed[i]!);
    next();
  };
}
