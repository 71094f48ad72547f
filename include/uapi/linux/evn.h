/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * evn.h - generic netlink interface of evn, the elastic NVMe pool
 *
 * This header is the only interface between the evn kernel module and its
 * userspace tool evnadm. Documentation/netlink/specs/evn.yaml describes the
 * same family in the kernel's YNL spec format.
 *
 * Rules: attributes are numbered from 1 and are never renumbered or reused;
 * new attributes and commands are added at the end of their enum; feature
 * bits are never reused and EVN_F_ALL holds every bit this header defines.
 */
#ifndef _UAPI_LINUX_EVN_H
#define _UAPI_LINUX_EVN_H

#define EVN_FAMILY_NAME		"evn"
#define EVN_FAMILY_VERSION	1
#define EVN_MCGRP_MONITOR	"monitor"

/* Limits of names and strings (lengths without the terminating NUL). */
#define EVN_NAME_MAX		31	/* target and volume names */
#define EVN_NQN_MAX		223	/* NVMF_NQN_SIZE: longest NQN, without NUL */
#define EVN_TRADDR_MAX		63	/* IPv4 or IPv6 address text */
#define EVN_DEFAULT_PORT	4420
#define EVN_SECONDS_MAX		604800	/* reconnect delay, loss timeout */
#define EVN_META_IO_MAX		32768	/* bytes of one meta-read/meta-write */

/**
 * DOC: feature bits
 *
 * EVN_A_INFO_FEATURES carries a mask of the features a module implements.
 * A caller may send the same attribute in an info-get request to ask whether
 * the module implements every feature it needs: the request then fails with
 * EOPNOTSUPP when any bit is unknown to the module.
 *
 * @EVN_F_INFO: the info-get command (every version has it).
 * @EVN_F_TARGETS: target-add, target-del, target-get, monitor notifications.
 * @EVN_F_VOLUMES: volume-new, volume-del, volume-get (one extent).
 * @EVN_F_LAYOUTS: volumes of many extents, concat and stripe layouts.
 * @EVN_F_GROW: volume-set grows a volume online with a longer map.
 * @EVN_F_META: per-target metadata areas: EVN_A_TARGET_META_SIZE,
 *	target-set, meta-read, meta-write.
 * @EVN_F_READ_ONLY: read-only volumes (EVN_A_VOLUME_READ_ONLY), and the
 *	default host NQN in info-get (EVN_A_INFO_HOSTNQN).
 */
#define EVN_F_INFO		(1ULL << 0)
#define EVN_F_TARGETS		(1ULL << 1)
#define EVN_F_VOLUMES		(1ULL << 2)
#define EVN_F_LAYOUTS		(1ULL << 3)
#define EVN_F_GROW		(1ULL << 4)
#define EVN_F_META		(1ULL << 5)
#define EVN_F_READ_ONLY		(1ULL << 6)
#define EVN_F_ALL		(EVN_F_INFO | EVN_F_TARGETS | EVN_F_VOLUMES | \
				 EVN_F_LAYOUTS | EVN_F_GROW | EVN_F_META | \
				 EVN_F_READ_ONLY)

/**
 * enum evn_target_state - state of a target's controller association
 *
 * @EVN_TARGET_STATE_NEW: created, not yet connecting
 * @EVN_TARGET_STATE_CONNECTING: connecting, or reconnecting after a loss
 *	(I/O waits; after the loss timeout it fails with EIO until the
 *	target is back)
 * @EVN_TARGET_STATE_LIVE: connected, I/O flows
 * @EVN_TARGET_STATE_RESETTING: an error was seen, queues are being torn
 *	down before reconnecting
 * @EVN_TARGET_STATE_DELETING: being removed
 * @EVN_TARGET_STATE_FAILED: after a reconnect its namespace was no longer
 *	the one it was added for (replaced, other block size, smaller), or
 *	the controller's limits shrank: its I/O fails with EIO, without
 *	reaching it, until the target is deleted (EVN_A_TARGET_ERROR says why)
 */
enum evn_target_state {
	EVN_TARGET_STATE_NEW,
	EVN_TARGET_STATE_CONNECTING,
	EVN_TARGET_STATE_LIVE,
	EVN_TARGET_STATE_RESETTING,
	EVN_TARGET_STATE_DELETING,
	EVN_TARGET_STATE_FAILED,
};

