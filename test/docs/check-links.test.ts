/**
 * scripts/check-links.mjs on a small tree of markdown files: links leaving the tree (URLs,
 * `../` past the root), missing files and missing headings are each reported with file and
 * line, and so is a link from a published package's files to outside that package; good links, anchors of headings (GitHub's slugs, repeated ones numbered) and anything in
 * code are accepted.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '@virtkit/testkit';

const GOOD = `# Title

## Generic\\<T, U\\>

## Usage

## Usage

See [the guide](docs/guide.md#first-steps), [a folder](docs/), [here](#usage-1), [generic](#generict-u)
and ![a picture](docs/pic.png).

\`\`\`sh
curl https://example.com/in-a-code-block
\`\`\`

Inline code is not a link either: \`https://example.com/x\`.
`;

const BAD = `# Bad

[outside](https://example.com/page)
plain https://example.org/bare too
[gone](missing.md) and [up](../../etc/passwd)
[heading](docs/guide.md#no-such-heading)
[ref]: http://example.net/
`;

function runIn(dir: string, ...files: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-links.mjs'), '--root', dir, ...files], { encoding: 'utf8' });
}

describe('check-links', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-links-'));
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs/guide.md'), '# Guide\n\n## First steps\n');
    fs.writeFileSync(path.join(dir, 'docs/pic.png'), '');
    fs.writeFileSync(path.join(dir, 'good.md'), GOOD);
    fs.writeFileSync(path.join(dir, 'bad.md'), BAD);
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg/package.json'), '{"name": "pkg"}');
    fs.writeFileSync(path.join(dir, 'pkg/README.md'), '# pkg\n\n[inside](package.json), [outside](../docs/guide.md)\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('accepts links that resolve inside the tree', () => {
    expect(runIn(dir, 'good.md')).toMatchObject({ status: 0, stdout: 'check-links: 1 markdown files, 0 bad links\n' });
  });

  test('keeps the links of a published package inside it: its tarball ships alone', () => {
    expect(runIn(dir, 'pkg/README.md').stdout.trim().split('\n')).toEqual([
      'pkg/README.md:3: link leaves the package pkg (published alone): ../docs/guide.md',
      'check-links: 1 markdown files, 1 bad links',
    ]);
    fs.writeFileSync(path.join(dir, 'pkg/package.json'), '{"name": "pkg", "private": true}');
    expect(runIn(dir, 'pkg/README.md').status).toBe(0);
  });

  test('reports each link that leaves the tree or does not resolve', () => {
    const r = runIn(dir, 'bad.md');
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      'bad.md:3: link leaves the repository: https://example.com/page',
      'bad.md:4: link leaves the repository: https://example.org/bare',
      'bad.md:5: no such file: missing.md',
      'bad.md:5: link leaves the repository: ../../etc/passwd',
      'bad.md:6: no heading for #no-such-heading in docs/guide.md',
      'bad.md:7: link leaves the repository: http://example.net/',
      'check-links: 1 markdown files, 6 bad links',
    ]);
  });
});
