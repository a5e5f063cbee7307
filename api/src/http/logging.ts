/** Log paths that carry credentials: API keys, session cookies, the CSRF token. */
export const LOG_REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];