/**
 * enum evn_volume_state - state of a volume
 *
 * @EVN_VOLUME_STATE_LIVE: every target of the volume is live
 * @EVN_VOLUME_STATE_WAITING: a target is reconnecting; its I/O waits
 * @EVN_VOLUME_STATE_FAILED: a target is past its loss timeout; its I/O
 *	fails with EIO
 */
enum evn_volume_state {
	EVN_VOLUME_STATE_LIVE,
	EVN_VOLUME_STATE_WAITING,
	EVN_VOLUME_STATE_FAILED,
};

/**
 * enum evn_info_attrs - attributes of the info-get command
 *
 * @EVN_A_INFO_MODULE_VERSION: string, version of the evn kernel module
 * @EVN_A_INFO_FAMILY_VERSION: u32, version of this netlink family
 *	(EVN_FAMILY_VERSION of the module's build)
 * @EVN_A_INFO_FEATURES: u64, EVN_F_* mask; in a reply, what the module
 *	implements; in a request, what the caller requires
 * @EVN_A_INFO_PAD: padding for 64-bit attributes, never sent alone
 * @EVN_A_INFO_HOSTNQN: string, the host NQN targets are connected as by
 *	default (module parameter hostnqn, or one made at load)
 */
enum evn_info_attrs {
	EVN_A_INFO_UNSPEC,
	EVN_A_INFO_MODULE_VERSION,
	EVN_A_INFO_FAMILY_VERSION,
	EVN_A_INFO_FEATURES,
	EVN_A_INFO_PAD,
	EVN_A_INFO_HOSTNQN,

	__EVN_A_INFO_MAX,
	EVN_A_INFO_MAX = (__EVN_A_INFO_MAX - 1)
};

/**
 * enum evn_volume_layout - how a volume's extents hold its blocks
 *
 * @EVN_VOLUME_LAYOUT_CONCAT: extents laid end to end in the order given
 * @EVN_VOLUME_LAYOUT_STRIPE: RAID-0: volume chunk k (bytes [k*C, (k+1)*C))
 *	lives in column k mod N at column offset (k div N) * C, as dm-stripe
 *	and md raid0 place it; a column of several extents lays them end to
 *	end
 */
enum evn_volume_layout {
	EVN_VOLUME_LAYOUT_CONCAT,
	EVN_VOLUME_LAYOUT_STRIPE,
};

/**
 * enum evn_target_attrs - attributes of target-add, target-del, target-get,
 * target-set and of state notifications
 *
 * @EVN_A_TARGET_ID: u32, identifier the module gave the target
 * @EVN_A_TARGET_NAME: string, user-given unique name, 1..EVN_NAME_MAX
 *	characters of [A-Za-z0-9._-], not starting with '-'
 * @EVN_A_TARGET_TRADDR: string, IPv4 or IPv6 address of the target
 * @EVN_A_TARGET_PORT: u16 in host byte order, transport service id
 *	(default 4420)
 * @EVN_A_TARGET_SUBSYSNQN: string, NQN of the subsystem
 * @EVN_A_TARGET_NSID: u32, namespace id (default 1)
 * @EVN_A_TARGET_HOSTNQN: string, host NQN to connect as (default: the
 *	module's, built from the machine's host id)
 * @EVN_A_TARGET_RECONNECT_DELAY: u32, seconds between reconnect attempts,
 *	1..EVN_SECONDS_MAX
 * @EVN_A_TARGET_LOSS_TIMEOUT: u32, seconds I/O waits for a lost target
 *	before failing with EIO, 1..EVN_SECONDS_MAX
 * @EVN_A_TARGET_STATE: u32, enum evn_target_state
 * @EVN_A_TARGET_CAPACITY: u64, namespace capacity in bytes
 * @EVN_A_TARGET_LBA_SIZE: u32, logical block size in bytes
 * @EVN_A_TARGET_IO_QUEUES: u32, I/O queues of the association
 * @EVN_A_TARGET_QUEUE_DEPTH: u32, entries per I/O queue
 * @EVN_A_TARGET_MAX_TRANSFER: u32, largest transfer in bytes
 * @EVN_A_TARGET_ONCS: u32, Optional NVM Command Support field of Identify
 *	Controller, as the target reports it
 * @EVN_A_TARGET_VWC: u8, 1 when the target has a volatile write cache
 * @EVN_A_TARGET_RECONNECTS: u32, successful reconnects since target-add
 * @EVN_A_TARGET_CNTLID: u32, controller id the target gave
 * @EVN_A_TARGET_PAD: padding for 64-bit attributes
 * @EVN_A_TARGET_META_SIZE: u64, bytes at the start of the namespace kept
 *	for pool metadata (default 0, none): no volume extent may lie there,
 *	and meta-read and meta-write reach only there. A multiple of 4096 and
 *	of the LBA size, at most the capacity.
 * @EVN_A_TARGET_TIMEOUTS: u32, commands that timed out on the target since
 *	target-add (each piece of a timed-out volume request counts; each
 *	timeout resets the association)
 * @EVN_A_TARGET_ERROR: string, replies only, with EVN_TARGET_STATE_FAILED:
 *	why the target failed
 */
