import { AdapterParseError, ChatAdapter, JSONAdapter } from '@sigil/core';
import { signatureFromDescription } from '@sigil/core/internal';

/**
 * DSPy adapter tests whose assertions do not fit the case files (`cases/dspy-tests.json`): substrings of
 * a message, the system message alone, the response format and the error raised. Expected strings are
 * copied from DSPy's tests (tests/adapters/test_chat_adapter.py, test_json_adapter.py).
 */
const chat = new ChatAdapter();
const json = new JSONAdapter();

type Field = Parameters<typeof signatureFromDescription>[0]['fields'][number];
const sig = (name: string, fields: Field[], instructions: string | null = null) =>
  signatureFromDescription({ name, instructions, fields });

describe('DSPy test_chat_adapter_quotes_literals_as_expected', () => {
  const scenarios: [
    string,
    (string | number | boolean)[],
    (string | number | boolean)[],
    unknown,
    string,
    string,
  ][] = [
    [
      'double quotes inside strings',
      ['one', 'two', 'three"'],
      ['four', 'five', 'six"'],
      'two',
      `Literal['one', 'two', 'three"']`,
      `Literal['four', 'five', 'six"']`,
    ],
    [
      'single quotes inside strings',
      ["she's here", 'okay', 'test'],
      ['done', "maybe'soon", 'later'],
      "she's here",
      `Literal["she's here", 'okay', 'test']`,
      `Literal['done', "maybe'soon", 'later']`,
    ],
    [
      'both quotes inside strings',
      [`both"and'`, 'another'],
      [`yet"another'`, 'plain'],
      'another',
      `Literal['both"and\\'', 'another']`,
      `Literal['yet"another\\'', 'plain']`,
    ],
    ['no quotes', ['foo', 'bar'], ['baz', 'qux'], 'foo', `Literal['foo', 'bar']`, `Literal['baz', 'qux']`],
    ['mixed types', [1, 'bar'], [true, 3, 'foo'], 'bar', `Literal[1, 'bar']`, `Literal[True, 3, 'foo']`],
  ];
  it.each(scenarios)('%s', (_name, input, output, value, expectedInput, expectedOutput) => {
    const spec = sig('TestSignature', [
      { name: 'input_text', io: 'input', type: { literal: input } },
      { name: 'output_text', io: 'output', type: { literal: output } },
    ]);
    const content = chat.format(spec, [], { input_text: value })[0].content;
    expect(content).toContain(expectedInput);
    expect(content).toContain(expectedOutput);
  });
});

describe('DSPy test_chat_adapter_with_pydantic_models', () => {
  it('names the class types and serializes nested values', () => {
    const dogClass = {
      class: {
        name: 'DogClass',
        fields: [
          { name: 'dog_breeds', type: { array: 'string' } },
          { name: 'num_dogs', type: 'integer' },
        ],
      },
    } as const;
    const spec = sig('TestSignature', [
      {
        name: 'owner',
        io: 'input',
        type: {
          class: {
            name: 'PetOwner',
            fields: [
              { name: 'name', type: 'string' },
              { name: 'num_pets', type: 'integer' },
              { name: 'dogs', type: dogClass },
            ],
          },
        },
      },
      { name: 'question', io: 'input', type: 'string' },
      {
        name: 'output',
        io: 'output',
        type: {
          class: {
            name: 'Answer',
            fields: [
              { name: 'result', type: 'string' },
              { name: 'analysis', type: 'string' },
            ],
          },
        },
      },
    ]);
    const messages = chat.format(spec, [], {
      owner: { name: 'John', num_pets: 5, dogs: { dog_breeds: ['labrador', 'chihuahua'], num_dogs: 2 } },
      question: 'How many non-dog pets does John have?',
    });
    const system = messages[0].content;
    const user = messages[1].content;
    expect(system).toContain('1. `owner` (PetOwner)');
    expect(system).toContain('2. `question` (str)');
    expect(system).toContain('1. `output` (Answer)');
    for (const s of [
      'name',
      'num_pets',
      'dogs',
      'dog_breeds',
      'num_dogs',
      'How many non-dog pets does John have?',
    ])
      expect(user).toContain(s);
  });
});

