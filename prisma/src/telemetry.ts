// OpenTelemetry tracing, off unless configured: `startTracing` registers a tracer provider when
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, or when a test hands
// it an exporter. Until then every helper below is a no-op that costs one boolean test, so the
// hot paths pay nothing with tracing off.
//
// The spans: the API's HTTP server span → the route's use case → the tenant transaction → each
// SQL statement or pipeline; the transaction carries the W3C `traceparent` into Postgres
// (`app.trace_parent`), where outbox events and webhook deliveries keep it, so the worker's
// delivery span links back to the request that caused the event.
import {
  context,
  propagation,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export { SpanKind };
export type { Span, Link };

let enabled = false;
let provider: NodeTracerProvider | null = null;
const TRACER = 'unionpoint';

export interface TracingOptions {
  serviceName: string;
  /** A test's exporter (spans exported one by one); otherwise OTLP over HTTP from the environment. */
  exporter?: SpanExporter;
  env?: NodeJS.ProcessEnv;
}

/** True when startTracing registered a provider. */
export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Registers the tracer provider (AsyncLocalStorage context, W3C trace context) when an exporter
 * is configured; returns whether tracing is on. OTEL_SERVICE_NAME overrides the service name.
 */
export async function startTracing(options: TracingOptions): Promise<boolean> {
  const env = options.env ?? process.env;
  if (enabled) return true;
  let exporter = options.exporter;
  if (!exporter) {
    if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
    if (env.OTEL_SDK_DISABLED === 'true') return false;
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter();
  }
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || options.serviceName }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  enabled = true;
  return true;
}

/** Flushes and unregisters (graceful shutdown; tests). */
export async function stopTracing(): Promise<void> {
  if (!provider) return;
  const p = provider;
  provider = null;
  enabled = false;
  await p.forceFlush().catch(() => {});
  await p.shutdown().catch(() => {});
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Runs `fn` in a new active span (a child of the current one); a throw marks the span an error. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span | null) => Promise<T>,
  options: { kind?: SpanKind; links?: Link[] } = {},
): Promise<T> {
  if (!enabled) return fn(null);
  return trace
    .getTracer(TRACER)
    .startActiveSpan(name, { attributes, kind: options.kind ?? SpanKind.INTERNAL, links: options.links ?? [] }, async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
        throw err;
      } finally {
        span.end();
      }
    });
}

/** The HTTP server span of one request, continuing a caller's `traceparent` header. */
export function startServerSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
): { span: Span; run<T>(fn: () => T): T } | null {
  if (!enabled) return null;
  const parent = propagation.extract(context.active(), headers);
  const span = trace.getTracer(TRACER).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return { span, run: (fn) => context.with(active, fn) };
}

/** Marks a span failed (HTTP 5xx) without an exception. */
export function markSpanError(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The active span's W3C `traceparent`, or null (tracing off, or no span). */
export function currentTraceparent(): string | null {
  if (!enabled) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** A span link to the trace a stored `traceparent` names (null when absent or malformed). */
export function linkTo(traceparent: string | null | undefined, attributes: Attributes = {}): Link | null {
  if (!traceparent) return null;
  const m = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(traceparent);
  if (!m) return null;
  const spanContext: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return { context: spanContext, attributes };
}

/** The SQL statement's first word, for span names (`SELECT`, `INSERT`, `WITH`…). */
export function sqlOperation(text: string): string {
  const m = /^\s*(?:\/\*[\s\S]*?\*\/\s*)?([A-Za-z]+)/.exec(text);
  return (m?.[1] ?? 'SQL').toUpperCase();
}

/** Statement text as a span attribute: bounded, so a long CTE does not bloat every span. */
export function statementAttribute(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
