import { extractInstruction, renderRecords } from '@sigil/optimize';
import { scoreCaption } from '../../src/gepa/reflective-dataset';

describe('GEPA reflection I/O', () => {
  it('renders records as nested markdown, byte for byte', () => {
    const records = [
      {
        Inputs: { question: 'What is 2+3?' },
        'Generated Outputs': { reasoning: '2+3=6', answer: '6' },
        Feedback: 'Incorrect. The correct answer is 5.',
      },
      { Inputs: { question: 'List two.' }, 'Generated Outputs': { items: ['a', 'b'] }, Feedback: 'Fine.' },
    ];
    expect(renderRecords(records)).toBe(
      '# Example 1\n## Inputs\n### question\nWhat is 2+3?\n\n## Generated Outputs\n### reasoning\n2+3=6\n\n' +
        '### answer\n6\n\n## Feedback\nIncorrect. The correct answer is 5.\n\n' +
        '\n\n' +
        '# Example 2\n## Inputs\n### question\nList two.\n\n## Generated Outputs\n### items\n#### Item 1\na\n\n' +
        '#### Item 2\nb\n\n## Feedback\nFine.\n\n',
    );
  });

  it('stops headings at depth 6 and renders empty containers as a blank line', () => {
    const deep = { Inputs: { a: { b: { c: { d: 'x' } } } }, Feedback: { e: [] } };
    expect(renderRecords([deep])).toBe(
      '# Example 1\n## Inputs\n### a\n#### b\n##### c\n###### d\nx\n\n## Feedback\n### e\n\n',
    );
  });

  it.each([
    [
      'a fenced reply with a language tag',
      'Here it is:\n```text\nClassify the review.\n```\nGood luck.',
      'Classify the review.',
    ],
    [
      'fences around several blocks',
      '```\nfirst\n```\nand\n```\nsecond\n```',
      'first\n```\nand\n```\nsecond',
    ],
    ['a single leading fence', '```markdown\nAnswer in one word.', 'Answer in one word.'],
    ['a single trailing fence', 'Answer in one word.\n```', 'Answer in one word.'],
    ['no fence', '  Answer in one word.  ', 'Answer in one word.'],
    ['an empty block', '```\n```', ''],
  ])('extracts the instruction from %s', (_name, reply, expected) => {
    expect(extractInstruction(reply)).toBe(expected);
  });

  it('captions a bare score as Python prints a float', () => {
    expect(scoreCaption(0.5)).toBe('This trajectory got a score of 0.5.');
    expect(scoreCaption(1)).toBe('This trajectory got a score of 1.0.');
    expect(scoreCaption(0)).toBe('This trajectory got a score of 0.0.');
  });
});
