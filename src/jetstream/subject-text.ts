// Subjects (and the names that become subject tokens) arrive in JSON bodies as UTF-8 text; inside leafgate
// they are byte strings (the wire bytes as latin1). These two convert at the JSON boundary.
// Stand-ins until src/util has the shared pair; swap the imports then.

export function subjectFromText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function subjectToText(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
