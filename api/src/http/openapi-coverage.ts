/**
 * What the OpenAPI document fails to explain: every operation needs a summary and a
 * description, every parameter and every schema property a description, and every event
 * type a `webhooks` entry with a payload schema. Returns one line per gap, naming the exact
 * place (operation and JSON path), so a new route without descriptions fails its check with
 * the list of what to write.
 */
type Schema = {
  $ref?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  prefixItems?: Schema[];
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
};
type Parameter = { name: string; in: string; description?: string; schema?: Schema };
type Operation = {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};
type PathItem = Record<string, Operation> & { post?: Operation };
export interface OpenApiDoc {
  paths?: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, PathItem>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export function describedGaps(doc: OpenApiDoc, eventTypes: readonly string[]): string[] {
  const gaps: string[] = [];
  const components = doc.components?.schemas ?? {};
  const walkedComponents = new Set<string>();
  const resolve = (s: Schema): Schema | undefined => (s.$ref ? components[s.$ref.replace('#/components/schemas/', '')] : s);

  /** A property or parameter is explained by its own description or by the component it refers to. */
  const explained = (s: Schema | undefined): boolean => {
    if (!s) return false;
    if (s.description?.trim()) return true;
    if (s.$ref) return !!resolve(s)?.description?.trim();
    // `x | null` and `allOf: [$ref]` (zod-to-openapi's nullable / described refs): any explained branch.
    const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
    return branches.length > 0 && branches.some((b) => b.type !== 'null' && explained(b));
  };

  /** Every property under a schema, at any depth; components are walked once, under their own name. */
  const walk = (s: Schema | undefined, where: string): void => {
    if (!s) return;
    if (s.$ref) {
      const name = s.$ref.replace('#/components/schemas/', '');
      if (walkedComponents.has(name)) return;
      walkedComponents.add(name);
      walk(components[name], `#/components/schemas/${name}`);
      return;
    }
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      if (!explained(prop)) gaps.push(`${where}/properties/${key}: no description`);
      walk(prop, `${where}/properties/${key}`);
    }
    if (s.items) walk(s.items, `${where}/items`);
    s.prefixItems?.forEach((p, i) => walk(p, `${where}/prefixItems/${i}`));
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${where}/additionalProperties`);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) s[k]?.forEach((b, i) => walk(b, `${where}/${k}/${i}`));
  };

  const operation = (op: Operation, name: string): void => {
    if (!op.summary?.trim()) gaps.push(`${name}: no summary`);
    if (!op.description?.trim()) gaps.push(`${name}: no description`);
    for (const p of op.parameters ?? [])
      if (!explained(p) && !explained(p.schema)) gaps.push(`${name} ${p.in} parameter ${p.name}: no description`);
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) walk(media.schema, `${name} requestBody ${type}`);
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      if (!r.description?.trim()) gaps.push(`${name} response ${status}: no description`);
      for (const [type, media] of Object.entries(r.content ?? {})) walk(media.schema, `${name} response ${status} ${type}`);
    }
  };

  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]) operation(item[method]!, `${method.toUpperCase()} ${path}`);
  }
  for (const event of eventTypes) {
    const hook = doc.webhooks?.[event]?.post;
    if (!hook) {
      gaps.push(`webhooks ${event}: no entry`);
      continue;
    }
    const schema = hook.requestBody?.content?.['application/json']?.schema;
    if (!schema) gaps.push(`webhooks ${event}: no payload schema`);
    operation(hook, `webhooks ${event}`);
  }
  for (const event of Object.keys(doc.webhooks ?? {})) if (!eventTypes.includes(event)) gaps.push(`webhooks ${event}: not an event type`);
  // Components no operation reaches are still published: explain them too.
  for (const name of Object.keys(components)) walk({ $ref: `#/components/schemas/${name}` }, '');
  return gaps;
}
