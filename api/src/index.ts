export { createApp, listen } from './app.ts';
export { loadConfig } from './config.ts';
export type { ApiConfig } from './config.ts';
export type { ApiDeps } from './http/deps.ts';
export { buildRoutes } from './routes/index.ts';
export { openApiDocument } from './http/openapi.ts';
export { startConfigListener } from './http/config-listener.ts';
export { ApiKeyCache } from './http/api-key-cache.ts';
