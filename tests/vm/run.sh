#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - boot one QEMU/TCG VM and run evn guest tests in it, in order (see tests/vm/README).
#
# usage: tests/vm/run.sh [-v] [-r RESULTS_DIR] [-t TIMEOUT_S] TEST...
#   TEST        path relative to tests/, e.g. integration/001
#   -r DIR      results directory (default $EVN_RESULTS, else tests/results/<YYYYmmdd-HHMMSS>)
#   -t SECONDS  host-side timeout of the whole VM (default 120 + 240 per test)
#   -v          stream the guest console (tests' output included) live
# environment: KVER (default: newest /boot/vmlinuz-6.1.*-amd64), EVN_CACHE (default
#   /var/cache/evn), EVN_TEST_TIMEOUT (guest per-test timeout, default 210 s),
#   EVN_COUNTS (file: append "<suite> <passed> <failed> <skipped>" per suite),
#   EVN_VM_VERBOSE=1 or EVN_VM_INTERACTIVE=1 (same as -v), EVN_VM_SMP (default 2),
#   EVN_VM_MEM (default 2G), EVN_VM_CMDLINE (extra kernel arguments).
# exit: 0 all passed (skips allowed), 1 a test failed, 2 kernel panic, 3 host-side timeout,
#   4 rig error (qemu or kernel missing, initramfs build failed, guest runner did not start...).

set -uo pipefail
shopt -s lastpipe

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
TESTS_DIR=${VM_DIR%/vm}
SRC=${TESTS_DIR%/tests}
# Bump when the initramfs layout changes in a way the hashed inputs do not show.
INITRAMFS_FORMAT=1

usage() {
	local rc=${1:-4}
	sed -n '4,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&$((rc ? 2 : 1))
	exit "$rc"
}

die() {
	echo "run.sh: $*" >&2
	exit 4
}

# shq STRING - STRING single-quoted for POSIX sh (busybox init and bash both source rig.env)
shq() {
	printf "'%s'" "${1//\'/\'\\\'\'}"
}

results=${EVN_RESULTS:-}
total_timeout=
verbose=${EVN_VM_VERBOSE:-${EVN_VM_INTERACTIVE:-0}}
while getopts 'r:t:vh' opt; do
	case $opt in
	r) results=$OPTARG ;;
	t) total_timeout=$OPTARG ;;
	v) verbose=1 ;;
	h) usage 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ -z "$total_timeout" ] || [[ $total_timeout =~ ^[1-9][0-9]*$ ]] || die "-t wants seconds"

tests=()
for t in "$@"; do
	t=${t#tests/}
	[[ $t =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]*$ ]] || die "bad test name: $t"
	[ -f "$TESTS_DIR/$t" ] || die "no such test: tests/$t"
	tests+=("$t")
done
: "${total_timeout:=$((120 + 240 * ${#tests[@]}))}"

# --- kernel, qemu, busybox -------------------------------------------------------------------
KVER=$("$TESTS_DIR/kernels.sh" rig-kver) || exit 4
vmlinuz=/boot/vmlinuz-$KVER
[ -r "$vmlinuz" ] || die "kernel $vmlinuz missing"
[ -d "/lib/modules/$KVER/kernel" ] || die "modules /lib/modules/$KVER missing"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 missing (qemu-system-x86)"
busybox=$(command -v busybox) || die "busybox missing (busybox-static)"
readelf -l "$busybox" 2>/dev/null | grep -q 'Requesting program interpreter' &&
	die "$busybox is not static (install busybox-static)"
for c in xz cpio readelf modprobe timeout sha256sum; do
	command -v "$c" >/dev/null || die "$c missing"
done

cache=${EVN_CACHE:-/var/cache/evn}
{ mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; } || die "cache directory $cache not writable (set EVN_CACHE)"

# get_vmlinux - print the cached uncompressed vmlinux (PVH entry) of $vmlinuz, extracting it once
get_vmlinux() {
	local out off tmp magic
	out=$cache/vmlinux-$KVER-$(stat -c %s-%Y "$vmlinuz")
	if [ -s "$out" ]; then
		echo "$out"
		return 0
	fi
	tmp=$(mktemp "$cache/.vmlinux.XXXXXX") || return 1
	# The decompressor may carry the magic too: try each hit until one yields a PVH ELF.
	for magic in xz zstd; do
		case $magic in
		xz) pat='\xfd7zXZ\x00' ;;
		zstd) pat='\x28\xb5\x2f\xfd' ;;
		esac
		# shellcheck disable=SC2013 # byte offsets, one per line
		for off in $(LC_ALL=C grep -obUaP "$pat" "$vmlinuz" | cut -d: -f1); do
			if [ $magic = xz ]; then
				tail -c +$((off + 1)) "$vmlinuz" | xz -dcq --single-stream >"$tmp" 2>/dev/null
			else
				tail -c +$((off + 1)) "$vmlinuz" | zstd -dcq >"$tmp" 2>/dev/null
			fi
			if readelf -n "$tmp" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'; then
				find "$cache" -maxdepth 1 -name "vmlinux-$KVER-*" -delete
				mv -f "$tmp" "$out" && echo "$out"
				return
			fi
		done
	done
	rm -f "$tmp"
	echo "run.sh: no PVH-bootable vmlinux found inside $vmlinuz" >&2
	return 1
}

