import path from 'node:path';
import { z } from 'zod';
import { parseJsonFile } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { EffectiveGate } from './gates/evaluate.js';
import type { GateSpec } from './types.js';

const gateOverrideSchema = z
  .strictObject({
    threshold: z.number().optional(),
    /** The reason the gate is off; a gate cannot be switched off silently. */
    disabled: z.string().trim().min(1, 'give the reason the gate is off').optional(),
    subjects: z.array(z.string().min(1)).min(1).optional(),
    excludeSubjects: z.array(z.string().min(1)).optional(),
    sizes: z.array(z.number().int().positive()).min(1).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: 'empty override; set threshold, disabled, subjects, excludeSubjects or sizes',
  });

/**
 * The thresholds file: `{ "gates": { "<gate id>": { "threshold": 3 } } }`. It changes default gates;
 * it cannot add new ones (a new gate is code review, not configuration).
 */
export const thresholdsFileSchema = z.strictObject({
  $comment: z.string().optional(),
  gates: z.record(z.string(), gateOverrideSchema),
});
export type ThresholdsFile = z.infer<typeof thresholdsFileSchema>;
export type GateOverride = z.infer<typeof gateOverrideSchema>;

export function loadThresholds(file: string): ThresholdsFile {
  return parseJsonFile(file, thresholdsFileSchema, 'thresholds file');
}

/** Applies a thresholds file to the default gates; an id that names no gate is bad input. */
export function applyThresholds(
  gates: readonly GateSpec[],
  thresholds: ThresholdsFile | undefined,
  file = 'thresholds',
): EffectiveGate[] {
  const overrides = thresholds?.gates ?? {};
  const known = new Set(gates.map((gate) => gate.id));
  for (const id of Object.keys(overrides)) {
    if (!known.has(id))
      throw new InputError(`${file}: key "gates.${id}": no such gate; known gates: ${[...known].join(', ')}`);
  }
  const label = path.basename(file);
  return gates.map((gate) => {
    const override = overrides[gate.id];
    if (!override) return { ...gate };
    const selector = { ...gate.selector };
    if (override.subjects) selector.subjects = override.subjects;
    if (override.excludeSubjects) selector.excludeSubjects = override.excludeSubjects;
    if (override.sizes) selector.sizes = override.sizes;
    return {
      ...gate,
      selector,
      threshold: override.threshold ?? gate.threshold,
      ...(override.disabled !== undefined ? { disabled: override.disabled } : {}),
      override: {
        file: label,
        changed: Object.keys(override),
        defaults: { threshold: gate.threshold, selector: gate.selector },
      },
    };
  });
}
