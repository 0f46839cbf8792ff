/** The one Node API the `*.node.test.ts` files use (core's tests are type-checked without Node's types). */
declare module "node:util" {
  export function inspect(value: unknown, options?: object): string;
}
