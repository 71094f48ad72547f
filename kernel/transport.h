/* SPDX-License-Identifier: GPL-2.0 */
/*
 * transport.h - the narrow interface between evn's volumes and its
 * NVMe over Fabrics RDMA host (rdma.c)
 *
 * The volume layer (target.c, volume.c) knows controllers only through
 * these functions, as nvme-rdma sits behind fabrics/core and rtrs behind
 * rnbd. A controller is one NVMe-oF association with one target address and
 * subsystem: an admin queue and one I/O queue per CPU, up to the count the
 * target grants. Several namespaces (evn targets) may share a controller.
 *
 * Controller states (see Documentation/evn.rst):
 *
 *   NEW -> CONNECTING -> LIVE -> RESETTING -> CONNECTING -> ... -> DELETING
 *
 * An error (work completion error, CM disconnect or address change, keep
 * alive or request timeout) moves a LIVE controller to RESETTING: its queues
 * are stopped and drained, every I/O still outstanding is completed with
 * EVN_IO_REQUEUE (the old host queue can no longer complete it; the
 * target's old controller may still execute it), and it reconnects every
 * reconnect_delay seconds. While not LIVE, evn_ctrl_submit() returns
 * BLK_STS_RESOURCE (the caller retries) until loss_timeout has passed since
 * the loss, then BLK_STS_IOERR, until the controller is LIVE again. When the
 * teardown gave back a write-class command, writes get BLK_STS_RESOURCE too,
 * for 2 x KATO + CQT + resend_hold after it (NVMe 2.1 section 9.6); reads
 * go.
 */
#ifndef _EVN_TRANSPORT_H
#define _EVN_TRANSPORT_H

#include <linux/blk_types.h>
#include <linux/nvme.h>
#include <linux/scatterlist.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <rdma/ib_verbs.h>

#include "nvme_cmd.h"

struct evn_ctrl;
struct evn_queue;
struct netlink_ext_ack;

/* An NQN of up to NVMF_NQN_SIZE (223) characters and its NUL. */
#define EVN_NQN_BUF		(NVMF_NQN_SIZE + 1)

/**
 * struct evn_ctrl_opts - how to reach a controller
 * @addr: target address and port (AF_INET or AF_INET6)
 * @subsysnqn: NQN of the subsystem
 * @hostnqn: host NQN to connect as
 * @hostid: host identifier sent in Fabrics Connect
 * @reconnect_delay: seconds between reconnect attempts
 * @loss_timeout: seconds after a loss before I/O fails with EIO
 * @queue_size: wanted entries per I/O queue (capped by CAP.MQES)
 * @nr_io_queues: wanted I/O queues (capped by CPUs and the target)
 */
struct evn_ctrl_opts {
	struct sockaddr_storage addr;
	char subsysnqn[EVN_NQN_BUF];
	char hostnqn[EVN_NQN_BUF];
	uuid_t hostid;
	unsigned int reconnect_delay;
	unsigned int loss_timeout;
	unsigned int queue_size;
	unsigned int nr_io_queues;
};

/**
 * struct evn_ctrl_info - what a controller reports, for target-get
 * @state: enum evn_target_state
 * @cntlid: controller id the target gave
 * @nr_io_queues: I/O queues in use
 * @queue_size: entries per I/O queue
 * @max_hw_sectors: largest transfer in 512-byte sectors (MDTS, MR pages)
 * @max_segments: largest number of data segments per command
 * @oncs: Optional NVM Command Support from Identify Controller
 * @vwc: true when the controller has a volatile write cache
 * @reconnects: successful reconnects since creation
 * @timeouts: commands that timed out on it since creation (each piece of a
 *	timed-out request counts)
 * @failing: I/O fails with EIO instead of waiting: lost for loss_timeout
 *	or more, or being deleted
 */
struct evn_ctrl_info {
	u32 state;
	u16 cntlid;
	u32 nr_io_queues;
	u32 queue_size;
	u32 max_hw_sectors;
	u32 max_segments;
	u16 oncs;
	bool vwc;
	u32 reconnects;
	u32 timeouts;
	bool failing;
};

/**
 * struct evn_ns_info - Identify Namespace results
 * @nsze: namespace size in logical blocks
 * @lba_shift: log2 of the logical block size
 * @ids: its EUI-64, NGUID and UUID (zero where it has none)
 */
struct evn_ns_info {
	u64 nsze;
	unsigned int lba_shift;
	struct evn_ns_ids ids;
};

