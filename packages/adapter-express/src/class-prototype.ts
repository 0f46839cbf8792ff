/**
 * Where the adapter installs its hooks: the prototype of the object's class (Node's
 * `IncomingMessage.prototype` / `ServerResponse.prototype`), found as the first prototype with its
 * own `constructor`. Express puts `app.request` / `app.response` (plain objects) in between, and a
 * mounted sub-app swaps them for its own during its routes; the class stays the same.
 */
export function classPrototypeOf(object: object): object {
  for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, "constructor")) return proto;
  }
  throw new TypeError("[tessera] [adapter-express] expected a Node request or response object");
}
