// The JSON body of a route's reply, written straight to the response: Express's res.json adds
// a weak ETag (a SHA-1 of the body) and a freshness check against If-None-Match on every
// response, which the API does not offer (app.ts turns ETags off) and which cost a measurable
// share of the hot paths' CPU.
import type { Request, Response } from 'express';

/** Status codes whose responses carry no body (RFC 9110). */
function bodiless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Sends `body` as `application/json; charset=utf-8` with its Content-Length; HEAD gets the headers only. */
export function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  if (bodiless(status)) {
    res.end();
    return;
  }
  // Encoded once: its length is the header, the same bytes are the body.
  const bytes = Buffer.from(JSON.stringify(body) ?? 'null', 'utf8');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  if (req.method === 'HEAD') res.end();
  else res.end(bytes);
}