enum evn_target_attrs {
	EVN_A_TARGET_UNSPEC,
	EVN_A_TARGET_ID,
	EVN_A_TARGET_NAME,
	EVN_A_TARGET_TRADDR,
	EVN_A_TARGET_PORT,
	EVN_A_TARGET_SUBSYSNQN,
	EVN_A_TARGET_NSID,
	EVN_A_TARGET_HOSTNQN,
	EVN_A_TARGET_RECONNECT_DELAY,
	EVN_A_TARGET_LOSS_TIMEOUT,
	EVN_A_TARGET_STATE,
	EVN_A_TARGET_CAPACITY,
	EVN_A_TARGET_LBA_SIZE,
	EVN_A_TARGET_IO_QUEUES,
	EVN_A_TARGET_QUEUE_DEPTH,
	EVN_A_TARGET_MAX_TRANSFER,
	EVN_A_TARGET_ONCS,
	EVN_A_TARGET_VWC,
	EVN_A_TARGET_RECONNECTS,
	EVN_A_TARGET_CNTLID,
	EVN_A_TARGET_PAD,
	EVN_A_TARGET_META_SIZE,
	EVN_A_TARGET_TIMEOUTS,
	EVN_A_TARGET_ERROR,

	__EVN_A_TARGET_MAX,
	EVN_A_TARGET_MAX = (__EVN_A_TARGET_MAX - 1)
};

/**
 * enum evn_extent_attrs - attributes nested in EVN_A_VOLUME_EXTENT
 *
 * @EVN_A_EXTENT_TARGET: string, name of the target holding the extent
 * @EVN_A_EXTENT_TARGET_OFFSET: u64, byte offset on the target namespace
 * @EVN_A_EXTENT_LENGTH: u64, length in bytes
 * @EVN_A_EXTENT_COPY: u32, mirror copy index (only 0 for now)
 * @EVN_A_EXTENT_PAD: padding for 64-bit attributes
 * @EVN_A_EXTENT_COLUMN: u32, stripe column of the extent (default 0);
 *	extents of one column are laid end to end in the order given
 *
 * Offsets and lengths are multiples of 4096 and of the target's LBA size.
 */
enum evn_extent_attrs {
	EVN_A_EXTENT_UNSPEC,
	EVN_A_EXTENT_TARGET,
	EVN_A_EXTENT_TARGET_OFFSET,
	EVN_A_EXTENT_LENGTH,
	EVN_A_EXTENT_COPY,
	EVN_A_EXTENT_PAD,
	EVN_A_EXTENT_COLUMN,

	__EVN_A_EXTENT_MAX,
	EVN_A_EXTENT_MAX = (__EVN_A_EXTENT_MAX - 1)
};

/**
 * enum evn_volume_attrs - attributes of volume-new, volume-del, volume-get
 *
 * @EVN_A_VOLUME_ID: u32, identifier the module gave the volume; N in
 *	/dev/evnN
 * @EVN_A_VOLUME_NAME: string, user-given unique name (as target names)
 * @EVN_A_VOLUME_DEVICE: string, block device name, e.g. "evn0"
 * @EVN_A_VOLUME_SIZE: u64, size in bytes
 * @EVN_A_VOLUME_STATE: u32, enum evn_volume_state
 * @EVN_A_VOLUME_EXTENT: nest, enum evn_extent_attrs; one per extent, in
 *	volume order
 * @EVN_A_VOLUME_PAD: padding for 64-bit attributes
 * @EVN_A_VOLUME_LAYOUT: u32, enum evn_volume_layout (default concat)
 * @EVN_A_VOLUME_CHUNK: u32, stripe chunk in bytes, a power of two from
 *	4 KiB to 16 MiB
 * @EVN_A_VOLUME_COLUMNS: u32, stripe columns (replies only; requests give
 *	each extent its column)
 * @EVN_A_VOLUME_READ_ONLY: u8, 1 for a read-only volume (volume-new, and
 *	replies): the block device is read-only and writes fail
 * @EVN_A_VOLUME_MEMORY: u64, replies only: bytes of memory the volume's
 *	requests, their piece pool and its map hold (an estimate; the
 *	request queue and gendisk are not counted)
 */
