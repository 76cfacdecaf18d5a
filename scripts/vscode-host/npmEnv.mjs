// A nested npm must not inherit the outer npm's run-script environment. Under `npm test` the outer npm
// (on the machine's Node 20) exports npm_config_user_agent="npm/… node/v20…", npm_config_* values from
// its own config, npm_lifecycle_* and npm_package_* of this project, and NODE / npm_node_execpath naming
// Node 20. code-server's postinstall reads the Node version from that user agent and refuses to build.

const INHERITED = /^(npm_config_|npm_lifecycle_|npm_package_)/i;
const NPM_RUN_VARS = new Set(['npm_command', 'npm_execpath', 'npm_node_execpath', 'init_cwd', 'node', 'node_env']);

/** The environment for a nested npm: the caller's, less everything an outer npm run-script set. */
export function cleanNpmEnv(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || INHERITED.test(key) || NPM_RUN_VARS.has(key.toLowerCase())) continue;
    clean[key] = key === 'PATH' ? withoutRunScriptBins(value) : value;
  }
  return clean;
}

// npm run-script puts every ancestor's node_modules/.bin and its own node-gyp shim in front of PATH.
function withoutRunScriptBins(path) {
  return path
    .split(':')
    .filter((dir) => !/\/node_modules\/\.bin$/.test(dir) && !/@npmcli\/run-script\/lib\/node-gyp-bin$/.test(dir))
    .join(':');
}
