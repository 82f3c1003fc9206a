/**
 * How writegate 1.0.0 wrote the details that are JSON now. docs/versioning.md promises an earlier 1.x
 * CSV stays readable, so decodeDetail falls back to these; analyze never parses a detail itself.
 * Each returns a candidate the metric's schema then checks, or undefined when the text is not that form.
 */

/** `k/n` (crash and crash-image rates). */
export function legacyCounts(text: string): unknown {
  const counted = /^(\d+)\/(\d+)$/.exec(text);
  return counted ? { k: Number(counted[1]), n: Number(counted[2]) } : undefined;
}

/** `k/n what` or `no what [ran]` (hook's policy and audit rates). */
export function legacyCountsOf(text: string): unknown {
  const counted = /^(\d+)\/(\d+) (.+)$/s.exec(text);
  if (counted) return { k: Number(counted[1]), n: Number(counted[2]), of: counted[3] };
  const none = /^no (.+?)(?: ran)?$/s.exec(text);
  return none ? { k: 0, n: 0, of: none[1] } : undefined;
}

/** `key=value; key=value`: a value never held `; ` followed by a key. */
function keyValues(text: string): Record<string, string> | undefined {
  if (!/^[a-z_]+=/.test(text)) return undefined;
  return Object.fromEntries(
    text.split(/; (?=[a-z_]+=)/).flatMap((part) => {
      const eq = part.indexOf('=');
      return eq > 0 ? [[part.slice(0, eq), part.slice(eq + 1)]] : [];
    }),
  );
}

/** `step=…; fault=…; held=…; reported=…; failed=a, b`; a missing field reads as `?`. */
export function legacyFailedTrial(text: string): unknown {
  const fields = keyValues(text);
  if (!fields) return undefined;
  const field = (name: string) => fields[name] ?? '?';
  return {
    step: field('step'),
    fault: field('fault'),
    held: field('held'),
    reported: field('reported'),
    failed: field('failed').split(', '),
  };
}

/** `step=…; fault=…; reason=…` (crash), or `point: reason` (crash images). */
export function legacyNotReachedTrial(text: string): unknown {
  const fields = keyValues(text);
  if (fields)
    return {
      step: fields.step ?? '?',
      ...(fields.fault !== undefined ? { fault: fields.fault } : {}),
      reason: fields.reason ?? '',
    };
  const point = /^([a-z_]+): (.*)$/s.exec(text);
  return point ? { step: point[1], reason: point[2] } : { step: '', reason: text };
}

/** `step: why; step: why`: a piece that names no step continues the reason before it. */
export function legacyAbsentSteps(text: string): unknown {
  const steps: { step: string; reason: string }[] = [];
  for (const part of text.split('; ')) {
    const named = /^([a-z_]+): (.*)$/s.exec(part);
    const last = steps.at(-1);
    if (named) steps.push({ step: named[1] ?? '', reason: named[2] ?? '' });
    else if (last) last.reason += `; ${part}`;
    else steps.push({ step: '', reason: part });
  }
  return steps;
}

/** `check=…; why=…`. */
export function legacyPowerLossViolation(text: string): unknown {
  const check = /^check=([a-z]+); why=(.*)$/s.exec(text);
  return check ? { check: check[1], why: check[2] } : undefined;
}

/** The transport's method as written; an estimate said so in its first word. */
export function legacySpawnOverhead(text: string): unknown {
  return { method: text, estimated: /^ESTIMATED\b|estimate/i.test(text) };
}

/** `key: native … ≠ wrapper …; …`. */
export function legacySideEffects(text: string): unknown {
  return { differences: text.split('; ').filter(Boolean) };
}

/** `missing: a | b`. */
export function legacyMissingSignals(text: string): unknown {
  return {
    missing: text
      .replace(/^missing: /, '')
      .split(' | ')
      .filter(Boolean),
  };
}

/** A command line where JSON was expected (a hand-made row). */
export function legacyOffender(text: string): unknown {
  return { command: text, class: 'unknown', answers: [] };
}

/** A path where JSON was expected (a hand-made row). */
export function legacyAuditFile(text: string): unknown {
  return { path: text, kind: '', malformed: 0 };
}

/** A command where JSON was expected (a hand-made row). */
export function legacyAuditFinding(text: string): unknown {
  return {
    sessionId: '',
    toolUseId: '',
    command: text,
    rewritten: '',
    class: 'unknown',
    retried: false,
    failed: false,
  };
}
