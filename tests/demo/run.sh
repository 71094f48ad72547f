#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - host entry of the evn demo: boot a throwaway VM and stream tests/demo/demo.sh.
# usage: tests/demo/run.sh [tests/vm/run.sh options]; results go to a fresh /tmp/evn-demo.*
# unless -r or $EVN_RESULTS says otherwise.
# environment: EVN_DEMO_FILES (data set files, default 3000), EVN_DEMO_LAYOUT (stripe or
#   concat, default stripe), EVN_DEMO_READERS (reader threads, default 4), EVN_DEMO_SERVER_MB
#   (size of each storage server, default 512), and what tests/vm/run.sh takes.
res=${EVN_RESULTS:-$(mktemp -d /tmp/evn-demo.XXXXXX)} || exit 4
mkdir -p "$res" || exit 4
env | grep '^EVN_DEMO_[A-Z_]*=[A-Za-z0-9]*$' >"$res/demo.env"
exec "${BASH_SOURCE[0]%/*}/../vm/run.sh" -v -r "$res" "$@" demo/demo.sh
