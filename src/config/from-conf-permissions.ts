// `permissions { publish, subscribe, allow_responses }` of a user, and default_permissions.

import type { Field, Issues } from './conf-reader.js';
import { describeNode, fieldOf, itemsOf, lowerCased, readInteger } from './conf-reader.js';
import { DurationError, parseGoDurationMs } from './durations.js';
import { subjectFromText } from '../util/index.js';
import type { PermissionsConfig, ResponsePermission, SubjectPermission } from './options.js';

/** `allow_responses: true`: one response within two minutes. */
const DEFAULT_RESPONSE_PERMISSION: ResponsePermission = Object.freeze({ max: 1, expiresMs: 2 * 60 * 1000 });

const WHITESPACE = /[\t\n\f\r ]/;

/** Subject syntax as permissions accept it: non-empty tokens, `>` only as the last token. */
export function isValidSubject(subject: string): boolean {
  if (subject === '') return false;
  let sawFullWildcard = false;
  for (const token of subject.split('.')) {
    if (token.length === 0 || sawFullWildcard || WHITESPACE.test(token)) return false;
    if (token === '>') sawFullWildcard = true;
  }
  return true;
}

/** Problem with a permission subject; `"subject queue"` (a queue-group restriction) is allowed too. */
function permissionSubjectProblem(subject: string): string | undefined {
  if (isValidSubject(subject)) return undefined;
  const parts = subject.split(/\s+/).filter((part) => part !== '');
  if (parts.length !== 2) return `subject ${JSON.stringify(subject)} is not a valid subject`;
  const [plain] = parts;
  if (plain !== undefined && !isValidSubject(plain)) return `subject ${JSON.stringify(plain)} is not a valid subject`;
  return undefined;
}

function readSubjects(issues: Issues, field: Field): string[] | undefined {
  let subjects: string[];
  if (field.node.kind === 'string') {
    subjects = [field.node.value];
  } else if (field.node.kind === 'array') {
    subjects = [];
    for (const item of itemsOf(field, field.node.items)) {
      if (item.node.kind !== 'string') {
        issues.error(item.pos, 'Subject in permissions array cannot be cast to string');
        return undefined;
      }
      subjects.push(item.node.value);
    }
  } else {
    issues.error(
      field.pos,
      `Expected subject permissions to be a subject, or array of subjects, got ${describeNode(field.node)}`,
    );
    return undefined;
  }
  for (const subject of subjects) {
    const problem = permissionSubjectProblem(subject);
    if (problem !== undefined) {
      issues.error(field.pos, problem);
      return undefined;
    }
  }
  // Checked as text (so messages quote what the file says), kept as the wire bytes they must match.
  return subjects.map(subjectFromText);
}

/** `{ allow, deny }`, or a subject / list of subjects meaning allow. An empty map means no restriction. */
function readSubjectPermission(issues: Issues, field: Field): SubjectPermission | undefined {
  if (field.node.kind !== 'map') {
    const allow = readSubjects(issues, field);
    return allow === undefined ? undefined : { allow };
  }
  let allow: string[] | undefined;
  let deny: string[] | undefined;
  for (const [key, entry] of lowerCased(field.node)) {
    if (key === 'allow') {
      allow = readSubjects(issues, fieldOf(entry));
    } else if (key === 'deny') {
      deny = readSubjects(issues, fieldOf(entry));
    } else if (!entry.usedAsVariable) {
      issues.error(
        entry.pos,
        `Unknown field name ${JSON.stringify(entry.key)} parsing subject permissions, only 'allow' or 'deny' are permitted`,
      );
    }
  }
  if (allow === undefined && deny === undefined) return undefined;
  return { ...(allow !== undefined && { allow }), ...(deny !== undefined && { deny }) };
}

function readResponsePermission(issues: Issues, field: Field): ResponsePermission | undefined {
  if (field.node.kind === 'boolean') return field.node.value ? DEFAULT_RESPONSE_PERMISSION : undefined;
  if (field.node.kind !== 'map') {
    issues.error(field.pos, 'error parsing response permissions, expected a boolean or a map');
    return undefined;
  }
  let { max, expiresMs } = DEFAULT_RESPONSE_PERMISSION;
  for (const [key, entry] of lowerCased(field.node)) {
    const f = fieldOf(entry);
    switch (key) {
      case 'max':
      case 'max_msgs':
      case 'max_messages':
      case 'max_responses': {
        // Negative means unlimited; 0 keeps the default.
        const value = readInteger(issues, f);
        if (value !== undefined && value !== 0) max = value;
        break;
      }
      case 'expires':
      case 'expiration':
      case 'ttl': {
        if (f.node.kind !== 'string') {
          issues.error(f.pos, 'error parsing expires, not a duration string');
          return undefined;
        }
        try {
          const value = parseGoDurationMs(f.node.value);
          if (value !== 0) expiresMs = value;
        } catch (err) {
          if (!(err instanceof DurationError)) throw err;
          issues.error(f.pos, `error parsing expires: ${err.message}`);
          return undefined;
        }
        break;
      }
      default:
        if (!entry.usedAsVariable) issues.error(entry.pos, `Unknown field ${JSON.stringify(entry.key)} parsing permissions`);
    }
  }
  return { max, expiresMs };
}

export function readPermissions(issues: Issues, field: Field): PermissionsConfig | undefined {
  if (field.node.kind !== 'map') {
    issues.error(field.pos, `Expected permissions to be a map/struct, got ${describeNode(field.node)}`);
    return undefined;
  }
  let publish: SubjectPermission | undefined;
  let subscribe: SubjectPermission | undefined;
  let allowResponses: ResponsePermission | undefined;
  for (const [key, entry] of lowerCased(field.node)) {
    switch (key) {
      case 'pub':
      case 'publish':
      case 'import':
        publish = readSubjectPermission(issues, fieldOf(entry));
        break;
      case 'sub':
      case 'subscribe':
      case 'export':
        subscribe = readSubjectPermission(issues, fieldOf(entry));
        break;
      case 'allow_responses':
      case 'publish_allow_responses':
        allowResponses = readResponsePermission(issues, fieldOf(entry));
        break;
      default:
        if (!entry.usedAsVariable) issues.error(entry.pos, `Unknown field ${JSON.stringify(entry.key)} parsing permissions`);
    }
  }
  // Allowing responses without a publish allow list turns off the blanket publish allowance:
  // the user may then publish only to reply subjects it received.
  if (allowResponses !== undefined) publish = { ...publish, allow: publish?.allow ?? [] };
  return {
    ...(publish !== undefined && { publish }),
    ...(subscribe !== undefined && { subscribe }),
    ...(allowResponses !== undefined && { allowResponses }),
  };
}
