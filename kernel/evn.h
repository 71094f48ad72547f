/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evn.h - private declarations shared by the files of the evn module
 *
 * Copyright (C) 2026 The evn authors
 */
#ifndef _EVN_H
#define _EVN_H

#include <linux/blk-mq.h>
#include <linux/list.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <uapi/linux/evn.h>

#include "compat.h"
#include "layout.h"
#include "transport.h"

#define EVN_VERSION		"0.1.0"

/* Features this build implements: the reply of info-get. */
#define EVN_FEATURES		(EVN_F_INFO | EVN_F_TARGETS | EVN_F_VOLUMES | \
				 EVN_F_LAYOUTS | EVN_F_GROW | EVN_F_META | \
				 EVN_F_READ_ONLY)

/* Extents are aligned to this and to the target's LBA size. */
#define EVN_EXTENT_ALIGN	4096

/* Memory page size of NVMe controllers, and so of MR pages (4 KiB). */
#define EVN_CTRL_PAGE_SIZE	4096

/*
 * Write Zeroes: Deallocate, bit 25 of CDW12, i.e. bit 9 of the command's
 * 16-bit control field (NVMe 1.4 6.16); not in 6.1's <linux/nvme.h>.
 */
#define EVN_NVME_WZ_DEAC	BIT(9)

/* Minors per volume: the whole device and its partitions. */
#define EVN_MINORS		16

/**
 * struct evn_assoc - one controller association, shared by every target
 *	reached through the same address, subsystem and host NQN
 * @list: in evn_assocs, under evn_lock
 * @ctrl: the transport's controller
 * @opts: how it was reached (the lookup key)
 * @users: targets using it, under evn_lock
 * @notify_work: sends state notifications and restarts waiting volumes
 * @last_state: state last notified, under evn_lock
 */
struct evn_assoc {
	struct list_head list;
	struct evn_ctrl *ctrl;
	struct evn_ctrl_opts opts;
	unsigned int users;
	struct work_struct notify_work;
	u32 last_state;
};

/**
 * struct evn_target - one NVMe namespace of one subsystem, named by the user
 * @list: in evn_targets, under evn_lock
 * @id: identifier (EVN_A_TARGET_ID)
 * @name: user-given unique name
 * @traddr: address as the user gave it
 * @port: transport service id
 * @subsysnqn: subsystem NQN
 * @hostnqn: host NQN used to connect
 * @nsid: namespace id
 * @reconnect_delay: seconds between reconnect attempts
 * @loss_timeout: seconds before I/O to a lost target fails
 * @assoc: the controller association, NULL while being added
 * @capacity: namespace size in bytes
 * @lba_shift: log2 of the logical block size
 * @meta_size: bytes at the start of the namespace kept for pool metadata:
 *	no volume extent lies there, meta-read and meta-write reach only there
 * @users: volumes with an extent on this target, under evn_lock
 * @meta_busy: meta-read and meta-write commands doing I/O to it, under
 *	evn_lock; target-del and target-set wait for none
 */
struct evn_target {
	struct list_head list;
	u32 id;
	char name[EVN_NAME_MAX + 1];
	char traddr[EVN_TRADDR_MAX + 1];
	u16 port;
	char subsysnqn[EVN_NQN_BUF];
	char hostnqn[EVN_NQN_BUF];
	u32 nsid;
	u32 reconnect_delay;
	u32 loss_timeout;
	struct evn_assoc *assoc;
	u64 capacity;
	unsigned int lba_shift;
	u64 meta_size;
	unsigned int users;
	unsigned int meta_busy;
};

