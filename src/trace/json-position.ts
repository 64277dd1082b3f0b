/**
 * reference: Traces asks for the line and column of invalid JSON, but Node 20's JSON.parse gives a position
 * only for some errors (`Unexpected token 'x', "..." is not valid JSON` and `Unexpected end of
 * JSON input` carry none) and its wording changes between V8 versions. So, only after JSON.parse
 * has failed, this scanner walks the text by the JSON grammar and reports where it first goes wrong.
 */
export interface JsonSyntaxError {
  line: number;
  column: number;
  detail: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  fail(detail: string): never {
    throw new JsonLocated(this.i, detail);
  }

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i] as string)) this.i++;
  }

  what(): string {
    return this.i >= this.s.length ? 'end of input' : `character ${JSON.stringify(this.s[this.i])}`;
  }

  value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(`unexpected ${this.what()}, expected a JSON value`);
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail(`unexpected ${this.what()}, expected a quoted key`);
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail(`unexpected ${this.what()}, expected ":"`);
      this.i++;
      this.value();
      this.ws();
      if (this.s[this.i] === '}') return void this.i++;
      if (this.s[this.i] !== ',') this.fail(`unexpected ${this.what()}, expected "," or "}"`);
      this.i++;
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') return void this.i++;
    for (;;) {
      this.value();
      this.ws();
      if (this.s[this.i] === ']') return void this.i++;
      if (this.s[this.i] !== ',') this.fail(`unexpected ${this.what()}, expected "," or "]"`);
      this.i++;
    }
  }

  string(): void {
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '"') return void this.i++;
      if (c < ' ') this.fail(`control character ${JSON.stringify(c)} in a string`);
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.fail('bad \\u escape in a string');
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('bad escape in a string');
        this.i += 2;
        continue;
      }
      this.i++;
    }
    this.fail('unterminated string');
  }

  number(): void {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || m[0] === '-') this.fail('malformed number');
    this.i += m[0].length;
  }
}

class JsonLocated {
  constructor(readonly offset: number, readonly detail: string) {}
}

/** Line and column (both 1-based) of the offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where `text` (which JSON.parse rejected) first breaks the JSON grammar. */
export function locateJsonError(text: string): JsonSyntaxError {
  const sc = new Scanner(text);
  try {
    sc.value();
    sc.ws();
    if (sc.i < text.length) sc.fail(`unexpected ${sc.what()} after the JSON value`);
  } catch (e) {
    if (!(e instanceof JsonLocated)) throw e;
    return { ...lineColumn(text, e.offset), detail: e.detail };
  }
  return { ...lineColumn(text, text.length), detail: 'invalid JSON' };
}
