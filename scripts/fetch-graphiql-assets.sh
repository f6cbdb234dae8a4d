#!/usr/bin/env bash
# Refreshes the GraphiQL files that pos-api serves from its own binary (api/assets/graphiql/),
# so GraphiQL works on a shop network without internet access. They come from the npm
# registry; change the versions here, run this, and commit the result.
set -euo pipefail
GRAPHIQL=4.0.3
REACT=18.3.1

dest="$(cd "$(dirname "$0")/.." && pwd)/api/assets/graphiql"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
for archive in "graphiql-$GRAPHIQL" "react-$REACT" "react-dom-$REACT"; do
  package="${archive%-*}"
  mkdir "$package"
  tar xzf "$archive.tgz" -C "$package" --strip-components=1
done
cp graphiql/graphiql.min.js graphiql/graphiql.min.css "$dest/"
cp react/umd/react.production.min.js react-dom/umd/react-dom.production.min.js "$dest/"
cp graphiql/LICENSE "$dest/LICENSE-graphiql"
cp react/LICENSE "$dest/LICENSE-react"
echo "GraphiQL $GRAPHIQL and React $REACT copied to $dest"
