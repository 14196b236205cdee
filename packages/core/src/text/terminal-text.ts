/**
 * Text from data (dataset rows, LM replies, error messages) made safe to print on a terminal: control
 * characters a terminal acts on — ESC sequences (window title, clear screen, clipboard writes, hyperlinks),
 * BEL, C1 controls, a bare carriage return that overwrites the line, bidirectional overrides — are shown
 * as escapes (`\x1b`, `\u202e`) instead of being obeyed. Newlines and tabs are kept.
 */

// C0 but \t and \n, DEL, C1, and the Unicode bidi embedding/override/isolate controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function escapeOf(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with terminal control characters written as visible escapes.
 * @example terminalSafe('\x1b]0;title\x07') // '\\x1b]0;title\\x07'
 */
export function terminalSafe(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeOf) : text;
}
