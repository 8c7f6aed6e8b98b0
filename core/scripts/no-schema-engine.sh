#!/bin/sh
# Prisma's CLI insists on its native schema engine even for `generate`, and that binary is
# downloaded from outside the npm registry. Switchboard never needs it: `generate` does not
# call it, and migrations run through @prisma/schema-engine-wasm (npm run db:migration).
echo "switchboard: the native Prisma schema engine is not used; create migrations with 'npm run db:migration -w @switchboard/core -- create <name>'" >&2
exit 1
