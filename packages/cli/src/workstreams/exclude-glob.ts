/**
 * `--exclude` patterns, matched against a file's path relative to the workstream folder, with `/`
 * between folders. `*` and `?` match within one name, `**` any number of folders, `{a,b}` either.
 * A pattern without `/` matches a file or folder name at any depth (`TEMPLATE.md`, `archive`,
 * `*-report.md`); a pattern that matches a folder excludes everything under it.
 */
export function excludeMatcher(patterns: readonly string[]): (relativePath: string) => boolean {
  const matchers = patterns.map(compile);
  return (relativePath) => {
    const parts = relativePath.split('/');
    // Every prefix: a pattern naming a folder excludes what is under it.
    const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    return matchers.some(({ anchored, regex }) =>
      anchored ? prefixes.some((prefix) => regex.test(prefix)) : parts.some((name) => regex.test(name)),
    );
  };
}

function compile(pattern: string): { anchored: boolean; regex: RegExp } {
  const trimmed = pattern.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  const anchored = trimmed.includes('/');
  let source = '';
  for (let index = 0; index < trimmed.length; index += 1) {
    const char = trimmed.charAt(index);
    if (char === '*' && trimmed.charAt(index + 1) === '*') {
      const slash = trimmed.charAt(index + 2) === '/';
      source += slash ? '(?:[^/]*/)*' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',' && source.lastIndexOf('(?:') > source.lastIndexOf(')')) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return { anchored, regex: new RegExp(`^${source}$`) };
}
