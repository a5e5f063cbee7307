// node-postgres's own value serialisation (what it sends for a parameter), not in @types/pg.
declare module 'pg/lib/utils.js' {
  const utils: {
    prepareValue(value: unknown): unknown;
    escapeLiteral(text: string): string;
  };
  export default utils;
}
