/**
 * Reads the API definition statically with ts-morph: exported `CallDef`/`StructDef` constants are
 * evaluated as object literals and enums as computed enum values. Nothing in `api/` is executed,
 * so a definition can only hold data, never behaviour.
 */
import * as path from 'node:path';
import { Node, Project, SyntaxKind, type Expression, type SourceFile } from 'ts-morph';
import { PROTOCOL_MODULE, spiName, type ApiModel, type CallModel, type EnumModel } from './model';
import type { TypedParamFamilyDef } from '@virtkit/api';

/** Evaluates a literal expression: the only kind of value allowed in api/. */
function literal(node: Expression, where: string): unknown {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (node.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
    return -(literal(node.getOperand() as Expression, where) as number);
  }
  if (Node.isParenthesizedExpression(node)) return literal(node.getExpression(), where);
  if (Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) return literal(node.getExpression(), where);
  if (Node.isArrayLiteralExpression(node)) return node.getElements().map((e) => literal(e, where));
  if (Node.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.getProperties()) {
      if (!Node.isPropertyAssignment(p)) throw new Error(`${where}: only plain properties are allowed (${p.getText()})`);
      out[p.getName().replace(/^['"]|['"]$/g, '')] = literal(p.getInitializerOrThrow(), where);
    }
    return out;
  }
  throw new Error(`${where}: not a literal: ${node.getText()}`);
}

function jsDoc(node: Node): string {
  if (!Node.isJSDocable(node)) return '';
  return node
    .getJsDocs()
    .map((d) => d.getDescription().trim())
    .join(' ')
    .replace(/\s+/g, ' ');
}

function loadEnums(file: SourceFile, rel: string): EnumModel[] {
  return file
    .getEnums()
    .filter((e) => e.isExported())
    .map((e) => ({
      name: e.getName(),
      doc: jsDoc(e),
      file: rel,
      members: e.getMembers().map((m) => {
        const value = m.getValue();
        if (typeof value !== 'number') throw new Error(`${rel}: enum ${e.getName()}.${m.getName()} is not numeric`);
        return { name: m.getName(), value, doc: jsDoc(m) };
      }),
    }));
}

/** Loads every module of `<root>/api/src` into one model. */
export function loadApi(root: string): ApiModel {
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: true } });
  project.addSourceFilesAtPaths(path.join(root, 'api/src/**/*.ts'));
  const model: ApiModel = {
    calls: [],
    structs: [],
    enums: [],
    errorMessages: [],
    events: [],
    wireStructs: [],
    protocol: null,
    protocolEnums: [],
    paramFamilies: [],
  };

  for (const file of project.getSourceFiles()) {
    const rel = path.relative(root, file.getFilePath());
    if (rel.endsWith('dsl.ts') || rel.endsWith('.test.ts')) continue;
    (path.basename(rel) === PROTOCOL_MODULE ? model.protocolEnums : model.enums).push(...loadEnums(file, rel));
    for (const stmt of file.getVariableStatements()) {
      if (!stmt.isExported()) continue;
      for (const decl of stmt.getDeclarations()) {
        const type = decl.getTypeNode()?.getText() ?? '';
        const init = decl.getInitializer();
        if (!init) continue;
        const where = `${rel}: ${decl.getName()}`;
        if (type === 'CallDef') {
          const call = literal(init, where) as CallModel;
          model.calls.push({ ...call, file: rel, spi: spiName(call.c) });
        } else if (type === 'StructDef') model.structs.push(literal(init, where) as ApiModel['structs'][number]);
        else if (type === 'ErrorMessageDef[]') model.errorMessages.push(...(literal(init, where) as ApiModel['errorMessages']));
        else if (type === 'EventDef[]') model.events.push(...(literal(init, where) as ApiModel['events']));
        else if (type === 'WireStructDef[]') model.wireStructs.push(...(literal(init, where) as ApiModel['wireStructs']));
        else if (type === 'WireProtocolDef') model.protocol = literal(init, where) as ApiModel['protocol'];
        else if (type === 'TypedParamFamilyDef') model.paramFamilies.push(literal(init, where) as TypedParamFamilyDef);
      }
    }
  }
  model.calls.sort((a, b) => a.c.localeCompare(b.c));
  model.structs.sort((a, b) => a.name.localeCompare(b.name));
  model.enums.sort((a, b) => a.name.localeCompare(b.name));
  model.protocolEnums.sort((a, b) => a.name.localeCompare(b.name));
  return model;
}
