// What tsc does not refuse but the scenario must not do, so that the compiler's verdict means the
// contract is enough: no cast (`as`, `<T>x`, `as const` included), no non-null assertion (`x!`), no `any`,
// and no hand-written wire shape (an interface, or a type alias of an object literal type). A type
// alias of a generated type (components["schemas"][...]) is fine.
import { readFileSync } from "node:fs";
import ts from "typescript";

const file = "scenario.ts";
const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
const broken = [];

function visit(node) {
  const rule =
    ts.isAsExpression(node) ? "a cast (as)"
    : ts.isTypeAssertionExpression(node) ? "a cast (<T>)"
    : ts.isNonNullExpression(node) ? "a non-null assertion (!)"
    : node.kind === ts.SyntaxKind.AnyKeyword ? "any"
    : ts.isInterfaceDeclaration(node) ? "a hand-written interface"
    : ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type) ? "a hand-written object type"
    : undefined;
  if (rule) {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
    broken.push(`${file}(${line + 1},${character + 1}): ${rule}: ${node.getText()}`);
  }
  ts.forEachChild(node, visit);
}

visit(source);
if (broken.length > 0) {
  console.error(broken.join("\n"));
  process.exit(1);
}
console.log(`${file}: no casts, non-null assertions, any or hand-written wire types`);