# get_initramfs - print the cached initramfs (busybox, 9p modules, init), building it if any
# input changed (key: KVER, init, busybox, module files, INITRAMFS_FORMAT)
get_initramfs() {
	local mods=() m key out tmp
	declare -A seen=()
	while read -r verb m; do
		[ "$verb" = insmod ] || continue
		[ -n "${seen[$m]:-}" ] && continue
		seen[$m]=1
		mods+=("$m")
	done < <(modprobe -a -S "$KVER" --show-depends virtio_pci 9pnet_virtio 9p 2>/dev/null)
	[ ${#mods[@]} -gt 0 ] || grep -q '^CONFIG_9P_FS=y' "/boot/config-$KVER" 2>/dev/null || {
		echo "run.sh: modprobe --show-depends found no 9p modules for $KVER" >&2
		return 1
	}
	key=$({
		echo "$KVER $INITRAMFS_FORMAT"
		cat "$VM_DIR/init"
		stat -c '%n %s %Y' "$busybox" "${mods[@]}"
	} | sha256sum | cut -c1-16)
	out=$cache/initramfs-$KVER-$key.cpio
	if [ -s "$out" ]; then
		echo "$out"
		return 0
	fi
	tmp=$(mktemp -d "$cache/.initramfs.XXXXXX") || return 1
	(
		set -e
		cd "$tmp"
		mkdir -p bin dev proc sys newroot modules
		cp "$busybox" bin/busybox
		cp "$VM_DIR/init" init
		chmod 755 init bin/busybox
		for m in "${mods[@]}"; do
			cp "$m" modules/
			echo "${m##*/}" >>modules/order
		done
		touch modules/order
		mknod -m 600 dev/console c 5 1 2>/dev/null || true
		find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$out.tmp"
	) && mv -f "$out.tmp" "$out"
	local rc=$?
	rm -rf "$tmp" "$out.tmp"
	# Drop initramfs images of this kernel built from older inputs.
	[ $rc -ne 0 ] || find "$cache" -maxdepth 1 -name "initramfs-$KVER-*.cpio" ! -name "${out##*/}" -delete
	[ $rc -eq 0 ] || {
		echo "run.sh: building the initramfs failed" >&2
		return 1
	}
	echo "$out"
}

vmlinux=$(get_vmlinux) || die "kernel extraction failed"
initramfs=$(get_initramfs) || die "initramfs build failed"

# --- results directory -----------------------------------------------------------------------
[ -n "$results" ] || results=$SRC/tests/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results" || die "cannot create $results"
results=$(cd "$results" && pwd -P)
[[ $SRC != *$'\n'* && $results != *,* ]] || die "unsupported characters in paths"
for t in "${tests[@]}"; do
	rm -rf "${results:?}/$t"
done
rm -f "$results/console.log" "$results/boot.time"
{
	echo "EVN_SRC=$(shq "$SRC")"
	echo "EVN_TESTS=$(shq "${tests[*]}")"
	echo "EVN_TEST_TIMEOUT=$(shq "${EVN_TEST_TIMEOUT:-210}")"
	echo "EVN_VERBOSE=$(shq "$verbose")"
	echo "KVER=$(shq "$KVER")"
	echo "EVN_CI=$(shq "${CI:-}")"
} >"$results/rig.env"

# --- reporting -------------------------------------------------------------------------------
patterns=$VM_DIR/dmesg-patterns
declare -A final=()
next=0 # index of the first test not yet reported

# describe TEST - the DESCRIPTION="..." of a test file
describe() {
	sed -n 's/^DESCRIPTION="\(.*\)"[[:space:]]*$/\1/p;T;q' "$TESTS_DIR/$1"
}

# finish TEST [FAIL_REASON] - settle a test's verdict (guest verdict + host dmesg check), print it
finish() {
	local t=$1 d=$results/$1 v r secs bad
	if [ $# -gt 1 ]; then
		v=fail
		r=$2
		mkdir -p "$d"
		printf 'fail: %s\n' "$r" >"$d/verdict"
	else
		IFS= read -r v <"$d/verdict"
		r=${v#*: }
		[ "$r" = "$v" ] && r=
		v=${v%%:*}
		if [ "$v" != fail ] && [ -f "$d/dmesg" ]; then
			bad=$(grep -F -m 1 -f "$patterns" "$d/dmesg")
			if [ -n "$bad" ]; then
				v=fail
				r="dmesg: $bad"
				printf 'fail: %s\n' "$r" >"$d/verdict"
			fi
		fi
	fi
	secs=$(cat "$d/time" 2>/dev/null || echo "?")
	final[$t]=$v
	printf '%-16s %-60s  %-4s  (%ss)\n' "$t" "$(describe "$t")" "$v" "${secs%.*}"
	[ -z "$r" ] || printf '    %s\n' "$r"
	[ "$v" != fail ] || printf '    see %s/\n' "$d"
}

# report_ready - print every test, in order, whose guest verdict exists
report_ready() {
	while [ $next -lt ${#tests[@]} ] && [ -f "$results/${tests[$next]}/verdict" ]; do
		finish "${tests[$next]}"
		next=$((next + 1))
	done
}

# --- boot ------------------------------------------------------------------------------------
cmdline="console=ttyS0 loglevel=4 panic=-1 oops=panic mitigations=off tsc=reliable"
cmdline+=" no_timer_check 8250.nr_uarts=1 rdinit=/init ${EVN_VM_CMDLINE:-}"
# shellcheck disable=SC2054 # commas belong to the qemu options
qemu_cmd=(timeout --foreground -k 10 "$total_timeout" "$qemu"
	-accel tcg,thread=multi -cpu max -machine q35 -smp "${EVN_VM_SMP:-2}" -m "${EVN_VM_MEM:-2G}"
	-nodefaults -no-reboot -display none -serial stdio -nic none
	-kernel "$vmlinux" -initrd "$initramfs" -append "$cmdline"
	-fsdev "local,id=evnroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=evnroot,mount_tag=evnroot
	-fsdev "local,id=evnres,path=$results,security_model=none,multidevs=remap"
	-device virtio-9p-pci,fsdev=evnres,mount_tag=evnres
	-fsdev "local,id=evnsrc,path=$SRC,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=evnsrc,mount_tag=evnsrc)

t_start=$EPOCHREALTIME
boot_s=
for attempt in 1 2; do
	started=0
	exec 3>"$results/console.log"
	"${qemu_cmd[@]}" </dev/null 2>&1 | while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >&3
		case $line in
		*EVN-RIG-START*)
			started=1
			boot_s=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
			echo "$boot_s ${line##*uptime=}" >"$results/boot.time"
			;;
		*EVN-TEST-END*) report_ready ;;
		esac
		[ "$verbose" = 1 ] && [[ $line != EVN-* && $line != *'] reboot: Power down' ]] &&
			printf '%s\n' "$line"
	done
	qemu_rc=${PIPESTATUS[0]}
	exec 3>&-
	panic=0
	grep -q 'Kernel panic - not syncing' "$results/console.log" && panic=1
	# A crash before the guest runner starts (rare TCG early-boot fault): boot once more.
	if [ "$started" = 0 ] && [ "$attempt" = 1 ] && [ "$qemu_rc" != 124 ] && [ "$qemu_rc" != 137 ] &&
		! grep -q 'EVN-RIG-ERROR' "$results/console.log"; then
		mv -f "$results/console.log" "$results/console.log.1"
		echo "run.sh: the VM died before the guest runner started (rc $qemu_rc); retrying" >&2
		continue
	fi
	break
done
t_total=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
report_ready

status=0
why=
if [ "$panic" = 1 ]; then
	status=2
	why="kernel panic (see console.log)"
elif [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	status=3
	why="host-side timeout after ${total_timeout}s (see console.log)"
elif [ "$started" = 0 ]; then
	status=4
	why=$(sed -n 's/.*EVN-RIG-ERROR //p;T;q' "$results/console.log")
	why="guest runner did not start: ${why:-qemu exit $qemu_rc}"
elif [ $next -lt ${#tests[@]} ]; then
	status=4
	why="guest runner stopped early (qemu exit $qemu_rc, see console.log)"
fi
while [ $next -lt ${#tests[@]} ]; do
	t=${tests[$next]}
	# The console from the test's start holds its last kernel messages (panic, hung task).
	mkdir -p "$results/$t"
	sed -n "\|EVN-TEST-START $t\$|,\$p" "$results/console.log" >"$results/$t/console.log"
	[ -s "$results/$t/console.log" ] || rm -f "$results/$t/console.log"
	finish "$t" "not finished: $why"
	next=$((next + 1))
done

# --- summary ---------------------------------------------------------------------------------
declare -A np=() nf=() ns=()
suites=()
failed=0
for t in "${tests[@]}"; do
	s=${t%%/*}
	[ -n "${np[$s]+x}" ] || {
		suites+=("$s")
		np[$s]=0 nf[$s]=0 ns[$s]=0
	}
	case ${final[$t]} in
	pass) np[$s]=$((np[$s] + 1)) ;;
	skip) ns[$s]=$((ns[$s] + 1)) ;;
	*)
		nf[$s]=$((nf[$s] + 1))
		failed=1
		;;
	esac
done
for s in "${suites[@]}"; do
	printf '%s: %d passed, %d failed, %d skipped' "$s" "${np[$s]}" "${nf[$s]}" "${ns[$s]}"
	[ -z "${EVN_COUNTS:-}" ] || echo "$s ${np[$s]} ${nf[$s]} ${ns[$s]}" >>"$EVN_COUNTS"
	printf '; '
done
printf 'boot %ss, total %ss; results in %s\n' "${boot_s:-?}" "$t_total" "$results"
[ -z "$why" ] || echo "run.sh: $why" >&2
[ $status != 0 ] || status=$failed
exit $status
