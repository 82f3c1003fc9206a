/**
 * A gate's reason as it is written: writegate's own words with pieces taken from the input between
 * them (a subject, a row's note, a thresholds file's reason, a series label). Its plain text is the
 * `detail` of --json and stderr; RESULTS.md renders the input's pieces inert (report/markdown.ts,
 * `phraseMarkdown`) and keeps the words as text. Built where the reason is worded, so nothing has to
 * tell words from input later by reading the string again.
 */
export type PhrasePart = string | { readonly input: string };
export type Phrase = readonly PhrasePart[];

/** A piece of a phrase that came from the input. */
export function input(text: string): PhrasePart {
  return { input: text };
}

export function phraseText(phrase: Phrase): string {
  return phrase.map((part) => (typeof part === 'string' ? part : part.input)).join('');
}

/** Phrases joined by one of writegate's separators. */
export function joinPhrases(phrases: readonly Phrase[], separator: string): Phrase {
  return phrases.flatMap((phrase, index) => (index === 0 ? phrase : [separator, ...phrase]));
}

/** The detail a gate result carries: its instance, then its reason. */
export function detailText(instance: string, reason: Phrase): string {
  return instance ? `${instance}: ${phraseText(reason)}` : phraseText(reason);
}
