// Several statements in one round trip on a pg connection, as named prepared statements:
// Parse (first time on the connection) / Bind / Describe (first time) / Execute for each, then
// one Sync.
// Postgres runs them in order; each Execute takes its own snapshot (READ COMMITTED); the first
// error makes the server skip the rest up to the Sync. node-postgres sends one query at a time,
// so this is a custom "submittable" it queues like any other query.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { inSpan, SpanKind, sqlOperation, statementAttribute, tracingEnabled } from './telemetry.ts';

/** node-postgres's own parameter serialisation (what it sends for a value); not in @types/pg. */
const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

/**
 * The protocol serialiser node-postgres itself uses (its pg-protocol, resolved from pg): the
 * pipeline's messages are built with it and written to the socket as one buffer, not as four
 * stream writes per statement.
 */
const protocol = createRequire(createRequire(import.meta.url).resolve('pg'))('pg-protocol') as {
  serialize: {
    parse(q: { text: string; name: string; types: number[] }): Buffer;
    bind(c: { portal: string; statement: string; values: unknown[]; binary: boolean; valueMapper: (v: unknown) => unknown }): Buffer;
    describe(m: { type: 'P' | 'S'; name: string }): Buffer;
    execute(c: { portal: string; rows: number }): Buffer;
    sync(): Buffer;
  };
};
const DESCRIBE_PORTAL = protocol.serialize.describe({ type: 'P', name: '' });
const EXECUTE_ALL = protocol.serialize.execute({ portal: '', rows: 0 });
const SYNC = protocol.serialize.sync();

export interface PipelineStatement {
  text: string;
  values: unknown[];
  /**
   * false: sent as the unnamed statement (parsed every time), for texts that vary with their
   * values (withTenant's literal `SET LOCAL app.tenant_id = '…'`) and must not fill the
   * connection's named statements.
   */
  named?: boolean;
}

/** What one statement returned, as node-postgres gives it (fields, rows as arrays of raw text). */
export interface RawResult {
  fields: { name: string; dataTypeID: number; format?: string }[];
  rows: (string | null)[][];
  command: string | null;
  rowCount: number | null;
}

type Connection = {
  parsedStatements: Record<string, string>;
  stream: { writable: boolean; write(chunk: Buffer): boolean };
};

/** Named statements per connection: at most this many distinct texts each, then unnamed. */
const MAX_PREPARED = 256;
const names = new Map<string, string>();
const preparedOn = new WeakMap<object, Set<string>>();
/**
 * The result columns of each prepared statement of a connection, learned from its first
 * Describe: a prepared statement's row shape cannot change while it exists (Postgres fails
 * "cached plan must not change result type" instead), so later executions skip the Describe
 * and the server does not send the same RowDescription again.
 */
const describedOn = new WeakMap<object, Map<string, RawResult['fields']>>();

/**
 * The prepared-statement name for `text` on `conn`, or '' (unnamed) past the per-connection
 * cap: generated SQL with varying shapes must not grow the server's statement cache forever.
 */
