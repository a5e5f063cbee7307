// Every citation of a domain rule resolves inside the repository: no tracked file cites the
// product brief outside the repo, and every `docs/<file>.md §N` (or `§N–M`) names a file of
// docs/ with a numbered section N (`## N. Title`). A bare `§N` is allowed only inside the cited
// document itself (its own cross-references).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// Built from parts so that this file does not cite what it forbids.
const OUTSIDE_BRIEF = new RegExp(['PRODUCT', '\\.md'].join(''), 'g');
// `§N` (a literal N) is the placeholder that explains the form.
const CITATION = /docs\/([\w./-]+\.md) §(\d+|N)(?:[–-]§?(\d+))?/g;
const SECTION = '\u00a7';

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  // This file is the checker: its messages and examples name what they look for.
  .filter(
    (f) =>
      f &&
      f !== 'infra/test/rules-citations.test.ts' &&
      !f.endsWith('package-lock.json') &&
      existsSync(path.join(root, f)) &&
      !/\.(png|jpe?g|gif|ico|woff2?|svg)$/.test(f),
  );

const sectionsOf = (doc: string): Set<number> => {
  const file = path.join(root, 'docs', doc);
  if (!existsSync(file)) return new Set();
  return new Set([...readFileSync(file, 'utf8').matchAll(/^#{2,3} (\d+)\. /gm)].map((m) => Number(m[1])));
};

function problemsIn(file: string, text: string): string[] {
  const problems: string[] = [];
  const line = (index: number) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(OUTSIDE_BRIEF)) problems.push(`${file}:${line(m.index)} cites ${m[0]} (cite docs/rules.md §N)`);
  const covered: [number, number][] = [];
  for (const m of text.matchAll(CITATION)) {
    covered.push([m.index, m.index + m[0].length]);
    if (m[2] === 'N') continue;
    const sections = sectionsOf(m[1]!);
    const from = Number(m[2]);
    const to = m[3] ? Number(m[3]) : from;
    for (let n = from; n <= to; n++)
      if (!sections.has(n)) problems.push(`${file}:${line(m.index)} cites docs/${m[1]} §${n}, which does not exist`);
  }
  if (file !== 'docs/rules.md') {
    for (let i = text.indexOf(SECTION); i >= 0; i = text.indexOf(SECTION, i + 1)) {
      if (!covered.some(([a, b]) => i >= a && i < b))
        problems.push(`${file}:${line(i)} has a ${SECTION} without a document (write docs/rules.md ${SECTION}N)`);
    }
  }
  return problems;
}

describe('rule citations', () => {
  it('docs/rules.md has the sections 1–18 that citations use', () => {
    expect([...sectionsOf('rules.md')].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });

  it('every tracked file cites rules inside the repository, and only sections that exist', () => {
    const problems = tracked.flatMap((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      return text.includes('\0') ? [] : problemsIn(file, text);
    });
    expect(problems).toEqual([]);
  });

  it('reports a citation of the outside brief, a missing section and a bare section sign', () => {
    const text = [
      `see ${['PRODUCT', '.md'].join('')} ${SECTION}8`,
      `docs/rules.md ${SECTION}19`,
      `docs/rules.md ${SECTION}7–8 is fine`,
      `the ${SECTION}5 rule`,
    ].join('\n');
    expect(problemsIn('core/src/x.ts', text)).toEqual([
      `core/src/x.ts:1 cites ${['PRODUCT', '.md'].join('')} (cite docs/rules.md §N)`,
      'core/src/x.ts:2 cites docs/rules.md §19, which does not exist',
      `core/src/x.ts:1 has a ${SECTION} without a document (write docs/rules.md ${SECTION}N)`,
      `core/src/x.ts:4 has a ${SECTION} without a document (write docs/rules.md ${SECTION}N)`,
    ]);
  });
});