/**
 * struct evn_volume - a block device whose blocks live on target extents
 * @list: in evn_volumes, under evn_lock
 * @id: identifier, N in /dev/evnN
 * @name: user-given unique name
 * @size: bytes
 * @layout: the map: concat or stripe columns of extents (layout.c); its
 *	extent targets are struct evn_target pointers
 * @targets: the distinct targets of the map, each counted in its users
 * @nr_targets: entries in @targets
 * @lim: the limits of the queue, fixed when the disk was made
 * @max_pieces: most pieces a request can be split into: the room an
 *	element of @pieces_pool has, which a grown map must fit
 * @pieces_pool: room for the pieces of requests with more than
 *	EVN_INLINE_PIECES (struct evn_req), @max_pieces each
 * @tag_set: blk-mq tag set, one hardware queue per CPU the targets serve
 * @disk: the gendisk, set while it is being added
 * @ready: the disk is added; until then only volume-new uses the volume,
 *	under evn_lock
 * @read_only: the disk is read-only and writes fail
 * @deleting: volume-del found the disk unopened and removes it: opening it
 *	fails with ENXIO (under disk->open_mutex)
 */
struct evn_volume {
	struct list_head list;
	u32 id;
	char name[EVN_NAME_MAX + 1];
	u64 size;
	struct evn_layout layout;
	struct evn_target **targets;
	unsigned int nr_targets;
	struct evn_limits lim;
	unsigned int max_pieces;
	mempool_t *pieces_pool;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	bool ready;
	bool read_only;
	bool deleting;
};

/**
 * struct evn_piece_io - the NVMe command of one piece of a request
 * @io: the command
 * @req: the request it belongs to
 * @target: the target it goes to
 * @dsm: discard range, for REQ_OP_DISCARD
 */
struct evn_piece_io {
	struct evn_io io;
	struct evn_req *req;
	struct evn_target *target;
	struct nvme_dsm_range dsm;
};

/* Pieces of a request kept in its PDU; more come from the volume's pool. */
#define EVN_INLINE_PIECES	4
/* Data segments kept in the PDU; more are chained from the sg pools. */
#define EVN_INLINE_SEGS		2

/**
 * struct evn_req - per-request data of a volume (tag_set.cmd_size)
 * @pending: pieces not yet completed, plus one while submitting
 * @status: first error of a piece (blk_status_t), BLK_STS_OK if none
 * @requeue: a piece must be sent again: once every piece has finished,
 *	the whole request is requeued
 * @retry: a piece ended with EVN_IO_RETRY: the request is requeued too,
 *	while evn_req_may_retry() allows
 * @retry_wait: such a piece's path or namespace was not ready
 * @retry_target: the target of such a piece
 * @retry_delay_ms: the delay such a piece asked for
 * @retry_sts: the error of such a piece, to end with when no retry is left
 * @retries: retries of the request for an error status (kept across its
 *	requeues: reset only for a new request, see RQF_DONTPREP)
 * @waiting: the request waits for a path or namespace (kept likewise)
 * @timeouts: times the request timed out (kept likewise)
 * @expired: it timed out more than EVN_MAX_RETRIES times: once its pieces
 *	are given back it fails instead of being resent (kept likewise)
 * @faked: its completion was kept back (fail_io_timeout): evn_timeout()
 *	completes it
 * @wait_end: jiffies when that wait gives up, with @waiting
 * @nr_pieces: pieces of the request being served
 * @pios: the pieces' commands: @inline_pios, or @big's
 * @map: the pieces from evn_layout_map(): @inline_map, or @big's
 * @big: room for volume->max_pieces pieces from the volume's pool, taken
 *	when @inline_pios is too small, or NULL
 * @sgt: data segments of the request, its first chunk @inline_sg
 * @piece_sgt: @sgt cut at piece boundaries, when there are several pieces
 * @inline_sg: the first chunk of @sgt: all its entries when they fit, else
 *	one and the chain link (as nvme-rdma's first_sgl)
 * @inline_pios: room for EVN_INLINE_PIECES pieces
 * @inline_map: likewise
 *
 * The PDU has a fixed size whatever the layout, as nvme-rdma's: what a
 * larger request needs is taken when it is mapped and given back when it
 * completes or is requeued (evn_req_release()).
 */
