#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh - guest side of the evn benchmark (host entry: tests/bench/run.sh). Up to four
# nvmet-rdma targets, each connected with the kernel's nvme-rdma host, the first three also as
# evn targets. Then one comparison group after the other, each an "evn" side against one or
# two peer sides:
#   single   evn volume over the whole namespace of target 0  vs  its nvme-rdma device
#   stripe   evn stripe over targets 0-2 (3 columns, chunk 128K)  vs  dm-stripe over their
#            nvme-rdma devices (same chunk, same length; the same layout, checked with data)
#   ceiling  evn volume over target 0  vs  a local memory-backed null_blk of the same size
#            (no RDMA at all: the rig's ceiling)
#   train    XFS holding a training-style data set (tests/bench/trainset.py), written once
#            through the evn stripe of the stripe group and once on target 3 alone, read back
#            as whole files in random order: evn stripe vs dm-stripe (the very same file
#            system) vs nvme-rdma on target 3
# Every job of the group runs on every side, in EVN_BENCH_PAIRS rounds; the side that goes
# first rotates from round to round. Raw reports (fio JSON, or trainset.py's JSON for the
# train-read-<readers> jobs) go to <this test's results>/fio/<group>.<job>.<side>.<round>.json;
# tests/bench/summarize.py turns them into medians and evn/peer ratios.
# shellcheck disable=SC2034 # read by tests/vm/run.sh
DESCRIPTION="bench: evn vs nvme-rdma, dm-stripe, null_blk; a training set on XFS"
# No TIMEOUT= line: run.sh sizes the guest timeout (EVN_TEST_TIMEOUT) to the number of runs.

# shellcheck source-path=SCRIPTDIR source=../vm/rc
. "${BASH_SOURCE[0]%/*}/../vm/rc"