describe('DSPy test_chat_adapter_signature_information', () => {
  it('lists the fields and their markers', () => {
    const spec = sig('TestSignature', [
      { name: 'input1', io: 'input', type: 'string', desc: 'String Input' },
      { name: 'input2', io: 'input', type: 'integer', desc: 'Integer Input' },
      { name: 'output', io: 'output', type: 'string', desc: 'String Output' },
    ]);
    const messages = chat.format(spec, [], { input1: 'Test', input2: 11 });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    const [system, user] = messages.map((m) => m.content);
    expect(system).toContain('1. `input1` (str)');
    expect(system).toContain('2. `input2` (int)');
    expect(system).toContain('1. `output` (str)');
    expect(system).toContain('[[ ## input1 ## ]]\n{input1}');
    expect(system).toContain('[[ ## input2 ## ]]\n{input2}');
    expect(system).toContain('[[ ## output ## ]]\n{output}');
    expect(system).toContain('[[ ## completed ## ]]');
    for (const marker of [
      '[[ ## input1 ## ]]',
      '[[ ## input2 ## ]]',
      '[[ ## output ## ]]',
      '[[ ## completed ## ]]',
    ])
      expect(user).toContain(marker);
  });
});

const multiAnswer = sig(
  'MySignature',
  [
    { name: 'question', io: 'input', type: 'string' },
    { name: 'answers', io: 'output', type: { array: 'string' } },
    { name: 'scores', io: 'output', type: { array: 'number' } },
  ],
  'Answer the question with multiple answers and scores',
);

describe('DSPy test_format_system_message', () => {
  it('ChatAdapter', () => {
    expect(chat.format(multiAnswer, [], { question: 'Q' })[0].content).toBe(`Your input fields are:
1. \`question\` (str):
Your output fields are:
1. \`answers\` (list[str]):\x20
2. \`scores\` (list[float]):
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## answers ## ]]
{answers}        # note: the value you produce must adhere to the JSON schema: {"type": "array", "items": {"type": "string"}}

[[ ## scores ## ]]
{scores}        # note: the value you produce must adhere to the JSON schema: {"type": "array", "items": {"type": "number"}}

[[ ## completed ## ]]
In adhering to this structure, your objective is:\x20
        Answer the question with multiple answers and scores`);
  });

  it('JSONAdapter', () => {
    expect(json.format(multiAnswer, [], { question: 'Q' })[0].content).toBe(`Your input fields are:
1. \`question\` (str):
Your output fields are:
1. \`answers\` (list[str]):\x20
2. \`scores\` (list[float]):
All interactions will be structured in the following way, with the appropriate values filled in.

Inputs will have the following structure:

[[ ## question ## ]]
{question}

Outputs will be a JSON object with the following fields.

{
  "answers": "{answers}        # note: the value you produce must adhere to the JSON schema: {\\"type\\": \\"array\\", \\"items\\": {\\"type\\": \\"string\\"}}",
  "scores": "{scores}        # note: the value you produce must adhere to the JSON schema: {\\"type\\": \\"array\\", \\"items\\": {\\"type\\": \\"number\\"}}"
}
In adhering to this structure, your objective is:\x20
        Answer the question with multiple answers and scores`);
  });
});

