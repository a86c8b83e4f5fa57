// The SpiffWorkflow extension elements this product reads, described for bpmn-js so that the side
// panel can read and write them as objects (unknown extensions would only be carried along).
window.SpiffModdle = {
  name: "SpiffWorkflow",
  uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
  prefix: "spiffworkflow",
  xml: { tagAlias: "lowerCase" },
  types: [
    { name: "Properties", superClass: ["Element"],
      properties: [{ name: "properties", type: "Property", isMany: true }] },
    { name: "Property", superClass: ["Element"],
      properties: [{ name: "name", type: "String", isAttr: true }, { name: "value", type: "String", isAttr: true }] },
    { name: "ServiceTaskOperator", superClass: ["Element"],
      properties: [{ name: "id", type: "String", isAttr: true }, { name: "resultVariable", type: "String", isAttr: true },
                   { name: "parameterList", type: "Parameters" }] },
    { name: "Parameters", superClass: ["Element"],
      properties: [{ name: "parameters", type: "Parameter", isMany: true }] },
    { name: "Parameter", superClass: ["Element"],
      properties: [{ name: "id", type: "String", isAttr: true }, { name: "type", type: "String", isAttr: true },
                   { name: "value", type: "String", isAttr: true }] },
    { name: "PreScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
    { name: "PostScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] }
  ]
};