# run.sh writes the settings into the results share; defaults for a run without it. An empty
# job list leaves its group out.
# shellcheck source=/dev/null
[ ! -r /run/evn/bench.env ] || . /run/evn/bench.env
: "${EVN_BENCH_PAIRS:=3}" "${EVN_BENCH_RUNTIME:=8}" "${EVN_BENCH_SIZE_MB:=512}"
: "${EVN_BENCH_SINGLE_JOBS=randread-4k-qd32 randread-4k-qd1 seqread-128k}"
: "${EVN_BENCH_STRIPE_JOBS=randread-4k-qd32 seqread-128k}"
: "${EVN_BENCH_TRAIN_JOBS=train-read-4}"
: "${EVN_BENCH_CEILING_JOBS=randread-4k-qd32 randread-4k-qd1 seqread-128k}"
: "${EVN_BENCH_TRAIN_FILES:=3000}"
bench=$EVN_SRC/tests/bench
res=${EVN_REASON_FILE%/*}
[ "$res" != /dev ] || res=/tmp/evn-bench
mkdir -p "$res/fio" || _fail "cannot create $res/fio"

size=$((EVN_BENCH_SIZE_MB << 20))
chunk=$((128 << 10))
ncols=3
dm_name=evn-bench-stripe
train_mnt=/mnt/evn-bench-train
# the order the groups run in (summarize.py has its own order for the table)
groups=()
for g in single stripe ceiling train; do
	g_jobs=EVN_BENCH_${g^^}_JOBS
	[ -z "${!g_jobs}" ] || groups+=("$g")
done
[ ${#groups[@]} -gt 0 ] || _fail "no jobs: every EVN_BENCH_<GROUP>_JOBS is empty"
# target 0 serves single and ceiling, 0-2 the stripes, 3 the train group's nvme-rdma side
ntargets=1
[ -z "$EVN_BENCH_STRIPE_JOBS$EVN_BENCH_TRAIN_JOBS" ] || ntargets=$ncols
[ -z "$EVN_BENCH_TRAIN_JOBS" ] || ntargets=$((ncols + 1))
nevn=$((ntargets < ncols ? ntargets : ncols))
# the ceiling's local null_blk, named after its configfs directory, after the targets' ones
ceil_nb=''
[ -z "$EVN_BENCH_CEILING_JOBS" ] || ceil_nb=nullb$ntargets

_require_file "$EVN_KO" "$EVNADM"
_require_cmd fio nvme rdma ip blockdev dd cmp
_require_modules rdma_rxe nvmet_rdma nvme_rdma null_blk dummy configfs
[ -z "$EVN_BENCH_STRIPE_JOBS$EVN_BENCH_TRAIN_JOBS" ] || {
	_require_cmd dmsetup
	_require_modules dm_mod
}
[ -z "$EVN_BENCH_TRAIN_JOBS" ] || {
	_require_cmd mkfs.xfs python3
	_require_modules xfs
	_require_file "$bench/trainset.py"
}
for j in $EVN_BENCH_SINGLE_JOBS $EVN_BENCH_STRIPE_JOBS $EVN_BENCH_CEILING_JOBS; do
	_require_file "$bench/$j.fio"
done
for j in $EVN_BENCH_TRAIN_JOBS; do
	[[ $j =~ ^train-read-[1-9][0-9]*$ ]] || _fail "train job '$j' is not train-read-<readers>"
done

# _bench_exit - EXIT trap: unmount the training set and remove the dm-stripe device (rc's
# _teardown knows neither a dm device's mount nor device-mapper), then rc's teardown with the
# test's status
_bench_status() {
	return "$1"
}
_bench_exit() {
	local rc=$?
	! _is_mounted "$train_mnt" || umount "$train_mnt" || rc=1
	if [ -e /sys/module/dm_mod ] && dmsetup info "$dm_name" >/dev/null 2>&1; then
		dmsetup remove "$dm_name" || rc=1
	fi
	_bench_status "$rc"
	_teardown_on_exit
}
trap _bench_exit EXIT

# _sched_none DEV - make sure block device DEV uses no I/O scheduler (bio-based devices,
# such as an nvme multipath head or a dm-stripe device, have none to choose)
_sched_none() {
	local s=/sys/block/${1#/dev/}/queue/scheduler v
	read -r v <"$s" || return 1
	case $v in none | *"[none]"*) return 0 ;; esac
	echo none >"$s" || return 1
	read -r v <"$s" || return 1
	[[ $v == *"[none]"* ]]
}

# _describe GROUP DEV... - one line per DEV: its queue settings, for devices.txt
_describe() {
	local g=$1 d n q mq s
	shift
	for d in "$@"; do
		n=${d#/dev/}
		q=/sys/block/$n/queue
		# a multipath head has no queues of its own: count its path's (nvmeXcYnZ)
		mq=(/sys/block/"$n"/mq/* /sys/block/"${n%n*}"c*n"${n##*n}"/mq/*)
		s=(/sys/block/"$n"/slaves/*)
		printf '%s %s: nr_requests %s max_sectors_kb %s max_segments %s chunk_sectors %s' \
			"$g" "$d" "$(<"$q/nr_requests")" "$(<"$q/max_sectors_kb")" \
			"$(<"$q/max_segments")" "$(<"$q/chunk_sectors")"
		printf ' io_min %s io_opt %s read_ahead_kb %s' "$(<"$q/minimum_io_size")" \
			"$(<"$q/optimal_io_size")" "$(<"$q/read_ahead_kb")"
		printf ' scheduler %s hw queues %s' "$(<"$q/scheduler")" \
			"$(printf '%s\n' "${mq[@]}" | grep -c '/mq/[0-9]')"
		# a dm device is bio-based: its queues are those of the devices under it
		[ ! -e "${s[0]}" ] || printf ' (bio-based, over %s)' "${s[*]##*/}"
		echo
	done
}

# _same_size SIDE... - fail unless the devices of every SIDE have the same size
_same_size() {
	local s n0 n
	n0=$(blockdev --getsize64 "${dev[$1]}") || _fail "$g: blockdev ${dev[$1]} failed"
	for s in "${@:2}"; do
		n=$(blockdev --getsize64 "${dev[$s]}") || _fail "$g: blockdev ${dev[$s]} failed"
		[ "$n" = "$n0" ] || _fail "$g: ${dev[$1]} ($n0 bytes) and ${dev[$s]} ($n) differ in size"
	done
}

