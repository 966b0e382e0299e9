// A deliberately tiny template language for deploy/asterisk/*.conf: `{{a.b}}` inserts a value,
// `{{#key}}…{{/key}}` repeats for each item of an array (or renders once for a truthy value).
// A missing value is an error naming the template and key, so a config never renders half-empty.

export class TemplateError extends Error {
  readonly code = 'DESKLINE_TEMPLATE';
}

type Scope = Record<string, unknown>;

function lookup(scopes: Scope[], key: string): unknown {
  for (let i = scopes.length - 1; i >= 0; i--) {
    let value: unknown = scopes[i];
    let found = true;
    for (const part of key.split('.')) {
      if (value !== null && typeof value === 'object' && Object.hasOwn(value, part)) {
        value = (value as Scope)[part];
      } else {
        found = false;
        break;
      }
    }
    if (found) return value;
  }
  return undefined;
}

const sectionPattern = /\{\{#([\w.]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const valuePattern = /\{\{([\w.]+)\}\}/g;

function renderIn(text: string, scopes: Scope[], name: string): string {
  const withSections = text.replace(sectionPattern, (_m, key: string, body: string) => {
    const value = lookup(scopes, key);
    if (Array.isArray(value)) {
      return value.map((item) => renderIn(body, [...scopes, item as Scope], name)).join('');
    }
    if (!value) return '';
    const scope = typeof value === 'object' ? (value as Scope) : {};
    return renderIn(body, [...scopes, scope], name);
  });
  return withSections.replace(valuePattern, (_m, key: string) => {
    const value = lookup(scopes, key);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new TemplateError(`${name}: no value for {{${key}}}`);
    }
    const text = String(value);
    if (/[\r\n]/.test(text)) throw new TemplateError(`${name}: value for {{${key}}} contains a line break`);
    return text;
  });
}

export function renderTemplate(text: string, values: Scope, name = 'template'): string {
  return renderIn(text, [values], name);
}
