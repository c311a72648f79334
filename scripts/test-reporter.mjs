// A short node:test reporter for `npm test`: a dot per passing test while the suite runs, then each failure
// with its name, file, error and stack (and what its file printed), then the runner's closing counts.
import path from 'node:path';
import { inspect } from 'node:util';

const LINE_WIDTH = 80;

/** The test names from the file's top level down to `name`, kept per file since files run in parallel. */
class NamePaths {
  #stacks = new Map();

  start(file, nesting, name) {
    const stack = this.#stacks.get(file) ?? [];
    stack.length = nesting;
    stack.push(name);
    this.#stacks.set(file, stack);
  }

  of(file, nesting, name) {
    // A file that fails outside any test (it does not load, or it exits) is reported under its own path.
    if (nesting === 0 && name === file) return '(the file itself failed)';
    const stack = this.#stacks.get(file) ?? [];
    return [...stack.slice(0, nesting), name].join(' > ');
  }
}

function relative(file) {
  return file === undefined ? '(no file)' : path.relative(process.cwd(), file);
}

/** A parent fails when one of its subtests does; that failure is listed under the subtest already. */
function isOnlySubtestFailure(error) {
  return error?.failureType === 'subtestsFailed';
}

function describeError(error) {
  const reason = error?.code === 'ERR_TEST_FAILURE' && error.cause !== undefined ? error.cause : error;
  return inspect(reason, { depth: 4, colors: false })
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export default async function* summaryReporter(source) {
  const names = new NamePaths();
  const failures = [];
  const output = new Map();
  let column = 0;
  const closing = [];

  for await (const event of source) {
    const data = event.data ?? {};
    switch (event.type) {
      case 'test:start':
        names.start(data.file, data.nesting, data.name);
        break;
      case 'test:pass':
      case 'test:fail': {
        if (event.type === 'test:fail' && !isOnlySubtestFailure(data.details?.error)) {
          failures.push({ name: names.of(data.file, data.nesting, data.name), file: data.file, error: data.details?.error });
          yield 'x';
        } else if (event.type === 'test:pass' && data.skip === undefined && data.todo === undefined) {
          yield '.';
        } else {
          break;
        }
        column++;
        if (column === LINE_WIDTH) {
          column = 0;
          yield '\n';
        }
        break;
      }
      case 'test:stdout':
      case 'test:stderr': {
        const key = data.file;
        output.set(key, (output.get(key) ?? '') + data.message);
        break;
      }
      case 'test:diagnostic':
        if (data.nesting === 0) closing.push(`# ${data.message}`);
        break;
      default:
        break;
    }
  }

  if (column > 0) yield '\n';
  if (failures.length > 0) {
    yield `\n${failures.length} failing:\n`;
    for (const [i, f] of failures.entries()) {
      yield `\n${i + 1}) ${f.name}\n    ${relative(f.file)}\n${describeError(f.error)}\n`;
      const printed = (output.get(f.file) ?? '').trimEnd();
      if (printed !== '') yield `    what the file printed:\n${printed.replace(/^(?=.)/gm, '      ')}\n`;
    }
    yield '\nFailures:\n';
    for (const f of failures) yield `  ${relative(f.file)}: ${f.name}\n`;
  }
  yield `\n${closing.join('\n')}\n`;
}