describe('DSPy test_json_adapter_on_pydantic_model', () => {
  const spec = sig('TestSignature', [
    {
      name: 'user',
      io: 'input',
      type: {
        class: {
          name: 'User',
          fields: [
            { name: 'id', type: 'integer' },
            { name: 'name', type: 'string' },
            { name: 'email', type: 'string' },
          ],
        },
      },
      desc: 'The user who asks the question',
    },
    { name: 'question', io: 'input', type: 'string', desc: 'Question the user asks' },
    {
      name: 'answer',
      io: 'output',
      type: {
        class: {
          name: 'Answer',
          fields: [
            { name: 'analysis', type: 'string' },
            { name: 'result', type: 'string' },
          ],
        },
      },
      desc: 'Answer to this question',
    },
  ]);

  it('formats the system and user messages', () => {
    const messages = json.format(spec, [], {
      user: { id: 5, name: 'name_test', email: 'email_test' },
      question: 'What is the capital of France?',
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    const [system, user] = messages.map((m) => m.content);
    expect(system).toContain(
      '1. `user` (User): The user who asks the question\n2. `question` (str): Question the user asks\n',
    );
    expect(system).toContain('1. `answer` (Answer): Answer to this question\n');
    expect(system).toContain('[[ ## user ## ]]\n{user}\n\n[[ ## question ## ]]\n{question}\n\n');
    expect(system).toContain(
      'Outputs will be a JSON object with the following fields.\n\n{\n  ' +
        '"answer": "{answer}        # note: the value you produce must adhere to the JSON schema: ' +
        '{\\"type\\": \\"object\\", \\"properties\\": {\\"analysis\\": {\\"type\\": \\"string\\", \\"title\\": ' +
        '\\"Analysis\\"}, \\"result\\": {\\"type\\": \\"string\\", \\"title\\": \\"Result\\"}}, \\"required\\": ' +
        '[\\"analysis\\", \\"result\\"], \\"title\\": \\"Answer\\"}"\n}',
    );
    expect(user).toContain(
      '[[ ## user ## ]]\n{"id": 5, "name": "name_test", "email": "email_test"}\n\n[[ ## question ## ]]\n' +
        'What is the capital of France?\n\n',
    );
  });

  it('parses the reply into the nested class', () => {
    const out = json.parse(
      spec,
      "{'answer': {'analysis': 'Paris is the capital of France', 'result': 'Paris'}}",
    );
    expect(out.answer).toEqual({ analysis: 'Paris is the capital of France', result: 'Paris' });
  });
});

describe('DSPy JSONAdapter response_format', () => {
  const spec = sig('TestSignature', [
    { name: 'input1', io: 'input', type: 'string' },
    { name: 'output1', io: 'output', type: 'string' },
    { name: 'output2', io: 'output', type: 'boolean', desc: 'Boolean output field' },
    {
      name: 'output3',
      io: 'output',
      type: {
        class: {
          name: 'OutputField3',
          fields: [
            { name: 'subfield1', type: 'integer' },
            { name: 'subfield2', type: 'number' },
          ],
        },
      },
      desc: 'Nested output field',
    },
    { name: 'output4_unannotated', io: 'output', desc: 'Unannotated output field' },
  ]);

  it('sends a structured-outputs schema of the output fields when the model supports it (test_json_adapter_passes_structured_output_when_supported_by_model)', () => {
    const format = json.callOptions(spec, { supportsStructuredOutputs: true }).responseFormat as any;
    expect(format.type).toBe('json_schema');
    expect(Object.keys(format.json_schema.schema.properties).sort()).toEqual([
      'output1',
      'output2',
      'output3',
      'output4_unannotated',
    ]);
  });

  it('falls back to JSON mode when the model has no structured outputs (test_json_adapter_json_mode_no_structured_outputs)', () => {
    const simple = sig('TestSignature', [
      { name: 'question', io: 'input', type: 'string' },
      { name: 'answer', io: 'output', type: 'string', desc: 'String output field' },
    ]);
    expect(json.callOptions(simple, { supportsStructuredOutputs: false }).responseFormat).toEqual({
      type: 'json_object',
    });
    expect(json.parse(simple, "{'answer': 'Test output'}")).toEqual({ answer: 'Test output' });
  });
});

describe('DSPy parse failures', () => {
  const qa = sig('StringSignature', [
    { name: 'question', io: 'input', type: 'string' },
    { name: 'answer', io: 'output', type: 'string' },
  ]);

  it('ChatAdapter raises an AdapterParseError on a reply without markers (test_chat_adapter_exception_raised_on_failure)', () => {
    expect(() => chat.parse(qa, "{'output':'mismatched value'}")).toThrow(AdapterParseError);
  });

  it('JSONAdapter raises an AdapterParseError naming no parsed fields (test_json_adapter_parse_raise_error_on_mismatch_fields)', () => {
    let error: unknown;
    try {
      json.parse(qa, "{'answer1': 'Paris'}");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AdapterParseError);
    const e = error as AdapterParseError;
    expect(e.adapter).toBe('JSONAdapter');
    expect(e.completion).toBe("{'answer1': 'Paris'}");
    expect(e.found).toEqual([]);
    expect(e.missing).toEqual(['answer']);
  });

  it("ChatAdapter's JSONAdapter fallback parses a dict reply (test_chat_adapter_fallback_to_json_adapter_on_exception)", () => {
    expect(() => chat.parse(qa, "{'answer': 'Paris'}")).toThrow(AdapterParseError);
    expect(chat.fallback?.parse(qa, "{'answer': 'Paris'}")).toEqual({ answer: 'Paris' });
    expect(new ChatAdapter({ fallback: null }).fallback).toBeUndefined();
  });
});
