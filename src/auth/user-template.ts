// A scoped signing key's permission template, filled in for one user (nats-server's
// processUserPermissionsTemplate): `{{name()}}`, `{{subject()}}`, `{{account-name()}}`,
// `{{account-subject()}}`, `{{tag(x)}}` and `{{account-tag(x)}}` as whole subject tokens. A tag
// token takes every value the tags give it, so a subject can become several.

import { isValidSubscribeSubject } from '../util/index.js';
import type { SubjectPermission, UserPermissionLimits } from './jwt.js';

export interface TemplateUser {
  readonly name: string;
  /** The user's public key. */
  readonly subject: string;
  readonly tags: readonly string[];
  /** The `issuer_account` the user JWT names. */
  readonly issuerAccount: string;
}

export interface TemplateAccount {
  readonly name: string;
  readonly tags: readonly string[];
}

/** A template that generated an invalid subject in a deny list. */
export class TemplateError extends Error {}

export function applyUserTemplate(template: UserPermissionLimits, user: TemplateUser, account: TemplateAccount): UserPermissionLimits {
  const fill = (list: readonly string[] | undefined, failOnBadSubject: boolean): string[] => fillList(list ?? [], failOnBadSubject, user, account);
  const pubAllow = fill(template.pub?.allow, false);
  const pubDeny = fill(template.pub?.deny, true);
  const subAllow = fill(template.sub?.allow, false);
  const subDeny = fill(template.sub?.deny, true);
  // An allow list the template emptied must not turn into "allow everything".
  if ((template.pub?.allow?.length ?? 0) > 0 && pubAllow.length === 0) pubDeny.push('>');
  if ((template.sub?.allow?.length ?? 0) > 0 && subAllow.length === 0) subDeny.push('>');
  const pub: SubjectPermission = { allow: pubAllow, deny: pubDeny };
  const sub: SubjectPermission = { allow: subAllow, deny: subDeny };
  return { ...template, pub, sub };
}

function isTemplateToken(tk: string): boolean {
  return tk.startsWith('{{') && tk.endsWith('}}');
}

function fillList(list: readonly string[], failOnBadSubject: boolean, user: TemplateUser, account: TemplateAccount): string[] {
  if (!list.some((s) => s.split('.').some(isTemplateToken))) return [...list];
  const out: string[] = [];
  for (const subject of list) {
    // null marks a tag token: it takes each of the tag's values in turn.
    const tokens: (string | null)[] = [];
    const tagValues: string[][] = [];
    for (const tk of subject.split('.')) {
      if (!isTemplateToken(tk)) {
        tokens.push(tk);
        continue;
      }
      const op = tk.slice(2, -2).toLowerCase();
      const tag = /^(account-)?tag\((.*)\)$/.exec(op);
      if (op === 'name()') tokens.push(user.name);
      else if (op === 'subject()') tokens.push(user.subject);
      else if (op === 'account-name()') tokens.push(account.name);
      else if (op === 'account-subject()') tokens.push(user.issuerAccount);
      else if (tag !== null) {
        const prefix = `${(tag[2] ?? '').toLowerCase()}:`;
        const values = (tag[1] !== undefined ? account.tags : user.tags).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
        // Without a value the token stays empty, which no subject passes.
        if (values.length > 0) {
          tagValues.push(values);
          tokens.push(null);
        } else tokens.push('');
      } else tokens.push(' ');
    }
    for (const combination of cartesian(tagValues)) {
      let next = 0;
      const emitted = tokens.map((tk) => (tk === null ? (combination[next++] as string) : tk)).join('.');
      if (isValidSubject(emitted)) out.push(emitted);
      else if (failOnBadSubject) throw new TemplateError('generated invalid subject');
    }
  }
  return out;
}

/** Go's IsValidSubject: wildcards allowed, whitespace not (an unknown function's token is a space on purpose). */
function isValidSubject(subject: string): boolean {
  return !/[ \t\n\r\f]/.test(subject) && isValidSubscribeSubject(subject);
}

/** Every choice of one value from each list (one empty choice for no lists). */
function cartesian(lists: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const values of lists) out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  return out;
}
