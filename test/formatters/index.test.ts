import { describe, expect, it } from 'vitest';
import { github } from '../../src/formatters/github.js';
import { gitlab } from '../../src/formatters/gitlab.js';
import { junit } from '../../src/formatters/junit.js';
import { formatters, getFormatter } from '../../src/formatters/index.js';
import { json } from '../../src/formatters/json.js';
import { sarif } from '../../src/formatters/sarif.js';
import { stylish } from '../../src/formatters/stylish.js';

describe('formatter registry', () => {
  it('has stylish, json, sarif, github, junit, gitlab, ndjson and html', () => {
    expect(Object.keys(formatters).sort()).toEqual(['github', 'gitlab', 'html', 'json', 'junit', 'ndjson', 'sarif', 'stylish']);
    expect(getFormatter('junit')).toBe(junit);
    expect(getFormatter('gitlab')).toBe(gitlab);
    expect(getFormatter('github')).toBe(github);
    expect(getFormatter('stylish')).toBe(stylish);
    expect(getFormatter('json')).toBe(json);
    expect(getFormatter('sarif')).toBe(sarif);
  });

  it('returns undefined for unknown names, including Object.prototype keys', () => {
    expect(getFormatter('checkstyle')).toBeUndefined();
    expect(getFormatter('toString')).toBeUndefined();
    expect(getFormatter('__proto__')).toBeUndefined();
    expect(getFormatter('')).toBeUndefined();
  });
});
