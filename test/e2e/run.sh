#!/usr/bin/env bash
# `npm run test:e2e`: the extension in a real VS Code (code-server), driven as a person would, offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/setup.sh
exec npx mocha --config test/e2e/.mocharc.json "$@"
