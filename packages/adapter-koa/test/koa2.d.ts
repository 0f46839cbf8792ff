// Koa 2 is installed under the alias "koa2" next to Koa 3; @types/koa describes what these tests use.
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
