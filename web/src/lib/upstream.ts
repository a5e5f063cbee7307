/** Where the API listens, read at run time (not at build time). */
export function apiUrl(): string {
  return (process.env.API_URL || 'http://127.0.0.1:4000').replace(/\/$/, '');
}
