import type { SignatureSpec } from '../signature/signature-spec';
import { type Adapter, type AdapterOptions, BaseAdapter, type Demo } from './adapter';
import { MISSING_FIELD_MESSAGE } from './demos';
import { typeRequirement } from './field-list';
import { AdapterParseError, excerpt } from './errors';
import { type FieldStream, MarkerFieldStream } from './field-stream';
import { JSONAdapter } from './json-adapter';
import { applyOutputDefaults } from './output-defaults';
import { parseValue } from './parse-value';
import { pySplitlines, pyStrip } from './python-text';
import { fieldPlaceholder } from './type-note';

// Python's `\w` is Unicode-aware: letters, digits (any script) and the underscore.
const HEADER = /^\[\[ ## ([\p{L}\p{N}_]+) ## \]\]/u;

/**
 * The default adapter: DSPy's ChatAdapter, byte for byte. Fields are delimited by `[[ ## name ## ]]`
 * markers; a reply it cannot parse is retried once through `JSONAdapter` (see `fallback`).
 * @example const messages = new ChatAdapter().format(signatureOf(QA), [], { question: 'Why?' });
 */
export class ChatAdapter extends BaseAdapter {
  readonly name = 'ChatAdapter';
  readonly fallback?: Adapter;

  /** `fallback: null` disables the one retry through JSONAdapter (which gets the same `markers` option). */
  constructor(options: AdapterOptions & { fallback?: Adapter | null } = {}) {
    super(options);
    this.fallback =
      options.fallback === undefined
        ? new JSONAdapter({
            markers: options.markers,
            nativeFunctionCalling: this.nativeFunctionCalling,
            parallelToolCalls: options.parallelToolCalls,
          })
        : (options.fallback ?? undefined);
  }

  protected fieldStructure(signature: SignatureSpec<any, any>): string {
    const block = (fields: SignatureSpec['fields']) =>
      pyStrip(fields.map((f) => `[[ ## ${f.name} ## ]]\n${fieldPlaceholder(f)}`).join('\n\n'));
    const parts = [
      'All interactions will be structured in the following way, with the appropriate values filled in.',
      block(signature.inputFields),
      block(signature.outputFields),
      '[[ ## completed ## ]]\n',
    ];
    return pyStrip(parts.join('\n\n'));
  }

  protected outputRequirements(signature: SignatureSpec<any, any>): string {
    const fields = signature.outputFields
      .map((f) => `\`[[ ## ${f.name} ## ]]\`${typeRequirement(f)}`)
      .join(', then ');
    return `Respond with the corresponding output fields, starting with the field ${fields}, and then ending with the marker for \`[[ ## completed ## ]]\`.`;
  }

  protected assistantContent(
    signature: SignatureSpec<any, any>,
    outputs: Demo,
    where: string,
    missing: unknown = MISSING_FIELD_MESSAGE,
  ): string {
    const blocks = signature.outputFields.map((f) => {
      const text = this.fieldText(signature, f, f.name in outputs ? outputs[f.name] : missing, where);
      return `[[ ## ${f.name} ## ]]\n${text}`;
    });
    return `${pyStrip(blocks.join('\n\n'))}\n\n[[ ## completed ## ]]\n`;
  }

  /** Reads the output fields of a streamed reply as their markers arrive (see `program.stream()`). */
  fieldStream(signature: SignatureSpec<any, any>): FieldStream {
    return new MarkerFieldStream(signature);
  }

  /** Reads each output after its `[[ ## name ## ]]` marker and parses it to the field's type, as DSPy. */
  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown> {
    const sections: [string | null, string[]][] = [[null, []]];
    for (const line of pySplitlines(completion)) {
      const match = HEADER.exec(pyStrip(line));
      if (match) {
        // DSPy slices the unstripped line at the match's end in the stripped one.
        const rest = pyStrip(line.slice(match[0].length));
        sections.push([match[1], rest ? [rest] : []]);
      } else {
        sections[sections.length - 1][1].push(line);
      }
    }
    const outputs: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [name, lines] of sections) {
      if (name === null || name in outputs) continue;
      const field = signature.field(name);
      if (!field || field.io !== 'output') continue;
      const text = pyStrip(lines.join('\n'));
      try {
        outputs[name] = parseValue(text, field.type);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
        outputs[name] = undefined;
      }
    }
    applyOutputDefaults(signature, outputs);
    const found = signature.outputNames.filter((n) => n in outputs && outputs[n] !== undefined);
    const missing = signature.outputNames.filter((n) => !(n in outputs));
    if (problems.length > 0 || missing.length > 0) {
      const what = [
        missing.length ? `missing output field(s) ${missing.map((m) => `"${m}"`).join(', ')}` : '',
        problems.length ? `invalid value(s): ${problems.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      throw new AdapterParseError(
        `ChatAdapter could not parse the reply for signature "${signature.name}": ${what}. ` +
          `Expected each output after its [[ ## name ## ]] marker. Reply was:\n${excerpt(completion)}`,
        { signature: signature.name, adapter: this.name, completion, found, missing, problems },
      );
    }
    return outputs;
  }
}