/* Status values an I/O completes with, besides BLK_STS_* errors. */
#define EVN_IO_REQUEUE	((__force blk_status_t)0xfe)
#define EVN_IO_RETRY	((__force blk_status_t)0xfd)

/**
 * struct evn_io - one NVMe I/O command, embedded in the caller's request
 * @opcode: nvme_cmd_read, nvme_cmd_write, nvme_cmd_flush,
 *	nvme_cmd_write_zeroes or nvme_cmd_dsm
 * @nsid: namespace id
 * @slba: first logical block
 * @nlb: number of logical blocks (not 0's based); 0 for flush
 * @control: NVMe control bits (NVME_RW_FUA, NVME_WZ_DEAC ...)
 * @sgl: data scatterlist for read and write, or NULL
 * @sg_nents: entries in @sgl
 * @dsm: one discard range, for nvme_cmd_dsm (must be DMA-able memory)
 * @send_now: the caller has no other I/O in flight from this CPU: the
 *	transport may do the device's sending work before it returns (see
 *	evn_queue_post()), which shortens a lone command's path
 * @retry_ok: the caller retries: an error status that allows a retry
 *	(evn_nvme_disposition()) completes with EVN_IO_RETRY, not an error
 * @done: called once, in any context, with BLK_STS_OK, a BLK_STS_* error,
 *	EVN_IO_REQUEUE when the queue was torn down under the I/O and it
 *	must be sent again (after evn_ctrl_submit() accepts it again), or
 *	EVN_IO_RETRY (only with @retry_ok) when the target answered a status
 *	worth retrying, described by the three fields below
 * @result: NVMe status of the completion (0 on success), for errors
 * @retry_wait: with EVN_IO_RETRY: the path or the namespace is not ready
 *	(ANA, namespace not ready); retry until the loss timeout. Else the
 *	error may be retried a few times.
 * @retry_delay_ms: with EVN_IO_RETRY: the delay the controller asks for
 *	(CRD); 0 for none
 * @retry_sts: with EVN_IO_RETRY: the error to end with when the caller
 *	stops retrying
 * @tr_priv: transport state while the I/O is outstanding (its queue slot)
 *
 * The caller owns the memory (normally its blk-mq request's PDU) and keeps
 * it, @sgl and @dsm valid until @done has been called. All transport state
 * of an outstanding command (SQE buffer, MR, CQEs) lives in a slot of the
 * queue it was sent on, DMA-mapped for that queue's device.
 */
struct evn_io {
	u8 opcode;
	u32 nsid;
	u64 slba;
	u32 nlb;
	u16 control;
	struct scatterlist *sgl;
	int sg_nents;
	struct nvme_dsm_range *dsm;
	bool send_now;
	bool retry_ok;
	void (*done)(struct evn_io *io, blk_status_t status);
	u16 result;
	bool retry_wait;
	u32 retry_delay_ms;
	blk_status_t retry_sts;
	void *tr_priv;
};

struct evn_ctrl *evn_ctrl_create(const struct evn_ctrl_opts *opts,
				 struct netlink_ext_ack *extack);
void evn_ctrl_delete(struct evn_ctrl *ctrl);
int evn_ctrl_identify_ns(struct evn_ctrl *ctrl, u32 nsid,
			 struct evn_ns_info *info);
int evn_ctrl_watch_ns(struct evn_ctrl *ctrl, u32 nsid,
		      const struct evn_ns_info *info);
void evn_ctrl_unwatch_ns(struct evn_ctrl *ctrl, u32 nsid);
const char *evn_ctrl_ns_failed(struct evn_ctrl *ctrl, u32 nsid);
bool evn_ctrl_would_wait(struct evn_ctrl *ctrl, u8 opcode);
void evn_ctrl_promise_limits(struct evn_ctrl *ctrl, u32 max_hw_sectors,
			     u32 max_segments);
void evn_ctrl_get_info(struct evn_ctrl *ctrl, struct evn_ctrl_info *info);
void evn_ctrl_set_state_notify(struct evn_ctrl *ctrl,
			       void (*notify)(void *data), void *data);

blk_status_t evn_ctrl_submit(struct evn_ctrl *ctrl, unsigned int qid,
			     struct evn_io *io);
void evn_ctrl_timeout(struct evn_ctrl *ctrl);

int evn_transport_init(void);
void evn_transport_exit(void);

#endif /* _EVN_TRANSPORT_H */
