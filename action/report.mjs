#!/usr/bin/env node
// The action's reading of one writegate run (called by run.sh): the `verdict` and `report` outputs,
// RESULTS.md in the job summary, one error annotation per failed gate, and the text of the pull
// request comment (comment.cjs posts it). It never changes the exit code: the action's last step
// exits with writegate's own.
//
// Inputs are environment variables: WG_REPORT_JSON (writegate's --json stdout), WG_REPORT_STDERR,
// WG_REPORT_EXIT, WG_REPORT_OUT (results directory, empty when writegate never ran),
// WG_REPORT_ARTIFACT, WG_REPORT_COMMENT_FILE, WG_COMMAND, WG_UPLOAD, and the runner's GITHUB_*.
import fs from 'node:fs';
import path from 'node:path';

/** GitHub's limit on an issue comment's body, in characters. */
const COMMENT_LIMIT = 65536;
/** GitHub's limit on one step's job summary is 1 MiB; stay under it with room for the note. */
const SUMMARY_LIMIT = 1000 * 1024;
/** GitHub shows at most 10 error annotations of one step. */
const ANNOTATION_LIMIT = 10;
const MESSAGE_LIMIT = 4000;

const env = process.env;
const command = env.WG_COMMAND || 'gate';
const exitCode = Number.parseInt(env.WG_REPORT_EXIT ?? '', 10);
const outDir = env.WG_REPORT_OUT ?? '';
const artifact = env.WG_REPORT_ARTIFACT ?? '';
const uploaded = (env.WG_UPLOAD ?? 'true') === 'true' && outDir !== '' && fs.existsSync(outDir);
const runUrl =
  env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : '';

