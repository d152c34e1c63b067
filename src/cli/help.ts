/** The "Example:" block at the end of a command's --help, and paragraphs of help text. */
import type { Command } from 'commander';

export function withExamples(command: Command, ...examples: string[]): Command {
  const title = examples.length === 1 ? 'Example' : 'Examples';
  return command.addHelpText('after', `\n${title}:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}

/** A paragraph for --help, wrapped to fit 80 columns (commander wraps options, not added text). */
export function paragraph(text: string, width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