enum evn_volume_attrs {
	EVN_A_VOLUME_UNSPEC,
	EVN_A_VOLUME_ID,
	EVN_A_VOLUME_NAME,
	EVN_A_VOLUME_DEVICE,
	EVN_A_VOLUME_SIZE,
	EVN_A_VOLUME_STATE,
	EVN_A_VOLUME_EXTENT,
	EVN_A_VOLUME_PAD,
	EVN_A_VOLUME_LAYOUT,
	EVN_A_VOLUME_CHUNK,
	EVN_A_VOLUME_COLUMNS,
	EVN_A_VOLUME_READ_ONLY,
	EVN_A_VOLUME_MEMORY,

	__EVN_A_VOLUME_MAX,
	EVN_A_VOLUME_MAX = (__EVN_A_VOLUME_MAX - 1)
};

/**
 * enum evn_meta_attrs - attributes of meta-read and meta-write
 *
 * @EVN_A_META_TARGET: string, name of the target
 * @EVN_A_META_OFFSET: u64, byte offset in the target namespace, inside its
 *	metadata area; a multiple of 4096 and of the LBA size
 * @EVN_A_META_LENGTH: u32, bytes to read (meta-read): a multiple of 4096
 *	and of the LBA size, at most EVN_META_IO_MAX
 * @EVN_A_META_DATA: binary, the bytes to write (meta-write; same rules as
 *	EVN_A_META_LENGTH for its length) or the bytes read (meta-read reply)
 * @EVN_A_META_PAD: padding for 64-bit attributes
 */
enum evn_meta_attrs {
	EVN_A_META_UNSPEC,
	EVN_A_META_TARGET,
	EVN_A_META_OFFSET,
	EVN_A_META_LENGTH,
	EVN_A_META_DATA,
	EVN_A_META_PAD,

	__EVN_A_META_MAX,
	EVN_A_META_MAX = (__EVN_A_META_MAX - 1)
};

/**
 * enum evn_cmds - commands of the evn family
 *
 * @EVN_CMD_INFO_GET: report module version, family version and features;
 *	allowed for unprivileged callers
 * @EVN_CMD_TARGET_ADD: connect to a target (CAP_SYS_ADMIN); replies with
 *	its id and name
 * @EVN_CMD_TARGET_DEL: disconnect and forget a target no volume uses
 *	(CAP_SYS_ADMIN)
 * @EVN_CMD_TARGET_GET: describe one target (by id or name) or dump all
 * @EVN_CMD_TARGET_NTF: notification on the "monitor" group: a target
 *	changed state; carries the target-get attributes
 * @EVN_CMD_VOLUME_NEW: create a volume and its block device
 *	(CAP_SYS_ADMIN); replies with id, name and device
 * @EVN_CMD_VOLUME_DEL: remove a volume whose device is not open
 *	(CAP_SYS_ADMIN)
 * @EVN_CMD_VOLUME_GET: describe one volume (by id or name) or dump all
 * @EVN_CMD_VOLUME_SET: grow a volume (by id or name) online: the request
 *	carries its whole new map, which keeps the current one as its prefix
 *	(CAP_SYS_ADMIN); replies as volume-get
 * @EVN_CMD_TARGET_SET: change a target (by id or name): its metadata area
 *	size (CAP_SYS_ADMIN); replies as target-get
 * @EVN_CMD_META_READ: read bytes of a target's metadata area
 *	(CAP_SYS_ADMIN); replies with EVN_A_META_DATA
 * @EVN_CMD_META_WRITE: write bytes of a target's metadata area, with FUA
 *	(CAP_SYS_ADMIN)
 */
enum evn_cmds {
	EVN_CMD_UNSPEC,
	EVN_CMD_INFO_GET,
	EVN_CMD_TARGET_ADD,
	EVN_CMD_TARGET_DEL,
	EVN_CMD_TARGET_GET,
	EVN_CMD_TARGET_NTF,
	EVN_CMD_VOLUME_NEW,
	EVN_CMD_VOLUME_DEL,
	EVN_CMD_VOLUME_GET,
	EVN_CMD_VOLUME_SET,
	EVN_CMD_TARGET_SET,
	EVN_CMD_META_READ,
	EVN_CMD_META_WRITE,

	__EVN_CMD_MAX,
	EVN_CMD_MAX = (__EVN_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_EVN_H */
