import type { ContactPolicy } from './types';

/** One leaf of a policy set to another value, by its dotted path (`segments.light.reminderAfterDays`). */
export interface PolicyChange {
  path: string;
  value: unknown;
}

/**
 * The policy with the changes applied, for what-if runs of the scenario runner: a copy, the registered policy stays
 * as it is. Each path must name a field the policy has (a leaf or a whole object); `undefined` removes it. The
 * result is not validated here: callers check it with `policyProblems`.
 */
export function withChanges(policy: ContactPolicy, changes: readonly PolicyChange[]): ContactPolicy {
  if (changes.length === 0) return policy;
  const copy = structuredCopy(policy) as unknown as Record<string, unknown>;
  for (const { path, value } of changes) {
    const keys = path.split('.');
    let parent: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      const child = Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : undefined;
      if (!child || typeof child !== 'object') throw new RangeError(`policy ${policy.name} has no field ${path}`);
      parent = child as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (!Object.prototype.hasOwnProperty.call(parent, last) && value === undefined) {
      throw new RangeError(`policy ${policy.name} has no field ${path}`);
    }
    if (value === undefined) delete parent[last];
    else parent[last] = structuredCopy(value);
  }
  return copy as unknown as ContactPolicy;
}

/** A deep copy of plain data (objects, arrays, numbers including Infinity, strings, booleans, null). */
function structuredCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(structuredCopy) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCopy(v)])) as T;
  }
  return value;
}
