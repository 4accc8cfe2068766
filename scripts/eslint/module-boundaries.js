// The module boundary, as a local ESLint rule: code in src/modules/<a>/ may import another
// module only through its index.ts, and the platform imports no module at all.
import path from 'node:path';

const modulesRoot = path.resolve(import.meta.dirname, '../../src/modules');
const platformRoot = path.resolve(import.meta.dirname, '../../src/platform');

function moduleOf(file) {
  const rel = path.relative(modulesRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep)[0];
}

export const moduleBoundaries = {
  meta: { type: 'problem', schema: [], messages: {
    internal: "Import the {{module}} module through its index.ts ('{{index}}'), not its internals.",
    platform: 'The platform imports no module: move what it needs into src/platform, or pass it in.',
  } },
  create(context) {
    const file = context.filename;
    const from = moduleOf(file);
    const inPlatform = !path.relative(platformRoot, file).startsWith('..');
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const to = moduleOf(target);
      if (!to) return;
      if (inPlatform) return context.report({ node, messageId: 'platform' });
      if (to === from) return;
      if (target !== path.join(modulesRoot, to, 'index.ts')) {
        context.report({ node, messageId: 'internal', data: { module: to, index: path.relative(path.dirname(file), path.join(modulesRoot, to, 'index.ts')) } });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check({ source: node.source }) };
  },
};
