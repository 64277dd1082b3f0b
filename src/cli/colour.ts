import pc from 'picocolors';

/**
 * Whether stdout gets ANSI colour: only a terminal that has colours. Node's `hasColors` honours
 * NO_COLOR, FORCE_COLOR and TERM; a pipe or a file never gets colour, even where picocolors' own
 * default would turn it on (it colours whenever `CI` is set).
 */
export const stdoutHasColour = (): boolean => process.stdout.isTTY === true && process.stdout.hasColors();

/** picocolors' functions, on or off by {@link stdoutHasColour}. */
export const stdoutColours = (): ReturnType<typeof pc.createColors> => pc.createColors(stdoutHasColour());

/** The width human output wraps at: a terminal's columns, else 100 (pipes and files). */
export const stdoutWidth = (): number => (process.stdout.isTTY === true && process.stdout.columns > 40 ? process.stdout.columns : 100);
