#!/usr/bin/env node
/*
 * Fails when our code uses anything its declaration marks `@deprecated`:
 * an imported binding, a property, a JSX element or a call that resolves to a
 * deprecated overload. It reads the same program as `yarn tsc` (the root
 * tsconfig.json), so the packages' own types decide, not a list kept here.
 *
 * Usage: node scripts/check-deprecated.js
 */
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');

function loadProgram() {
  const configPath = path.join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) {
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  }
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, noEmit: true, incremental: false },
  });
}

function deprecationOf(tags) {
  const tag = tags.find(t => t.name === 'deprecated');
  if (!tag) return undefined;
  const text = (tag.text ?? []).map(part => part.text).join('');
  return text.trim() || '(no reason given)';
}

function isOurs(fileName) {
  const rel = path.relative(root, fileName);
  return !rel.startsWith('..') && !rel.split(path.sep).includes('node_modules');
}

/** The declarations outside our packages that a symbol stands for. */
function foreignDeclarations(checker, symbol) {
  let target = symbol;
  if (target.flags & ts.SymbolFlags.Alias) {
    target = checker.getAliasedSymbol(target);
  }
  const decls = target.getDeclarations() ?? [];
  return {
    target,
    foreign:
      decls.length > 0 && decls.every(d => !isOurs(d.getSourceFile().fileName)),
  };
}

function check(program) {
  const checker = program.getTypeChecker();
  const findings = [];

  const report = (node, name, reason) => {
    const sf = node.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(
      node.getStart(sf),
    );
    findings.push(
      `${path.relative(root, sf.fileName)}:${line + 1}:${character + 1} ` +
        `${name} is deprecated: ${reason}`,
    );
  };

  const visit = node => {
    if (ts.isIdentifier(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol) {
        const { target, foreign } = foreignDeclarations(checker, symbol);
        if (foreign) {
          // A symbol whose every declaration is deprecated (an overloaded
          // function with one deprecated overload is judged at the call).
          const decls = target.getDeclarations() ?? [];
          const reasons = decls.map(d =>
            deprecationOf(
              ts.getJSDocTags(d).map(t => ({
                name: t.tagName.text,
                text:
                  typeof t.comment === 'string'
                    ? [{ text: t.comment }]
                    : (t.comment ?? []).map(c => ({ text: c.text ?? '' })),
              })),
            ),
          );
          if (reasons.length > 0 && reasons.every(Boolean)) {
            report(node, node.text, reasons[0]);
          }
        }
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const signature = checker.getResolvedSignature(node);
      const decl = signature?.getDeclaration();
      if (decl && !isOurs(decl.getSourceFile().fileName)) {
        const reason = deprecationOf(signature.getJsDocTags());
        if (reason) report(node.expression, node.expression.getText(), reason);
      }
    }
    ts.forEachChild(node, visit);
  };

  for (const sf of program.getSourceFiles()) {
    if (!sf.isDeclarationFile && isOurs(sf.fileName)) visit(sf);
  }
  return [...new Set(findings)];
}

function main() {
  const program = loadProgram();
  const files = program
    .getSourceFiles()
    .filter(sf => !sf.isDeclarationFile && isOurs(sf.fileName)).length;
  const findings = check(program);
  if (findings.length > 0) {
    console.error(findings.join('\n'));
    console.error(`deprecated: ${findings.length} uses of deprecated APIs`);
    process.exit(1);
  }
  console.log(`deprecated: 0 uses of deprecated APIs in ${files} files`);
}

main();