# _same_data A A_CHUNK B B_CHUNK N WHAT - write N chunks of random data to device A at chunk
# A_CHUNK, read them back from device B at chunk B_CHUNK (direct I/O both), fail unless equal
_same_data() {
	local pat=/tmp/evn-bench.pat back=/tmp/evn-bench.back
	dd if=/dev/urandom of="$pat" bs="$chunk" count="$5" status=none ||
		_fail "layout check ($6): cannot make a pattern"
	dd if="$pat" of="$1" bs="$chunk" seek="$2" oflag=direct conv=notrunc status=none ||
		_fail "layout check ($6): writing $1 failed"
	dd if="$3" of="$back" bs="$chunk" skip="$4" count="$5" iflag=direct status=none ||
		_fail "layout check ($6): reading $3 failed"
	cmp "$pat" "$back" >&2 || _fail "layout check: $6 differ"
	rm -f "$pat" "$back"
}

# A group G is three functions, and a fourth when its jobs are not fio job files:
# _group_G_up (create the devices; set sides - "evn" first, then the peers, as named in report
# file names - and dev[SIDE], the block device of each), _group_G_check (prove the sides
# comparable, before any run; its output goes to devices.txt), _group_G_down (remove what _up
# created) and _group_G_run JOB SIDE ROUND REPORT (one run; default: fio JOB.fio on dev[SIDE]).
declare -A dev=()

_group_single_up() {
	_expect 0 "$EVNADM" volume create bench-single extent "b0:0:${EVN_BENCH_SIZE_MB}M"
	sides=(evn nvme)
	dev=([evn]=$out [nvme]=${nvme[0]})
}

_group_single_check() {
	_same_size evn nvme # the very same namespace on both sides
}

_group_single_down() {
	_expect 0 "$EVNADM" volume del bench-single
}

_group_stripe_up() {
	local i cols=() table
	for ((i = 0; i < ncols; i++)); do
		cols+=(column "b$i:0:${EVN_BENCH_SIZE_MB}M")
	done
	_expect 0 "$EVNADM" volume create bench-stripe layout stripe chunk "$((chunk >> 10))K" \
		"${cols[@]}"
	sides=(evn dm)
	dev=([evn]=$out)
	# dm-stripe: <start> <length> striped <#stripes> <chunk sectors> (<dev> <offset>)...
	table="0 $((ncols * size / 512)) striped $ncols $((chunk / 512))"
	for ((i = 0; i < ncols; i++)); do
		table+=" ${nvme[i]} 0"
	done
	echo "$table" >"$res/dm-table.txt"
	_run dmsetup create --noudevsync "$dm_name" --table "$table" ||
		_fail "dmsetup create $dm_name failed"
	# no udev in the VM, so no /dev/mapper/<name>: devtmpfs has /dev/dm-N
	dev[dm]=/dev/$(dmsetup info -c --noheadings -o blkdevname "$dm_name")
}

# The same layout on both sides, proven with data both ways: 48 chunks (16 rows) from chunk 0
# written through evn and read through dm-stripe; 48 chunks from mid-row in the middle third
# written through dm-stripe and read through evn; and volume chunk 1 is chunk 0 of target 1.
_group_stripe_check() {
	local m=$((size / chunk))
	m=$((m - m % ncols + 1))
	_same_size evn dm
	_same_data "${dev[evn]}" 0 "${dev[dm]}" 0 48 "evn -> dm-stripe, chunks 0-47"
	_same_data "${dev[dm]}" "$m" "${dev[evn]}" "$m" 48 "dm-stripe -> evn, chunks $m-$((m + 47))"
	_same_data "${dev[evn]}" 1 "${nvme[1]}" 0 1 "evn chunk 1 -> ${nvme[1]} chunk 0"
	echo "$g: layout check passed: evn and dm-stripe hold the same data (chunks 0-47 and" \
		"$m-$((m + 47)), both ways; chunk 1 on ${nvme[1]})"
}

