// Benchmark peer: ManageTaskActivityIn served by node-soap from the same WSDL, tasks kept in a
// Map (no durability, no schema validation, no master data): what a generic SOAP stack costs.
// Usage: node server.js PORT PATH_TO_WSDL
const http = require('http');
const fs = require('fs');
const crypto = require('crypto');
const soap = require('soap');

const [port, wsdlPath] = process.argv.slice(2);
const wsdl = fs.readFileSync(wsdlPath, 'utf8');
const tasks = new Map();
let nextId = 1;

function bundle(args, check) {
  const list = Array.isArray(args.ActivityTask) ? args.ActivityTask : [args.ActivityTask];
  const confirmations = [];
  for (const t of list) {
    const uuid = t.UUID || crypto.randomUUID();
    const id = check ? undefined : String(nextId++);
    if (!check) tasks.set(uuid, { id, ...t });
    const c = {};
    if (t.ObjectNodeSenderTechnicalID) c.ReferenceObjectNodeSenderTechnicalID = t.ObjectNodeSenderTechnicalID;
    c.ChangeStateID = new Date().toISOString().replace(/[-:T]/g, '').replace('Z', '0000');
    c.UUID = uuid;
    if (id) c.ID = id;
    confirmations.push(c);
  }
  return { ActivityTask: confirmations, Log: { BusinessDocumentProcessingResultCode: '3' } };
}

const service = {
  service: {
    binding: {
      MaintainBundle: (args) => bundle(args, false),
      CheckMaintainBundle: (args) => bundle(args, true),
    },
    binding_SOAP12: {
      MaintainBundle: (args) => bundle(args, false),
      CheckMaintainBundle: (args) => bundle(args, true),
    },
  },
};

const server = http.createServer((req, res) => { res.statusCode = 404; res.end(); });
server.listen(Number(port), '127.0.0.1', () => {
  soap.listen(server, '/sap/bc/srt/scs/sap/managetaskactivityin', service, wsdl);
  console.log(`node-soap peer on ${port}`);
});
