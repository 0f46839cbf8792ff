/** Web-standard globals the tests use beyond those in src/web-globals.d.ts (present on Node and edge runtimes). */
declare global {
  function structuredClone<T>(value: T): T;
  function btoa(data: string): string;
}

export {};