function readText(file) {
  try {
    return file ? fs.readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Workflow-command data: %, CR and LF would end or corrupt the command. */
function escapeData(text) {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (title=…) also end at `:` and `,`. */
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function clip(text, limit) {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function annotate(level, title, message) {
  process.stdout.write(`::${level} title=${escapeProperty(title)}::${escapeData(clip(message, MESSAGE_LIMIT))}\n`);
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

// writegate's --json output; unreadable output still leaves the exit code, which is the verdict.
const stdout = readText(env.WG_REPORT_JSON);
let result;
let jsonProblem = '';
try {
  result = JSON.parse(stdout);
  if (result === null || typeof result !== 'object') throw new Error('not a JSON object');
} catch (error) {
  result = undefined;
  jsonProblem = stdout.trim() === '' ? 'it printed nothing on stdout' : error.message;
}

const fallbackVerdict = exitCode === 0 ? 'pass' : exitCode === 1 ? 'fail' : 'error';
// writegate's exit 2 and 3 (bad input, internal error) and a signal have no verdict to read.
const verdict =
  exitCode === 0 || exitCode === 1 ? (typeof result?.verdict === 'string' ? result.verdict : fallbackVerdict) : 'error';
const gates = Array.isArray(result?.gates) ? result.gates : [];
const reportCandidates = [
  typeof result?.report === 'string' ? result.report : '',
  outDir ? path.join(outDir, 'RESULTS.md') : '',
];
const reportPath = reportCandidates.find((file) => file && fs.existsSync(file)) ?? '';
const report = readText(reportPath);
const stderrTail = readText(env.WG_REPORT_STDERR)
  .split('\n')
  .map((line) => line.trimEnd())
  .filter(Boolean)
  .slice(-8)
  .join('\n');

// Annotations: one per failed gate id, its failing instances in the message.
const failed = new Map();
for (const gate of gates) {
  if (gate?.status !== 'fail' || typeof gate.id !== 'string') continue;
  const entry = failed.get(gate.id) ?? { title: String(gate.title ?? gate.id), details: [] };
  entry.details.push(String(gate.detail ?? gate.instance ?? ''));
  failed.set(gate.id, entry);
}
const failedIds = [...failed.keys()];
const shown = failedIds.length > ANNOTATION_LIMIT ? failedIds.slice(0, ANNOTATION_LIMIT - 1) : failedIds;
for (const id of shown) {
  const { title, details } = failed.get(id);
  annotate('error', `writegate ${id}`, `${title}: ${details.join('; ')}`);
}
if (shown.length < failedIds.length) {
  const rest = failedIds.slice(shown.length);
  annotate(
    'error',
    `writegate ${command}`,
    `${rest.length} more failed gates (${rest.join(', ')}): see the job summary`,
  );
}
if (exitCode !== 0 && exitCode !== 1) {
  const what = Number.isNaN(exitCode)
    ? 'did not run'
    : exitCode === 2
      ? 'refused its input (exit 2)'
      : `stopped with exit ${exitCode}`;
  annotate('error', `writegate ${command}`, `${what}${stderrTail ? `:\n${stderrTail}` : ''}`);
} else if (exitCode === 1 && failedIds.length === 0) {
  annotate('error', `writegate ${command}`, `verdict ${verdict} (exit 1): see the job summary`);
} else if (exitCode === 0 && verdict !== 'pass') {
  annotate('warning', `writegate ${command}`, `verdict ${verdict}, accepted (exit 0): see the job summary`);
}
if (jsonProblem && (exitCode === 0 || exitCode === 1)) {
  annotate(
    'warning',
    'writegate action',
    `could not read writegate's --json output (${jsonProblem}); the verdict is taken from its exit code ${exitCode}`,
  );
}

// Job summary: the whole RESULTS.md, or why there is none.
const howItEnded =
  exitCode === 2 ? 'refused its input' : Number.isNaN(exitCode) ? 'did not run' : `stopped with exit ${exitCode}`;
const failureBlock = [
  `writegate ${command} ${howItEnded} before writing a report.`,
  stderrTail ? `\n\`\`\`\n${stderrTail.replace(/```/g, "'''")}\n\`\`\`` : '',
].join('\n');
if (env.GITHUB_STEP_SUMMARY) {
  let summary = report || `### writegate ${command}: ${verdict}\n\n${failureBlock}\n`;
  const bytes = Buffer.byteLength(summary);
  if (bytes > SUMMARY_LIMIT) {
    // The limit is in bytes and `fit` counts characters: scale by this text's bytes per character.
    summary =
      `${fit(summary, Math.floor((SUMMARY_LIMIT - 1024) * (summary.length / bytes)))}\n\n_The ` +
      `report is cut here to fit the job summary; the whole RESULTS.md is in ` +
      `the ${uploaded ? `\`${artifact}\` artifact` : 'results directory'}._\n`;
  }
  fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `${summary.endsWith('\n') ? summary : `${summary}\n`}`);
}

/**
 * `text` cut at a line end to at most `budget` characters, with any open <details> or code fence
 * closed so the rest of the page still renders.
 */
function fit(text, budget) {
  if (text.length <= budget) return text;
  const cutAt = text.lastIndexOf('\n', budget - 32);
  let cut = text.slice(0, cutAt > 0 ? cutAt : budget - 32);
  // Fence lines only: a code span in the text (```a``` — its line holds more backticks after the
  // run, which no fence line does) must not count as one.
  if ((cut.match(/^ {0,3}`{3,}[^`\n]*$/gm) ?? []).length % 2 === 1) cut += '\n```';
  const open = (cut.match(/<details/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) cut += '\n\n</details>';
  return cut;
}

// The pull request comment: a marker line (one comment per command), the verdict, and the top of
// RESULTS.md (its verdict and gate table; the environment and suite sections stay in the summary).
const marker = `<!-- writegate-report:${command} -->`;
const icon = { pass: '✅', fail: '❌', regressed: '❌', inconclusive: '⚠️', error: '❌' }[verdict] ?? '❔';
const header = `${marker}\n### writegate ${command}: ${icon} ${verdict}\n\n`;
const links = [
  runUrl ? `Whole report: the job summary of the [workflow run](${runUrl})` : '',
  uploaded ? `artifact \`${artifact}\`` : '',
  `exit code ${Number.isNaN(exitCode) ? 'none' : exitCode}`,
].filter(Boolean);
const footer = `\n\n---\n${links.join(' · ')}\n`;
let head = report ? report.replace(/^# [^\n]*\n+/, '') : failureBlock;
const environmentAt = head.search(/^## Environment\b/m);
if (environmentAt > 0) head = head.slice(0, environmentAt).trimEnd();
const budget = COMMENT_LIMIT - header.length - footer.length;
if (head.length > budget) {
  const note =
    `\n\n_Cut here: a comment holds at most ${COMMENT_LIMIT} characters. The ` +
    `rest is in the job summary${runUrl ? ` of the [workflow run](${runUrl})` : ''}._`;
  head = `${fit(head, budget - note.length - 64)}${note}`;
}
const commentFile = env.WG_REPORT_COMMENT_FILE;
if (commentFile) fs.writeFileSync(commentFile, `${header}${head.trimEnd()}${footer}`);

setOutput('verdict', verdict);
setOutput('report', reportPath);
setOutput('comment-file', commentFile ?? '');