_group_stripe_down() {
	_run dmsetup remove "$dm_name" || _fail "dmsetup remove $dm_name failed"
	_expect 0 "$EVNADM" volume del bench-stripe
}

_group_ceiling_up() {
	_expect 0 "$EVNADM" volume create bench-ceiling extent "b0:0:${EVN_BENCH_SIZE_MB}M"
	sides=(evn nullb)
	dev=([evn]=$out [nullb]=/dev/$ceil_nb)
}

_group_ceiling_check() {
	_same_size evn nullb
}

_group_ceiling_down() {
	_expect 0 "$EVNADM" volume del bench-ceiling
}

# The train group: the stripe group's devices, and target 3 alone through nvme-rdma.
_group_train_up() {
	_group_stripe_up
	sides+=(nvme)
	dev[nvme]=${nvme[ncols]}
}

# _train_write SIDE - XFS on SIDE's device (no discard: the namespaces stay written in full),
# and the data set in it
_train_write() {
	local r
	_run mkfs.xfs -q -f -K "${dev[$1]}" || _fail "train: mkfs.xfs on ${dev[$1]} failed"
	_run mount "${dev[$1]}" "$train_mnt" || _fail "train: mounting ${dev[$1]} failed"
	r=$(python3 "$bench/trainset.py" write "$train_mnt" --files "$EVN_BENCH_TRAIN_FILES") ||
		_fail "train: writing the data set on ${dev[$1]} failed (too small? run.sh -s)"
	echo "train $1: $r"
	_run umount "$train_mnt" || _fail "train: umount ${dev[$1]} failed"
}

# _train_read SIDE ARG... - one pass over the data set on SIDE's device, mounted read-only
# without log recovery, caches dropped: trainset.py read ARG...
_train_read() {
	local s=$1 r
	shift
	_run mount -o ro,norecovery "${dev[$s]}" "$train_mnt" ||
		_fail "train: read-only mount of ${dev[$s]} failed"
	r=$(python3 "$bench/trainset.py" read "$train_mnt" --drop-caches "$@") ||
		_fail "train: reading the data set on ${dev[$s]} failed: $r"
	echo "train $s: $r"
	_run umount "$train_mnt" || _fail "train: umount ${dev[$s]} failed"
}

# The data set is written twice from the same seed: once through evn (dm-stripe then reads
# the very same file system: the same blocks of the same targets) and once on target 3. The
# first pass on every side checks every file's SHA-256; the timed passes check sizes only.
_group_train_check() {
	local s
	_group_stripe_check
	mkdir -p "$train_mnt" || _fail "cannot create $train_mnt"
	for s in evn nvme; do
		_train_write "$s"
	done
	for s in "${sides[@]}"; do
		_train_read "$s" --readers 4 --verify --json "$res/train-verify.$s.json"
	done
}

_group_train_run() {
	_train_read "$2" --readers "${1##*-}" --order-seed "$3" --json "$4"
}

_group_train_down() {
	_group_stripe_down
}

_run _rxe_setup || _fail "soft-RoCE setup failed"
_run _targets_create "$ntargets" "$EVN_BENCH_SIZE_MB" ||
	_fail "creating the nvmet-rdma targets failed"
nvme=()
for ((i = 0; i < ntargets; i++)); do
	nvme[i]=$(_run _nvme_host_connect "$i") || _fail "nvme connect to target $i failed"
	[ "$(blockdev --getsize64 "${nvme[i]}")" = "$size" ] ||
		_fail "${nvme[i]} is not $EVN_BENCH_SIZE_MB MiB"
done
if [ -n "$ceil_nb" ]; then
	# the same null_blk settings as the targets' (tests/vm/rc _targets_create)
	nb=$NULLB_CFS/$ceil_nb
	{ _run mkdir "$nb" && echo "$EVN_BENCH_SIZE_MB" >"$nb/size" &&
		echo 1 >"$nb/memory_backed" && echo 1 >"$nb/power"; } ||
		_fail "creating the local null_blk /dev/$ceil_nb failed"
	[ -b "/dev/$ceil_nb" ] || _fail "no block device /dev/$ceil_nb for $nb"
