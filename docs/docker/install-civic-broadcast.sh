#!/bin/sh
# Puts n8n-nodes-civic-broadcast from this image where n8n's own community-node installer puts a
# package: ~/.n8n/nodes/node_modules/n8n-nodes-civic-broadcast. Runs on every container start,
# because ~/.n8n is normally a volume (database, encryption key), which hides what the image
# holds there, and an upgraded image must replace the version an older one left in the volume.
set -eu
tarball="${CIVIC_TARBALL:-/opt/civic-broadcast/n8n-nodes-civic-broadcast.tgz}"
target="${N8N_USER_FOLDER:-$HOME}/.n8n/nodes/node_modules/n8n-nodes-civic-broadcast"
rm -rf "$target"
mkdir -p "$target"
tar -xzf "$tarball" --strip-components=1 -C "$target"
echo "n8n-nodes-civic-broadcast installed into $target"
