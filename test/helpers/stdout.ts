/**
 * Makes the test process's stdout pose as a colour terminal (`true`) or a pipe (`false`), so
 * tests of terminal-dependent output (colour, progress bars) do not depend on how CI runs them.
 * Returns the function that puts the real properties back.
 */
export function poseStdout(terminal: boolean): () => void {
  const keys = ['isTTY', 'hasColors'] as const;
  const saved = keys.map((key) => Object.getOwnPropertyDescriptor(process.stdout, key));
  Object.defineProperty(process.stdout, 'isTTY', { value: terminal, configurable: true });
  Object.defineProperty(process.stdout, 'hasColors', { value: () => terminal, configurable: true });
  return () =>
    keys.forEach((key, i) => {
      const d = saved[i];
      if (d) Object.defineProperty(process.stdout, key, d);
      else Reflect.deleteProperty(process.stdout, key);
    });
}