fi
_run _evn_load || _fail "insmod failed"
for ((i = 0; i < nevn; i++)); do
	_expect 0 _evn_target_add "b$i" "$i"
done
[ "$ntargets" = 1 ] || _run modprobe dm_mod || _fail "modprobe dm_mod failed"

# Write every namespace once, in full, so that reads hit allocated null_blk pages on every
# path. Locally, on the null_blk disks the targets export: much faster than over soft-RoCE.
pre=(--ioengine=libaio --direct=1 --rw=write --bs=1M --iodepth=8 --output=/dev/null)
for ((i = 0; i < ntargets; i++)); do
	pre+=(--name="precondition$i" --filename="/dev/nullb$i")
done
[ -z "$ceil_nb" ] || pre+=(--name=precondition-ceiling --filename="/dev/$ceil_nb")
_run fio "${pre[@]}" || _fail "preconditioning the null_blk namespaces failed"

echo "kernel $(uname -r), $(nproc) CPUs, targets: $ntargets x $EVN_BENCH_SIZE_MB MiB," \
	"${nvme[*]}${ceil_nb:+; local /dev/$ceil_nb}" | tee "$res/devices.txt"
"$EVNADM" -j target show >"$res/target.json" || _fail "evnadm target show failed"

export RUNTIME=$EVN_BENCH_RUNTIME
for g in "${groups[@]}"; do
	t0=$SECONDS
	sides=()
	dev=()
	"_group_${g}_up"
	for s in "${sides[@]}"; do
		[ -b "${dev[$s]}" ] || _fail "$g: no block device for side $s: '${dev[$s]}'"
		_sched_none "${dev[$s]}" || _fail "$g: cannot select I/O scheduler none for ${dev[$s]}"
	done
	{
		printf '%s:' "$g"
		for s in "${sides[@]}"; do
			printf ' %s %s (%s MiB)' "$s" "${dev[$s]}" \
				"$(($(blockdev --getsize64 "${dev[$s]}") >> 20))"
		done
		echo
		for s in "${sides[@]}"; do
			_describe "$g" "${dev[$s]}"
		done
	} | tee -a "$res/devices.txt"
	# no pipe here: a _fail in the check must end this shell
	"_group_${g}_check" >/tmp/evn-bench.check
	tee -a "$res/devices.txt" </tmp/evn-bench.check
	g_jobs=EVN_BENCH_${g^^}_JOBS
	g_jobs=${!g_jobs}
	runner=''
	! declare -F "_group_${g}_run" >/dev/null || runner=_group_${g}_run
	# One round: every job on every side; round p starts with side p-1 (mod the number of
	# sides): with two sides, evn first in odd rounds and the peer first in even ones.
	for ((p = 1; p <= EVN_BENCH_PAIRS; p++)); do
		order=()
		for ((k = 0; k < ${#sides[@]}; k++)); do
			order+=("${sides[(p - 1 + k) % ${#sides[@]}]}")
		done
		for j in $g_jobs; do
			for w in "${order[@]}"; do
				f=$res/fio/$g.$j.$w.$p.json
				_log "$g round $p/$EVN_BENCH_PAIRS: $j on $w (${dev[$w]})"
				if [ -n "$runner" ]; then
					"$runner" "$j" "$w" "$p" "$f"
				else
					DEV=${dev[$w]} fio --output-format=json --output="$f" "$bench/$j.fio" ||
						_fail "fio $j on ${dev[$w]} failed (see $f)"
				fi
			done
		done
	done
	"_group_${g}_down"
	_log "$g done in $((SECONDS - t0)) s"
done

_expect 0 "$EVNADM" -j target show
echo "$out" >"$res/target-after.json"
for ((i = 0; i < nevn; i++)); do
	_expect 0 "$EVNADM" target del "b$i"
done
_run rmmod evn || _fail "rmmod evn failed"
_dmesg_check || _fail "kernel warnings in dmesg"
echo "ok"
