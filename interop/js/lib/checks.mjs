// Checks and their tally for the interop suites, plus a recorder of every
// HTTP exchange the SDK makes, so that each result can be compared with the
// exact bytes the server sent for it.

import { isDeepStrictEqual, inspect } from 'node:util';

// Tally counts checks; each failure is printed with what differed, and the
// last line says how many passed, which the Go test reads.
export class Tally {
  constructor(suite) {
    this.suite = suite;
    this.passed = 0;
    this.failed = [];
  }

  // check records one named check: ok is a boolean, detail what to print
  // when it is false.
  check(name, ok, detail = '') {
    if (ok) {
      this.passed++;
      console.log(`ok    ${name}`);
      return true;
    }
    this.failed.push(name);
    console.log(`FAIL  ${name}${detail ? `: ${detail}` : ''}`);
    return false;
  }

  // equal checks that got and want are deeply equal (strictly: same types).
  equal(name, got, want) {
    return this.check(name, isDeepStrictEqual(got, want), `got ${show(got)}, want ${show(want)}`);
  }

  // problems checks that a list of problems is empty, naming them if not.
  problems(name, list) {
    return this.check(name, list.length === 0, list.join('; '));
  }

  // summary prints the closing line and returns the exit code.
  summary() {
    const total = this.passed + this.failed.length;
    console.log(`${this.suite}: ${this.passed} of ${total} checks passed`);
    return this.failed.length === 0 && total > 0 ? 0 : 1;
  }
}

export function show(v) {
  return inspect(v, { depth: 6, breakLength: Infinity, compact: true });
}

// Recorder wraps globalThis.fetch before the SDK is loaded: every response
// is read once more from a clone, so the SDK sees it untouched.
export class Recorder {
  constructor() {
    this.exchanges = [];
    const real = globalThis.fetch;
    globalThis.fetch = async (input, init = {}) => {
      const res = await real(input, init);
      const text = await res.clone().text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      this.exchanges.push({
        method: init.method ?? 'GET',
        url: String(input),
        status: res.status,
        contentType: res.headers.get('content-type'),
        text,
        json,
      });
      return res;
    };
  }

  // run calls fn (one SDK method) and returns its value or error together
  // with the one exchange it made; more or fewer than one is an error.
  async run(fn) {
    const before = this.exchanges.length;
    let value;
    let error;
    try {
      value = await fn();
    } catch (e) {
      error = e;
    }
    const made = this.exchanges.slice(before);
    if (made.length !== 1) {
      throw new Error(`expected one HTTP exchange, saw ${made.length}${error ? ` (error: ${error.message})` : ''}`);
    }
    return { value, error, ex: made[0] };
  }
}

// snake turns the SDK's camelCase property name into the API's field name,
// as the SDK's own serializers do.
export function snake(name) {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
