// Finds UI text written into the code instead of the message catalogue, with the TypeScript compiler's parser.
import ts from 'typescript';

/** One literal a reader would see that does not come from the catalogue. */
export interface Literal {
  line: number;
  text: string;
}

/** JSX attributes and object properties whose value people read (labels, titles, hints, headers…). */
const TEXT_NAMES = new Set([
  'alt',
  'aria-description',
  'aria-label',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'caption',
  'confirmLabel',
  'description',
  'empty',
  'fallback',
  'header',
  'heading',
  'hint',
  'label',
  'legend',
  'message',
  'noun',
  'placeholder',
  'submit',
  'summary',
  'text',
  'title',
]);

/** Attributes and properties that hold code, never prose (class names, ids, routes, icon paths…). */
const CODE_NAMES = new Set([
  'accept',
  'autoComplete',
  'className',
  'd',
  'href',
  'htmlFor',
  'id',
  'inputMode',
  'key',
  'method',
  'name',
  'pattern',
  'value',
  'rel',
  'role',
  'size',
  'target',
  'to',
  'tone',
  'type',
  'variant',
  'viewBox',
]);

/** Elements whose content is code typed by people (a command, a key), the same in every language. */
const CODE_TAGS = new Set(['code', 'kbd', 'samp']);

/** Names that are the same in every language: the product, operating systems, file formats, a hash. */
const BRAND = /\b(?:Steward|Linux|Windows|macOS|JSON|CSV|PDF|SHA-256)\b/g;

/** Text that is code although it has words: a catalogue key (`tickets.title`), and these few values. */
const KEY = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_-]+)+$/;
const NOT_PROSE = new Set(['noopener noreferrer nofollow']);

/**
 * Whether `text` has something to translate: a word of two letters or more, once the brand is set aside,
 * and it is not a catalogue key.
 */
function hasWords(text: string): boolean {
  const s = text.trim();
  if (KEY.test(s) || NOT_PROSE.has(s)) return false;
  return /\p{L}{2,}/u.test(s.replace(BRAND, ''));
}

/**
 * Whether a string found anywhere in the code reads as a sentence or phrase for people: a capitalised word
 * followed by more words or closing punctuation ("No tickets match", "Saved."), or several lower-case words
 * ("tickets match"). Single identifiers, keys, routes and class names do not.
 */
function looksLikeProse(text: string): boolean {
  const s = text.replace(BRAND, '').trim();
  if (!hasWords(s)) return false;
  if (/^\p{Lu}\p{Ll}+[’']?\p{Ll}*([,:;]?\s+\S|[.!?…:]$)/u.test(s)) return true;
  return /^\p{Ll}+( \p{Ll}+)+[.!?…]?$/u.test(s);
}

/** The text of a string or template literal (a template's `${…}` parts as a placeholder), else undefined. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  }
  return undefined;
}

/** The literals an expression can evaluate to, through `a ? b : c`, `a && b`, `a ?? b`, `a || b` and parentheses. */
function outcomes(node: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(node)) return outcomes(node.expression);
  if (ts.isConditionalExpression(node)) return [...outcomes(node.whenTrue), ...outcomes(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return outcomes(node.right);
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
      return [...outcomes(node.left), ...outcomes(node.right)];
    }
    if (op === ts.SyntaxKind.PlusToken) return [...outcomes(node.left), ...outcomes(node.right)];
  }
  return literalText(node) === undefined ? [] : [node];
}

/** The name of a JSX attribute or property assignment, if it is a plain one. */
function nameOf(node: ts.JsxAttribute | ts.PropertyAssignment): string | undefined {
  const n = node.name;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  if (ts.isJsxNamespacedName(n)) return `${n.namespace.text}:${n.name.text}`;
  return undefined;
}

/** Whether a string literal sits where it is code, not text: imports, types, keys, comparisons, cases. */
function isCodePosition(node: ts.Node): boolean {
  const p = node.parent;
  if (
    ts.isImportDeclaration(p) ||
    ts.isExportDeclaration(p) ||
    ts.isExternalModuleReference(p) ||
    ts.isLiteralTypeNode(p) ||
    ts.isCaseClause(p) ||
    ts.isElementAccessExpression(p) ||
    (ts.isPropertyAssignment(p) && p.name === node) ||
    ts.isPropertySignature(p) ||
    ts.isEnumMember(p)
  ) {
    return true;
  }
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    return (
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.InKeyword
    );
  }
  return false;
}

/**
 * Every piece of UI text in one source file that does not come from the catalogue: JSX text, literal values
 * of text attributes (`title=`, `aria-label=`, `label=`, `placeholder=`…) and text properties (`header:`,
 * `label:`…), string literals shown as JSX children, and any other string that reads as prose. Allowed: text
 * without words (punctuation, numbers, `·`, `—`), the brand name, and code positions (imports, types, keys,
 * comparisons, class names, routes).
 */
export function findLiterals(fileName: string, source: string): Literal[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const found = new Map<number, Literal>();
  const report = (node: ts.Node, text: string) => {
    const at = node.getStart(file);
    if (!found.has(at)) {
      const line = file.getLineAndCharacterOfPosition(at).line + 1;
      found.set(at, { line, text: text.replace(/\s+/g, ' ').trim() });
    }
  };
  const reportOutcomes = (expr: ts.Expression, strict: boolean) => {
    for (const lit of outcomes(expr)) {
      const text = literalText(lit) ?? '';
      if (strict ? hasWords(text) : looksLikeProse(text)) report(lit, text);
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isJsxElement(node) && CODE_TAGS.has(node.openingElement.tagName.getText(file))) return;
    if (ts.isJsxText(node)) {
      if (hasWords(node.text)) report(node, node.text);
    } else if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)) {
      reportOutcomes(node.expression, true);
    } else if (ts.isJsxExpression(node) && node.expression && ts.isJsxFragment(node.parent)) {
      reportOutcomes(node.expression, true);
    } else if (ts.isJsxAttribute(node)) {
      const name = nameOf(node) ?? '';
      const init = node.initializer;
      if (init && !CODE_NAMES.has(name) && !name.startsWith('data-')) {
        const expr = ts.isJsxExpression(init) ? init.expression : init;
        if (expr) reportOutcomes(expr, TEXT_NAMES.has(name));
      }
      if (CODE_NAMES.has(name) || name.startsWith('data-')) return;
    } else if ((ts.isBindingElement(node) || ts.isParameter(node)) && node.initializer) {
      // a default value of a text prop: `hint = 'Markdown: …'`
      const name = ts.isIdentifier(node.name) ? node.name.text : '';
      if (TEXT_NAMES.has(name)) reportOutcomes(node.initializer, true);
    } else if (ts.isPropertyAssignment(node)) {
      const name = nameOf(node) ?? '';
      if (CODE_NAMES.has(name)) return;
      if (TEXT_NAMES.has(name)) reportOutcomes(node.initializer, true);
    } else if (literalText(node) !== undefined && !isCodePosition(node)) {
      const text = literalText(node) ?? '';
      if (looksLikeProse(text)) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...found.values()].sort((a, b) => a.line - b.line);
}
