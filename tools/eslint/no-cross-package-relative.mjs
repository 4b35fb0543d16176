/**
 * ESLint rule: a relative import may not leave the package it is written in. Packages reach each
 * other by name (`@virtkit/core`), through their entry points, so the build never bundles a
 * second copy of another package and every boundary shows in package.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const packageRootCache = new Map();

/** The nearest folder at or above `dir` holding a package.json. */
function packageRoot(dir) {
  if (packageRootCache.has(dir)) return packageRootCache.get(dir);
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, 'package.json')) ? dir : parent === dir ? null : packageRoot(parent);
  packageRootCache.set(dir, root);
  return root;
}

function packageName(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name ?? path.basename(root);
  } catch {
    return path.basename(root);
  }
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow relative imports that reach into another package' },
    schema: [],
    messages: {
      crossPackage: "'{{spec}}' reaches into {{target}}; import it by package name through its entry point",
    },
  },
  create(context) {
    const file = context.filename;
    const own = packageRoot(path.dirname(file));
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source.value);
      const targetRoot = packageRoot(fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target));
      if (targetRoot && targetRoot !== own) {
        context.report({ node: source, messageId: 'crossPackage', data: { spec: source.value, target: packageName(targetRoot) } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
    };
  },
};
