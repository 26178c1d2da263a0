// The message catalogues: one per language, flat keys, ICU message syntax. English is the reference.
import type { Locale } from '@contracts';
import de from './de.json';
import en from './en.json';

/** A key of the message catalogue. */
export type MessageKey = keyof typeof en;

/** Every language's messages (the catalogue test keeps their keys identical). */
export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, de };
