/**
 * Colour for terminals only: a state is coloured when stdout is a TTY and NO_COLOR is unset
 * (https://no-color.org), so that pipes, files and scripts get plain text.
 */
const codes = { green: 32, yellow: 33, red: 31, dim: 2 } as const;
export type Colour = keyof typeof codes;

export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

export function paint(text: string, colour: Colour | undefined, enabled: boolean): string {
  return enabled && colour ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

const stateColours: Readonly<Record<string, Colour>> = {
  RUNNING: 'green',
  STARTING: 'yellow',
  BACKOFF: 'yellow',
  STOPPING: 'yellow',
  FAILED: 'red',
  STOPPED: 'dim',
  EXITED: 'dim',
  CREATED: 'dim',
};

export function stateColour(state: string): Colour | undefined {
  return stateColours[state];
}
