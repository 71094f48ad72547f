#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - host entry of the evn demo: boot a throwaway VM and stream tests/demo/demo.sh.
# usage: tests/demo/run.sh [tests/vm/run.sh options]; results go to a fresh /tmp/evn-demo.*
# unless -r or $EVN_RESULTS says otherwise.
res=${EVN_RESULTS:-$(mktemp -d /tmp/evn-demo.XXXXXX)} || exit 4
exec "${BASH_SOURCE[0]%/*}/../vm/run.sh" -v -r "$res" "$@" demo/demo.sh