struct evn_req {
	atomic_t pending;
	atomic_t status;
	bool requeue;
	bool retry;
	bool retry_wait;
	struct evn_target *retry_target;
	u32 retry_delay_ms;
	blk_status_t retry_sts;
	u8 retries;
	bool waiting;
	u8 timeouts;
	bool expired;
	bool faked;
	unsigned long wait_end;
	unsigned int nr_pieces;
	struct evn_piece_io *pios;
	struct evn_layout_piece *map;
	void *big;
	struct sg_table sgt;
	struct sg_table piece_sgt;
	struct scatterlist inline_sg[EVN_INLINE_SEGS];
	struct evn_piece_io inline_pios[EVN_INLINE_PIECES];
	struct evn_layout_piece inline_map[EVN_INLINE_PIECES];
};

/* The value of an optional u32 attribute, or @def when it is absent. */
static inline u32 evn_nla_u32(const struct nlattr *attr, u32 def)
{
	return attr ? nla_get_u32(attr) : def;
}

/*
 * NL_SET_ERR_MSG_ATTR() for a message chosen at run time: @msg must be a
 * static string, as extack keeps the pointer until the ack is built.
 */
static inline void evn_set_err_attr(struct netlink_ext_ack *extack,
				    const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		NL_SET_BAD_ATTR(extack, attr);
	}
}

/* Protects the target, association and volume lists and their counts. */
extern struct mutex evn_lock;

/* info.c: the pure parts of info-get, shared with the KUnit suite */
extern const struct nla_policy evn_info_get_policy[EVN_A_INFO_MAX + 1];
u64 evn_features_unsupported(u64 wanted);
int evn_info_check_request(struct nlattr **attrs,
			   struct netlink_ext_ack *extack);
int evn_info_fill(struct sk_buff *skb, const char *hostnqn);

/* nl_check.c: pure validation of user input */
int evn_check_name(const struct nlattr *attr, struct netlink_ext_ack *extack);
int evn_check_extent(u64 offset, u64 length, u64 capacity,
		     unsigned int lba_shift, const struct nlattr *attr,
		     struct netlink_ext_ack *extack);
int evn_check_meta_size(u64 size, u64 capacity, unsigned int lba_shift,
			const struct nlattr *attr,
			struct netlink_ext_ack *extack);
int evn_check_meta_range(u64 offset, u64 length, u64 meta_size,
			 unsigned int lba_shift, const struct nlattr *attr,
			 struct netlink_ext_ack *extack);

/* map.c: pure translation of requests to NVMe block addresses */
int evn_map_lba(u64 target_offset, u64 extent_len, u64 pos, u64 bytes,
		unsigned int lba_shift, u64 *slba, u32 *nlb);

/*
 * Requests in a row that must have found their queue empty before the next
 * one is sent at once (evn_send_now()): 4 KiB QD32 IOPS of a stripe fell
 * by half in the VM rig when a queue that drained for a moment did.
 */
#define EVN_ALONE_STREAK	4
bool evn_send_now(unsigned int *alone_streak, bool alone);

/* target.c: targets and controller associations */
int evn_target_add(struct genl_info *info);
int evn_target_del(struct genl_info *info);
int evn_target_get_doit(struct sk_buff *skb, struct genl_info *info);
int evn_target_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int evn_target_set(struct genl_info *info);
struct evn_target *evn_target_find(const char *name);
const char *evn_target_default_hostnqn(void);
void evn_targets_delete_all(void);
int evn_target_init(void);

/* volume.c: volumes and their block devices */
int evn_volume_new(struct genl_info *info);
int evn_volume_del(struct genl_info *info);
int evn_volume_set(struct genl_info *info);
int evn_volume_get_doit(struct sk_buff *skb, struct genl_info *info);
int evn_volume_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
void evn_volumes_kick(struct evn_assoc *assoc);
bool evn_volumes_use(const struct evn_target *t, u64 offset, u64 length);
void evn_volumes_delete_all(void);
int evn_volume_init(void);
void evn_volume_exit(void);

/* meta.c: the metadata areas of targets */
int evn_meta_read(struct genl_info *info);
int evn_meta_write(struct genl_info *info);

/* netlink.c: the generic netlink family */
extern struct genl_family evn_nl_family;
int evn_nl_require_admin(struct sk_buff *skb, struct genl_info *info);
void evn_nl_notify_target(struct evn_target *target);
int evn_nl_init(void);
void evn_nl_exit(void);

#endif /* _EVN_H */
