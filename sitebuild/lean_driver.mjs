// The Node half of the lean-runtime step (sitebuild/lean.py writes the job, reads the result).
// It starts Pyodide the way the browser's worker does (loadPyodide, then the wheel the local
// lockfile names, checked against its sha256, put on sys.path as is), runs sitebuild/lean_probe.py
// inside it to replay every widget action, and, when asked, compiles bytecode with Pyodide's own
// Python. Usage: node lean_driver.mjs JOB.json   (the result goes to job.result as JSON)
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const result = { boot: null, actions: [], modules: [], written: {}, magic: null, output: [] };
const save = () => fs.writeFileSync(job.result, JSON.stringify(result));

const { loadPyodide } = await import(pathToFileURL(path.join(job.indexURL, "pyodide.mjs")).href);
const options = {
  indexURL: job.indexURL + path.sep,
  lockFileURL: job.lockFileURL,
  packageBaseUrl: path.dirname(job.lockFileURL) + path.sep,
  stdout: (line) => result.output.push(line),
  stderr: (line) => result.output.push(line),
};
if (job.stdLibURL) options.stdLibURL = job.stdLibURL;

// What calc-worker.mjs's addWheel does with the checked bytes: the wheel the lockfile names, if its
// sha256 is the lockfile's, goes on sys.path and Python imports from it (zipimport).
function addWheel(pyodide) {
  const entry = JSON.parse(fs.readFileSync(job.lockFileURL, "utf8")).packages.calculators;
  const body = fs.readFileSync(path.join(path.dirname(job.lockFileURL), entry.file_name));
  const digest = crypto.createHash("sha256").update(body).digest("hex");
  if (digest !== entry.sha256) throw new Error(`${entry.file_name}: sha256 ${digest}, the lockfile says ${entry.sha256}`);
  pyodide.FS.mkdirTree("/lib/wheels");
  pyodide.FS.writeFile(`/lib/wheels/${entry.file_name}`, body);
  const sysPath = pyodide.pyimport("sys").path;
  sysPath.insert(0, `/lib/wheels/${entry.file_name}`);
  sysPath.destroy();
}

let pyodide;
try {
  pyodide = await loadPyodide(options);
  addWheel(pyodide);
  // What the worker does next; a missing module here fails the boot like it would in the browser.
  pyodide.pyimport("calculators.web.api");
} catch (error) {
  result.boot = String((error && error.message) || error);
  save();
  process.exit(0);
}

pyodide.mountNodeFS("/lean", job.workDir);
const probe = pyodide.runPython(
  "import types\nprobe = types.ModuleType('lean_probe')\n" +
    "exec(compile(open('/lean/lean_probe.py').read(), 'lean_probe.py', 'exec'), probe.__dict__)\nprobe",
);
result.actions = JSON.parse(probe.run_actions(fs.readFileSync(job.actions, "utf8")));
result.modules = JSON.parse(probe.modules()); // before any compile helper imports its own modules
result.magic = probe.magic();
for (const task of job.compile || []) {
  let written;
  if (task.kind === "stdlib") {
    // The members: the files the recorded modules came from (lean_probe.members_for), unless the job names them.
    const members = task.members ? JSON.stringify(task.members) : probe.select(JSON.stringify(result.modules), task.source, task.prefix);
    written = probe.compile_stdlib(task.source, members, task.target, task.prefix);
  } else {
    written = probe.compile_wheel(task.source, task.target, task.prefix);
  }
  result.written[task.target] = JSON.parse(written);
}
save();
