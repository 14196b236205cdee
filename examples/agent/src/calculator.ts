import { Tool } from '@sigil/core';

/** An arithmetic expression that cannot be read, with where the problem is. */
export class ArithmeticError extends Error {
  override name = 'ArithmeticError';
}

/**
 * Evaluates `+ - * / ^`, parentheses, unary minus and decimal numbers (`1,000` reads as 1000) with a small
 * recursive-descent parser — never `eval`, so a model cannot run code through the tool.
 * @example evaluateArithmetic('(1703 - 1312) * 2') // 782
 */
export function evaluateArithmetic(expression: string): number {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const fail = (what: string): never => {
    throw new ArithmeticError(`${what} at token ${at + 1} of "${expression}"`);
  };
  const expect = (token: string) => (peek() === token ? at++ : fail(`expected "${token}"`));

  // sum := product (('+' | '-') product)*
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-')
      value = tokens[at++] === '+' ? value + product() : value - product();
    return value;
  };
  // product := power (('*' | '/') power)*
  const product = (): number => {
    let value = power();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[at++];
      const right = power();
      if (op === '/' && right === 0) fail('division by zero');
      value = op === '*' ? value * right : value / right;
    }
    return value;
  };
  // power := unary ('^' power)?   (right-associative)
  const power = (): number => {
    const base = unary();
    if (peek() !== '^') return base;
    at++;
    return base ** power();
  };
  // unary := '-' unary | '+' unary | atom
  const unary = (): number => {
    const sign = peek();
    if (sign !== '-' && sign !== '+') return atom();
    at++;
    return sign === '-' ? -unary() : unary();
  };
  // atom := number | '(' sum ')'
  const atom = (): number => {
    const token = peek();
    if (token === '(') {
      at++;
      const value = sum();
      expect(')');
      return value;
    }
    if (token === undefined || !/^[\d.]/.test(token)) {
      return fail(token === undefined ? 'unexpected end' : `unexpected "${token}"`);
    }
    at++;
    return Number(token);
  };

  const value = sum();
  if (at < tokens.length) fail(`unexpected "${tokens[at]}"`);
  if (!Number.isFinite(value)) throw new ArithmeticError(`"${expression}" does not give a finite number`);
  return value;
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  // Commas only as thousands separators (`24,000`), so `3,4` is an error rather than 34.
  const pattern = /\s*(?:((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)|([-+*/^()]))/y;
  let index = 0;
  while (index < expression.length) {
    if (expression.slice(index).trim() === '') break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match)
      throw new ArithmeticError(`cannot read "${expression.slice(index).trim()}" in "${expression}"`);
    tokens.push(match[1] !== undefined ? match[1].replace(/,/g, '') : match[2]);
    index = pattern.lastIndex;
  }
  if (tokens.length === 0) throw new ArithmeticError('the expression is empty');
  return tokens;
}

/** The calculator as a ReAct tool. */
export const calculatorTool = new Tool(
  ({ expression }: { expression: string }) => {
    const value = evaluateArithmetic(expression);
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
  },
  {
    name: 'calculator',
    desc: 'Evaluates an arithmetic expression with + - * / ^ and parentheses, e.g. "(1703 - 1312) * 2".',
    args: { expression: { type: 'string' } },
  },
);
