// Keeps one writegate comment per command on the pull request: creates it, or updates the comment
// this token's own user wrote whose body starts with the same marker line (report.mjs writes the
// body, marker first). Someone else's comment that starts with the marker is never ours to edit (the
// update would be refused anyway). Run by actions/github-script, which passes its `github`,
// `context` and `core`.
//
// A comment that cannot be written is a warning, never a failure: the verdict is the step's exit
// code, and a pull request from a fork gets a read-only token.
const fs = require('node:fs');

/** Who writes the comment: GITHUB_TOKEN's app bot, which GET /user does not answer for. */
const ACTIONS_BOT = 'github-actions[bot]';

/**
 * The login of the token's user: GET /user answers for a personal access token; an installation
 * token (GITHUB_TOKEN) is refused there, and writes as github-actions[bot]. Another app's token
 * also falls back to that name: its comments then never match, and a new one is created each run
 * rather than anyone else's edited.
 */
async function tokenLogin(github) {
  try {
    const { data } = await github.rest.users.getAuthenticated();
    if (data && typeof data.login === 'string' && data.login) return data.login;
  } catch {
    // An installation token: "Resource not accessible by integration".
  }
  return ACTIONS_BOT;
}

/** @returns {Promise<'created' | 'updated' | 'skipped' | 'failed'>} */
module.exports = async function comment({ github, context, core }, file = process.env.WRITEGATE_COMMENT_FILE) {
  const pullRequest = context.payload.pull_request;
  if (!pullRequest) {
    core.info('writegate: not a pull request; no comment');
    return 'skipped';
  }
  const body = file ? fs.readFileSync(file, 'utf8') : '';
  const marker = body.split('\n', 1)[0];
  if (!marker.startsWith('<!-- writegate-report'))
    throw new Error(`writegate: comment body ${file} does not start with its marker`);
  const { owner, repo } = context.repo;
  const issue = { owner, repo, issue_number: pullRequest.number };
  try {
    const login = await tokenLogin(github);
    const comments = await github.paginate(github.rest.issues.listComments, { ...issue, per_page: 100 });
    const existing = comments.find(
      (c) => c.user?.login === login && typeof c.body === 'string' && c.body.split('\n', 1)[0] === marker,
    );
    if (existing) {
      await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      core.info(`writegate: updated comment ${existing.html_url ?? existing.id}`);
      return 'updated';
    }
    const created = await github.rest.issues.createComment({ ...issue, body });
    core.info(`writegate: commented ${created?.data?.html_url ?? ''}`);
    return 'created';
  } catch (error) {
    const status = error && typeof error === 'object' ? error.status : undefined;
    const fork =
      pullRequest.head?.repo?.full_name && pullRequest.head.repo.full_name !== pullRequest.base?.repo?.full_name;
    const why =
      status === 403 || status === 404
        ? fork
          ? 'this pull request comes from a fork, and its token is read-only'
          : 'the token may not write to pull requests (give the job `permissions: pull-requests: write`)'
        : `${error && error.message ? error.message : String(error)}`;
    core.warning(
      `No pull request comment: ${why}. The verdict is in the job summary and decides this step either way.`,
      { title: 'writegate comment' },
    );
    return 'failed';
  }
};
