// Copy the front-end files the templates use from node_modules into the static vendor folder.
import { copyFileSync, cpSync, mkdirSync } from "node:fs";

const out = "app/web/static/vendor";
mkdirSync(out, { recursive: true });
const files = [
  ["node_modules/bootstrap/dist/css/bootstrap.min.css", "bootstrap.min.css"],
  ["node_modules/chart.js/dist/chart.umd.min.js", "chart.umd.min.js"],
  // bpmn-js ships prebuilt bundles: the modeler for HR's designer, the navigated viewer for case pages.
  ["node_modules/bpmn-js/dist/bpmn-modeler.production.min.js", "bpmn-js/bpmn-modeler.production.min.js"],
  ["node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js", "bpmn-js/bpmn-navigated-viewer.production.min.js"],
  ["node_modules/bpmn-js/dist/assets/diagram-js.css", "bpmn-js/diagram-js.css"],
  ["node_modules/bpmn-js/dist/assets/bpmn-js.css", "bpmn-js/bpmn-js.css"],
];
mkdirSync(`${out}/bpmn-js`, { recursive: true });
for (const [from, to] of files) {
  copyFileSync(from, `${out}/${to}`);
  console.log(`assets: ${to}`);
}
cpSync("node_modules/bpmn-js/dist/assets/bpmn-font", `${out}/bpmn-js/bpmn-font`, { recursive: true });
console.log("assets: bpmn-js/bpmn-font");
