// Express 4 is installed under the alias "express4" next to Express 5; the v5 types describe
// everything these tests use of it.
declare module "express4" {
  import express from "express";
  export default express;
}
