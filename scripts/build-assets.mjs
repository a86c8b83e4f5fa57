// Copy the front-end files the templates use from node_modules into the static vendor folder.
import { copyFileSync, mkdirSync } from "node:fs";

const out = "app/web/static/vendor";
mkdirSync(out, { recursive: true });
const files = [
  ["node_modules/bootstrap/dist/css/bootstrap.min.css", "bootstrap.min.css"],
  ["node_modules/chart.js/dist/chart.umd.min.js", "chart.umd.min.js"],
];
for (const [from, to] of files) {
  copyFileSync(from, `${out}/${to}`);
  console.log(`assets: ${to}`);
}