export function statementName(conn: object, text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `up_${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    if (names.size < 20_000) names.set(text, name);
  }
  let known = preparedOn.get(conn);
  if (!known) preparedOn.set(conn, (known = new Set()));
  if (known.has(name)) return name;
  if (known.size >= MAX_PREPARED) return '';
  known.add(name);
  return name;
}

/**
 * Forgets every prepared statement of a connection after a pipeline failed part-way (which of
 * its Parse messages took effect is unknown): DEALLOCATE ALL on the server, and the client's
 * bookkeeping cleared. Outside a transaction block.
 */
export async function resetPrepared(conn: pg.PoolClient): Promise<void> {
  await conn.query('DEALLOCATE ALL');
  const connection = (conn as unknown as { connection: Connection }).connection;
  connection.parsedStatements = {};
  preparedOn.get(conn)?.clear();
  describedOn.get(conn)?.clear();
}

class Pipeline {
  private readonly results: RawResult[] = [];
  private current: RawResult = { fields: [], rows: [], command: null, rowCount: null };
  private readonly parsing: [string, string][] = [];
  /** Per statement: the columns already known for it (no Describe sent), else undefined. */
  private readonly knownFields: (RawResult['fields'] | undefined)[] = [];
  /** Statements described in this pipeline by name and index: their columns are kept on success. */
  private readonly describing: [string, number][] = [];
  private done = false;
  private readonly callback: (err: Error | null, results: RawResult[], parsedSome: boolean) => void;
  private readonly client: object;
  private readonly statements: PipelineStatement[];

  constructor(
    client: object,
    statements: PipelineStatement[],
    callback: (err: Error | null, results: RawResult[], parsedSome: boolean) => void,
  ) {
    this.client = client;
    this.statements = statements;
    this.callback = callback;
  }

  submit(connection: Connection): Error | null {
    let messages: Buffer[];
    try {
      messages = this.messages(connection);
    } catch (e) {
      // A value that cannot be serialised: nothing was written, the connection is as it was
      // (node-postgres reports the error and goes on with its queue).
      this.parsing.length = 0;
      return e instanceof Error ? e : new Error(String(e));
    }
    // As node-postgres's own sends: nothing is written to a stream that is no longer writable
    // (the connection's error or end event fails the query).
    if (connection.stream.writable) connection.stream.write(Buffer.concat(messages));
    return null;
  }

  private messages(connection: Connection): Buffer[] {
    const messages: Buffer[] = [];
    const described = describedOn.get(this.client);
    for (let i = 0; i < this.statements.length; i++) {
      const s = this.statements[i]!;
      const name = s.named === false ? '' : statementName(this.client, s.text);
      // Parse once: the same text may come twice in one pipeline (two credits of an order).
      if (!name || (connection.parsedStatements[name] === undefined && !this.parsing.some(([n]) => n === name))) {
        messages.push(protocol.serialize.parse({ text: s.text, name, types: [] }));
        if (name) this.parsing.push([name, s.text]);
      }
      const fields = name ? described?.get(name) : undefined;
      messages.push(
        protocol.serialize.bind({ portal: '', statement: name, values: s.values, binary: false, valueMapper: pgUtils.prepareValue }),
      );
      if (fields === undefined) {
        messages.push(DESCRIBE_PORTAL);
        if (name) this.describing.push([name, i]);
      }
      messages.push(EXECUTE_ALL);
      this.knownFields.push(fields);
    }
    messages.push(SYNC);
    return messages;
  }

  handleRowDescription(msg: { fields: RawResult['fields'] }): void {
    this.current.fields = msg.fields;
  }

  handleDataRow(msg: { fields: (string | null)[] }): void {
    this.current.rows.push(msg.fields);
  }

  /** The statement whose result ends now: its columns from the cache when it was not described. */
  private complete(): void {
    const known = this.knownFields[this.results.length];
    if (known) this.current.fields = known;
    this.results.push(this.current);
    this.current = { fields: [], rows: [], command: null, rowCount: null };
  }

  handleCommandComplete(msg: { text: string }): void {
    const [command, ...rest] = msg.text.split(' ');
    const count = Number(rest[rest.length - 1]);
    this.current.command = command ?? null;
    this.current.rowCount = Number.isFinite(count) ? count : null;
    this.complete();
  }

  handleEmptyQuery(): void {
    this.complete();
  }

  handlePortalSuspended(): void {}

  handleCopyInResponse(): void {}

  handleCopyData(): void {}

  handleError(err: Error): void {
    if (this.done) return;
    this.done = true;
    // Some Parse messages before the failing statement may have taken effect: the caller
    // resets the connection's prepared statements (resetPrepared).
    this.callback(err, this.results, this.parsing.length > 0);
  }

  handleReadyForQuery(connection: Connection): void {
    if (this.done) return;
    this.done = true;
    for (const [name, text] of this.parsing) connection.parsedStatements[name] = text;
    if (this.describing.length > 0) {
      let described = describedOn.get(this.client);
      if (!described) describedOn.set(this.client, (described = new Map()));
      for (const [name, i] of this.describing) {
        const result = this.results[i];
        if (result) described.set(name, result.fields);
      }
    }
    this.callback(null, this.results, false);
  }
}

/** Runs the statements in one round trip; rejects with the first error (the rest did not run). */
export function runPipeline(conn: pg.PoolClient, statements: PipelineStatement[]): Promise<{ results: RawResult[] }> {
  if (!tracingEnabled()) return runPipelineUntraced(conn, statements);
  const ops = statements.map((st) => sqlOperation(st.text));
  return inSpan(
    statements.length === 1 ? ops[0]! : `pipeline ${statements.length}`,
    {
      'db.system': 'postgresql',
      'db.statement': statementAttribute(statements.map((st) => st.text).join(';\n')),
      'unionpoint.statements': statements.length,
    },
    () => runPipelineUntraced(conn, statements),
    { kind: SpanKind.CLIENT },
  );
}

function runPipelineUntraced(conn: pg.PoolClient, statements: PipelineStatement[]): Promise<{ results: RawResult[] }> {
  return new Promise((resolve, reject) => {
    const pipeline = new Pipeline(conn, statements, (err, results, parsedSome) => {
      if (err) reject(Object.assign(err, { pipelineParsedSome: parsedSome }));
      else resolve({ results });
    });
    (conn as unknown as { query(submittable: unknown): void }).query(pipeline);
  });
}
