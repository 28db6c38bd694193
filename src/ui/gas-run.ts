/** google.script.run as promises. Errors thrown on the server arrive with their (Vietnamese) message. */
interface Runner {
  withSuccessHandler(fn: (value: unknown) => void): Runner;
  withFailureHandler(fn: (error: Error) => void): Runner;
  [name: string]: unknown;
}
declare const google: { script: { run: Runner; host: { close(): void } } };

export function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const runner = google.script.run.withSuccessHandler((v) => resolve(v as T)).withFailureHandler((e) => reject(e instanceof Error ? e : new Error(String(e))));
    (runner[name] as (...a: unknown[]) => void)(...args);
  });
}

export function closeDialog(): void {
  google.script.host.close();
}
