import { IsIn, IsInt, Length, Max, Min, ValidateNested } from 'class-validator';
import { ChatAdapter, Field, Input, JSONAdapter, Output, signatureOf } from '@sigil/core';

class Address {
  @Field() @Length(2, 20) city!: string;
  @Field() @Min(0) zip!: number;
}

class Review {
  @Input() text!: string;
  @Output() @IsIn(['positive', 'negative']) label!: string;
  @Output() @IsInt() @Min(1) @Max(5) stars!: number;
  @Output() @Length(2, 4) code!: string;
  @Output({ type: () => Address }) @ValidateNested() address!: Address;
}

const valid = { label: 'positive', stars: 4, code: 'abc', address: { city: 'Paris', zip: 75001 } };

describe('class-validator constraints on output fields', () => {
  const spec = signatureOf(Review);

  it('finds no problem in valid outputs', () => {
    expect(spec.validateOutputs(valid)).toEqual([]);
  });

  it('reports @IsIn', () => {
    expect(spec.validateOutputs({ ...valid, label: 'neutral' })).toEqual([
      'label: label must be one of the following values: positive, negative',
    ]);
  });

  it('reports @IsInt, @Min and @Max', () => {
    expect(spec.validateOutputs({ ...valid, stars: 4.5 })).toEqual([
      'stars: stars must be an integer number',
    ]);
    expect(spec.validateOutputs({ ...valid, stars: 0 })).toEqual(['stars: stars must not be less than 1']);
    expect(spec.validateOutputs({ ...valid, stars: 9 })).toEqual(['stars: stars must not be greater than 5']);
  });

  it('reports @Length', () => {
    expect(spec.validateOutputs({ ...valid, code: 'abcdef' })).toEqual([
      'code: code must be shorter than or equal to 4 characters',
    ]);
  });

  it('reports @ValidateNested problems with their path, for parsed and for plain objects', () => {
    const parsed = new ChatAdapter().parse(
      spec,
      '[[ ## label ## ]]\npositive\n\n[[ ## stars ## ]]\n4\n\n[[ ## code ## ]]\nabc\n\n' +
        '[[ ## address ## ]]\n{"city": "X", "zip": -1}\n\n[[ ## completed ## ]]',
    );
    expect(parsed.address).toBeInstanceOf(Address);
    const expected = [
      'address.city: city must be longer than or equal to 2 characters',
      'address.zip: zip must not be less than 0',
    ];
    expect(spec.validateOutputs(parsed)).toEqual(expected);
    expect(spec.validateOutputs({ ...valid, address: { city: 'X', zip: -1 } })).toEqual(expected);
  });

  it('checks only the outputs it is given', () => {
    expect(spec.validateOutputs({ label: 'positive' })).toEqual([]);
  });

  it('states the constraints in the field list in DSPy order', () => {
    const system = new ChatAdapter().format(spec, [], { text: 't' })[0].content;
    expect(system).toContain(
      '2. `stars` (float): \nConstraints: greater than or equal to: 1, less than or equal to: 5\n',
    );
    expect(system).toContain('3. `code` (str): \nConstraints: minimum length: 2, maximum length: 4\n');
  });

  it('leaves constraints out of the structured-output schema, as DSPy does', () => {
    // DSPy builds the response model from each output's annotation and default only.
    const { responseFormat } = new JSONAdapter().callOptions(spec, { supportsStructuredOutputs: true }) as {
      responseFormat: { json_schema: { schema: { properties: Record<string, unknown> } } };
    };
    const properties = responseFormat.json_schema.schema.properties;
    expect(properties.stars).toEqual({ type: 'number', title: 'Stars' });
    expect(properties.code).toEqual({ type: 'string', title: 'Code' });
    expect(properties.label).toEqual({ type: 'string', title: 'Label' });
  });

  it('prints no Constraints line for class-validator checks DSPy has no words for', () => {
    const system = new ChatAdapter().format(spec, [], { text: 't' })[0].content;
    expect(system).toContain('1. `label` (str): \n2. `stars`');
  });
});
