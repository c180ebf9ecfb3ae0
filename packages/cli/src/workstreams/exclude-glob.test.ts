import { describe, expect, it } from 'vitest';
import { excludeMatcher } from './exclude-glob.js';

describe('excludeMatcher', () => {
  it.each([
    ['TEMPLATE.md', 'TEMPLATE.md', true],
    ['TEMPLATE.md', 'f052/TEMPLATE.md', true],
    ['TEMPLATE.md', 'f052/template.md', false],
    ['archive', 'archive/00-052-02.md', true],
    ['archive', 'f052/archive/old/00-052-02.md', true],
    ['archive', 'archived/00-052-02.md', false],
    ['*-report.md', 'f052/00-052-02-report.md', true],
    ['*-report.md', 'f052/00-052-02-reporting.md', false],
    ['f052/*.md', 'f052/00-052-01.md', true],
    ['f052/*.md', 'f052/sub/00-052-01.md', false],
    ['f052/**/*.md', 'f052/sub/deeper/00-052-01.md', true],
    ['f052/**/*.md', 'f052/00-052-01.md', true],
    ['docs/**', 'docs/a/b.md', true],
    ['./archive/', 'archive/x.md', true],
    ['00-05?-01.md', '00-052-01.md', true],
    ['{drafts,archive}', 'drafts/x.md', true],
    ['{drafts,archive}', 'notes/x.md', false],
    ['a+b (1).md', 'a+b (1).md', true],
  ])('%j on %j: %j', (pattern, file, excluded) => {
    expect(excludeMatcher([pattern])(file)).toBe(excluded);
  });

  it('excludes what any pattern matches, and nothing without patterns', () => {
    const excluded = excludeMatcher(['TEMPLATE.md', 'archive']);
    expect(['TEMPLATE.md', 'archive/a.md', 'a.md'].map(excluded)).toEqual([true, true, false]);
    expect(excludeMatcher([])('anything.md')).toBe(false);
  });
});
