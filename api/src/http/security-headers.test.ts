import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_HELMET, helmetHeaders, securityHeaders } from './security-headers.ts';

function appWith(mw: express.RequestHandler) {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Powered-By', 'something');
    next();
  });
  app.use(mw);
  app.get('/x', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

const without = (headers: Record<string, unknown>) => {
  const { date: _date, etag: _etag, ...rest } = headers;
  return rest;
};

describe('security headers', () => {
  it("are exactly helmet's headers for the API's options, on a real response", async () => {
    const viaHelmet = await request(appWith(helmet(API_HELMET))).get('/x');
    const viaList = await request(appWith(securityHeaders(API_HELMET))).get('/x');
    expect(without(viaList.headers)).toEqual(without(viaHelmet.headers));
    expect(viaList.headers['content-security-policy']).toContain("script-src 'self'");
    expect(viaList.headers['x-powered-by']).toBeUndefined();
    expect(Object.keys(viaList.headers)).toEqual(Object.keys(viaHelmet.headers));
  });

  it('follow the options given (another CSP, HSTS off)', async () => {
    const options = { contentSecurityPolicy: { directives: { 'default-src': ["'none'"] } }, strictTransportSecurity: false };
    const viaHelmet = await request(appWith(helmet(options))).get('/x');
    const viaList = await request(appWith(securityHeaders(options))).get('/x');
    expect(without(viaList.headers)).toEqual(without(viaHelmet.headers));
    expect(viaList.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuse options whose headers depend on the request', () => {
    const nonce = (_req: unknown, _res: unknown) => 'nonce-x';
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { 'script-src': [nonce as never] } } })).toThrow(/not static/);
  });
});
