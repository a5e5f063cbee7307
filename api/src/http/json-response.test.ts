import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson } from './json-response.ts';

let url: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  app.set('etag', false);
  app.all('/json/:status', (req, res) =>
    sendJson(req, res, Number(req.params.status), { name: '金牌会员', n: 1, nested: { list: [1, null] } }),
  );
  app.all('/undefined', (req, res) => sendJson(req, res, 200, undefined));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('sendJson', () => {
  it('writes the body as UTF-8 JSON with its byte length, the status, and no ETag', async () => {
    const res = await fetch(`${url}/json/201`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ name: '金牌会员', n: 1, nested: { list: [1, null] } });
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
    expect(res.headers.get('etag')).toBeNull();
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const get = await fetch(`${url}/json/200`);
    const head = await fetch(`${url}/json/200`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
  });

  it('sends no body (and no content type) on 204 and 304', async () => {
    for (const status of [204, 304]) {
      const res = await fetch(`${url}/json/${status}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBeNull();
      expect(await res.text()).toBe('');
    }
  });

  it('sends null for a body that JSON cannot represent', async () => {
    const res = await fetch(`${url}/undefined`);
    expect(await res.text()).toBe('null');
  });
});
