// SPDX-License-Identifier: GPL-2.0
/*
 * volume.c - evn volumes: a blk-mq block device per volume, whose blocks
 * live on extents of targets, laid out as concat or stripe (layout.c)
 *
 * Each volume has its own tag set with a hardware queue per CPU, up to the
 * most I/O queues one of its targets has. A request is split at extent and
 * chunk boundaries into pieces; each piece is one NVMe command to the I/O queue
 * of its target's controller that serves the same hardware queue, and the
 * request completes when every piece has. Flush goes to every target of
 * the volume. A request's PDU has room for a few pieces and data segments;
 * one that needs more takes them from the volume's pool and the sg pools
 * while it is served, so a volume's memory does not grow with the worst
 * case of its layout.
 *
 * A piece the transport gives back (EVN_IO_REQUEUE after it tore a queue
 * down, or BLK_STS_RESOURCE while a controller reconnects or holds writes
 * after a reset) makes the whole request requeued, but only once every
 * piece has finished, so nothing is resent while an old host queue could
 * still complete it. The target's old controller may still execute a write
 * that was given back: the transport sends no write to it until that can
 * no longer happen (evn_ctrl_fence_writes() in rdma.c). A request that
 * timed out more than EVN_MAX_RETRIES times fails instead of being resent.
 * After a controller's loss timeout the transport fails pieces with
 * BLK_STS_IOERR. A piece the target answered with a status that allows a
 * retry (EVN_IO_RETRY) requeues the request the same way: up to
 * EVN_MAX_RETRIES times, or, when the path or namespace is not ready
 * (ANA), for as long as the loss timeout.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "evn.h"

static unsigned int io_timeout = 30;
module_param(io_timeout, uint, 0644);
MODULE_PARM_DESC(io_timeout,
		 "seconds before a volume request is considered lost and its controller reset (default 30)");

/* Back-off before a request split over several targets is sent again. */
#define EVN_REQUEUE_DELAY_MS	10

/* Retries for an error status the target allows a retry of (nvme core's). */
#define EVN_MAX_RETRIES		5
/* Back-off while the path or namespace of a target is not ready. */
#define EVN_WAIT_DELAY_MS	100
/* Longest Command Retry Delay (CRD) honoured; CRDT allows 6553.5 s. */
#define EVN_MAX_RETRY_DELAY_MS	5000U

/*
 * Largest discard, and the most pieces it may need (it is made smaller
 * for maps of many small extents, down to the largest data request).
 */
#define EVN_MAX_DISCARD_BYTES	SZ_4G
#define EVN_RANGE_MAX_PIECES	256
/* Elements of a volume's pool kept in reserve, so that it makes progress. */
#define EVN_POOL_RESERVE	2

static int evn_major;
static LIST_HEAD(evn_volumes);		/* under evn_lock, ordered by id */
static DEFINE_IDA(evn_volume_ida);

/**
 * evn_disk_open() - open a volume's disk, unless volume-del is removing it
 * @disk: the disk
 *
 * An open racing with volume-del: whoever takes disk->open_mutex first wins.
 * Once volume-del has seen no opener and set @deleting, opens fail as they
 * do for a removed disk (loop and ublk do the same).
 *
 * Context: process context, disk->open_mutex held (evn_bdev_open()).
 * Return: 0, or -ENXIO while the volume is being deleted.
 */
int evn_disk_open(struct gendisk *disk)
{
	struct evn_volume *v = disk->private_data;

	lockdep_assert_held(&disk->open_mutex);
	return v->deleting ? -ENXIO : 0;
}

static const struct block_device_operations evn_bdev_ops = {
	.owner		= THIS_MODULE,
	.open		= evn_bdev_open,
};

/**
 * struct evn_hctx - per hardware queue state of a volume
 * @inflight: requests sent from this queue and not yet completed or
 *	requeued
 * @alone_streak: requests in a row that found nothing else in flight, up
 *	to EVN_ALONE_STREAK (a hint, updated without a lock)
 */
struct evn_hctx {
	atomic_t inflight;
	unsigned int alone_streak;
};

static int evn_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			 unsigned int hctx_idx)
{
	struct evn_hctx *eh;

	eh = kzalloc_node(sizeof(*eh), GFP_KERNEL, hctx->numa_node);
	if (!eh)
		return -ENOMEM;
	hctx->driver_data = eh;
	return 0;
}

static void evn_exit_hctx(struct blk_mq_hw_ctx *hctx, unsigned int hctx_idx)
{
	kfree(hctx->driver_data);
	hctx->driver_data = NULL;
}

/* @rq is no longer in flight: completed, or requeued. */
static void evn_req_gone(struct request *rq)
{
	struct evn_hctx *eh = rq->mq_hctx->driver_data;

	atomic_dec(&eh->inflight);
}

/* The first error of the request's pieces, BLK_STS_OK if none. */
static blk_status_t evn_req_status(struct evn_req *req)
{
	return (__force blk_status_t)atomic_read(&req->status);
}

/*
 * A piece of @rq ended with EVN_IO_RETRY: true if the request may be sent
 * again, false when it must fail. A path or namespace that is not ready is
 * waited for as long as a lost target (its loss timeout, counted from the
 * first such answer); other errors are retried EVN_MAX_RETRIES times, as
 * nvme core does. Requests marked fail-fast (readahead) are not retried.
 */
static bool evn_req_may_retry(struct request *rq, struct evn_req *req)
{
	struct evn_volume *vol = rq->q->queuedata;
	struct evn_target *t = req->retry_target;

	if (blk_noretry_request(rq) || blk_queue_dying(rq->q))
		return false;
	if (!req->retry_wait)
		return req->retries++ < EVN_MAX_RETRIES;
	if (!req->waiting) {
		req->waiting = true;
		req->wait_end = jiffies + (unsigned long)t->loss_timeout * HZ;
		dev_warn_ratelimited(disk_to_dev(vol->disk),
				     "target %s: path or namespace not ready, I/O waits up to %u s\n",
				     t->name, t->loss_timeout);
		return true;
	}
	if (time_before(jiffies, req->wait_end))
		return true;
	dev_err_ratelimited(disk_to_dev(vol->disk),
			    "target %s: path or namespace not ready for %u s, failing I/O\n",
			    t->name, t->loss_timeout);
	return false;
}

/* Bytes of an element of a volume's pool: @max_pieces pieces. */
static size_t evn_pieces_size(unsigned int max_pieces)
{
	return (size_t)max_pieces * (sizeof(struct evn_piece_io) +
				     sizeof(struct evn_layout_piece));
}

/*
 * Room for @n pieces: the PDU's, or an element of the volume's pool.
 * BLK_STS_RESOURCE when the pool has none free now (blk-mq retries),
 * BLK_STS_IOERR when @n is more than any request of the volume may have.
 */
static blk_status_t evn_req_room(struct evn_volume *vol, struct evn_req *req,
				 unsigned int n)
{
	if (n <= EVN_INLINE_PIECES)
		return BLK_STS_OK;
	if (n > vol->max_pieces)
		return BLK_STS_IOERR;
	req->big = mempool_alloc(vol->pieces_pool, GFP_NOWAIT);
	if (!req->big)
		return BLK_STS_RESOURCE;
	req->pios = req->big;
	req->map = (struct evn_layout_piece *)(req->pios + vol->max_pieces);
	return BLK_STS_OK;
}

/*
 * Give back what serving @req took beyond its PDU: its chained data
 * segments and pool element. Before it completes or is requeued.
 */
static void evn_req_release(struct evn_volume *vol, struct evn_req *req)
{
	if (req->piece_sgt.orig_nents) {
		sg_free_table_chained(&req->piece_sgt, 0);
		req->piece_sgt.orig_nents = 0;
	}
	if (req->sgt.orig_nents) {
		sg_free_table_chained(&req->sgt, EVN_INLINE_SEGS);
		req->sgt.orig_nents = 0;
	}
	if (req->big) {
		mempool_free(req->big, vol->pieces_pool);
		req->big = NULL;
		req->pios = req->inline_pios;
		req->map = req->inline_map;
	}
}

/*
 * Drop a reference of @req; the last one completes or requeues it, and
 * then true is returned. @may_fake: blk_should_fake_timeout() may keep the
 * completion back (fail_io_timeout); evn_timeout() then completes it.
 */
static bool __evn_req_put(struct evn_req *req, bool may_fake)
{
	struct request *rq = blk_mq_rq_from_pdu(req);
	struct evn_volume *vol = rq->q->queuedata;
	unsigned int delay = EVN_REQUEUE_DELAY_MS;

	if (!atomic_dec_and_test(&req->pending))
		return false;
	evn_req_gone(rq);
	if (evn_req_status(req) == BLK_STS_OK && req->retry) {
		if (evn_req_may_retry(rq, req)) {
			delay = max_t(u32, req->retry_wait ? EVN_WAIT_DELAY_MS :
				      EVN_REQUEUE_DELAY_MS, req->retry_delay_ms);
			req->requeue = true;
		} else {
			atomic_set(&req->status, (__force int)req->retry_sts);
		}
	}
	if (evn_req_status(req) == BLK_STS_OK && req->requeue &&
	    READ_ONCE(req->expired)) {
		/* As nvme core after nvme_max_retries: no more resends. */
		dev_err_ratelimited(disk_to_dev(vol->disk),
				    "request %llu+%u timed out %u times; failing it\n",
				    (u64)blk_rq_pos(rq) << SECTOR_SHIFT,
				    blk_rq_bytes(rq), req->timeouts);
		atomic_set(&req->status, (__force int)BLK_STS_IOERR);
	}
	if (evn_req_status(req) == BLK_STS_OK && req->requeue) {
		/*
		 * Every piece has finished: no old host queue can complete one
		 * any more (a target may still run a write it was given: the
		 * transport holds writes after a reset for that). A target is
		 * reconnecting or was torn down, or answered a status worth a
		 * retry: back off a little, so the pieces that went to healthy
		 * targets are not resent in a loop.
		 */
		evn_req_release(vol, req);
		blk_mq_requeue_request(rq, false);
		blk_mq_delay_kick_requeue_list(rq->q, delay);
		return true;
	}
	if (may_fake && blk_should_fake_timeout(rq->q)) {
		WRITE_ONCE(req->faked, true);
		return true;
	}
	blk_mq_complete_request(rq);
	return true;
}

static bool evn_req_put(struct evn_req *req)
{
	return __evn_req_put(req, true);
}

/* Record how a piece ended; the first error wins over a requeue. */
static void evn_piece_end(struct evn_req *req, blk_status_t status)
{
	if (status == EVN_IO_REQUEUE || status == BLK_STS_RESOURCE)
		WRITE_ONCE(req->requeue, true);
	else if (status != BLK_STS_OK)
		atomic_cmpxchg(&req->status, (__force int)BLK_STS_OK,
			       (__force int)status);
	evn_req_put(req);
}

static void evn_piece_done(struct evn_io *io, blk_status_t status)
{
	struct evn_piece_io *pio = container_of(io, struct evn_piece_io, io);
	struct evn_req *req = pio->req;

	if (status == EVN_IO_RETRY) {
		/*
		 * Pieces may race here: the first one's details are kept whole.
		 * evn_req_put()'s atomic_dec_and_test() orders them before the
		 * last reference reads them.
		 */
		if (!cmpxchg(&req->retry_target, NULL, pio->target)) {
			req->retry_wait = io->retry_wait;
			req->retry_delay_ms = min(io->retry_delay_ms,
						  EVN_MAX_RETRY_DELAY_MS);
			req->retry_sts = io->retry_sts;
			WRITE_ONCE(req->retry, true);
		}
		evn_req_put(req);
		return;
	}
	evn_piece_end(req, status);
}

static void evn_complete_rq(struct request *rq)
{
	struct evn_req *req = blk_mq_rq_to_pdu(rq);

	evn_req_release(rq->q->queuedata, req);
	blk_mq_end_request(rq, evn_req_status(req));
}

static int evn_init_request(struct blk_mq_tag_set *set, struct request *rq,
			    unsigned int hctx_idx, unsigned int numa_node)
{
	struct evn_req *req = blk_mq_rq_to_pdu(rq);

	req->pios = req->inline_pios;
	req->map = req->inline_map;
	return 0;
}

/*
 * Cut the request's data segments (req->sgt, @nents entries) at the piece
 * boundaries: each piece gets its own run of req->piece_sgt, which has
 * room for @nents + nr_pieces entries (each boundary splits at most one
 * segment). Both tables may be chained: they are walked with sg_next().
 */
static int evn_req_split_sg(struct evn_req *req, int nents)
{
	struct scatterlist *src = req->sgt.sgl, *dst = req->piece_sgt.sgl;
	u32 skip = 0;		/* bytes of @src already given out */
	unsigned int i;

	for (i = 0; i < req->nr_pieces; i++) {
		struct evn_io *io = &req->pios[i].io;
		u64 left = req->map[i].length;
		struct scatterlist *last = NULL;

		io->sgl = dst;
		io->sg_nents = 0;
		while (left) {
			u32 len;

			if (!src || !nents || !dst)
				return -EINVAL;
			len = min_t(u64, src->length - skip, left);
			sg_set_page(dst, sg_page(src), len, src->offset + skip);
			io->sg_nents++;
			/* The next entry is found before this one ends a run. */
			last = dst;
			dst = sg_next(dst);
			left -= len;
			skip += len;
			if (skip == src->length) {
				src = sg_next(src);
				nents--;
				skip = 0;
			}
		}
		if (!last)
			return -EINVAL;
		sg_mark_end(last);
	}
	return 0;
}

/*
 * Map the data of a read or write into req->sgt, and for several pieces
 * cut it into req->piece_sgt. BLK_STS_RESOURCE when the sg pools have
 * nothing free now.
 */
static blk_status_t evn_req_map_data(struct request *rq, struct evn_req *req)
{
	unsigned int nsegs = blk_rq_nr_phys_segments(rq);
	int count;

	/* The first entries are the PDU's; more are chained, as nvme-rdma. */
	req->sgt.sgl = req->inline_sg;
	if (sg_alloc_table_chained(&req->sgt, nsegs, req->inline_sg,
				   EVN_INLINE_SEGS)) {
		req->sgt.orig_nents = 0;
		return BLK_STS_RESOURCE;
	}
	count = blk_rq_map_sg(rq->q, rq, req->sgt.sgl);
	if (count <= 0)
		return BLK_STS_IOERR;
	if (req->nr_pieces == 1) {
		/* One piece is the whole request: nothing to cut. */
		req->pios[0].io.sgl = req->sgt.sgl;
		req->pios[0].io.sg_nents = count;
		return BLK_STS_OK;
	}
	if (sg_alloc_table_chained(&req->piece_sgt, count + req->nr_pieces,
				   NULL, 0)) {
		req->piece_sgt.orig_nents = 0;
		return BLK_STS_RESOURCE;
	}
	return evn_req_split_sg(req, count) ? BLK_STS_IOERR : BLK_STS_OK;
}

/* Fill the NVMe command of piece @i; false if it cannot be expressed. */
static bool evn_piece_setup(struct evn_req *req, unsigned int i, u8 opcode,
			    u16 control)
{
	struct evn_piece_io *pio = &req->pios[i];
	struct evn_layout_piece *piece = &req->map[i];
	struct evn_target *t = piece->target;
	struct evn_io *io = &pio->io;

	pio->req = req;
	pio->target = t;
	io->opcode = opcode;
	io->nsid = t->nsid;
	io->control = control;
	io->slba = 0;
	io->nlb = 0;
	io->sgl = NULL;
	io->sg_nents = 0;
	io->dsm = NULL;
	io->send_now = false;
	io->retry_ok = true;
	io->done = evn_piece_done;
	if (opcode == nvme_cmd_flush)
		return true;
	if (evn_map_lba(piece->target_offset, piece->length, 0, piece->length,
			t->lba_shift, &io->slba, &io->nlb))
		return false;
	if (opcode == nvme_cmd_dsm) {
		pio->dsm.cattr = 0;
		pio->dsm.nlb = cpu_to_le32(io->nlb);
		pio->dsm.slba = cpu_to_le64(io->slba);
		io->dsm = &pio->dsm;
	}
	return true;
}

/* The pieces of a flush: one per target of the volume. */
static void evn_req_map_flush(struct evn_volume *vol, struct evn_req *req)
{
	unsigned int i;

	for (i = 0; i < vol->nr_targets; i++) {
		memset(&req->map[i], 0, sizeof(req->map[i]));
		req->map[i].target = vol->targets[i];
	}
	req->nr_pieces = vol->nr_targets;
}

static blk_status_t evn_queue_rq(struct blk_mq_hw_ctx *hctx,
				 const struct blk_mq_queue_data *bd)
{
	struct evn_volume *vol = hctx->queue->queuedata;
	struct evn_hctx *eh = hctx->driver_data;
	struct request *rq = bd->rq;
	struct evn_req *req = blk_mq_rq_to_pdu(rq);
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	u16 control = 0;
	blk_status_t sts;
	bool send_now;
	unsigned int i;
	u8 opcode;
	int ret;

	/* A new request, not one requeued: no retry or wait so far. */
	if (!(rq->rq_flags & RQF_DONTPREP)) {
		req->retries = 0;
		req->waiting = false;
		req->timeouts = 0;
		req->expired = false;
		rq->rq_flags |= RQF_DONTPREP;
	}

	switch (req_op(rq)) {
	case REQ_OP_READ:
		opcode = nvme_cmd_read;
		break;
	case REQ_OP_WRITE:
		opcode = nvme_cmd_write;
		if (rq->cmd_flags & REQ_FUA)
			control |= NVME_RW_FUA;
		break;
	case REQ_OP_FLUSH:
		opcode = nvme_cmd_flush;
		break;
	case REQ_OP_DISCARD:
		opcode = nvme_cmd_dsm;
		break;
	case REQ_OP_WRITE_ZEROES:
		opcode = nvme_cmd_write_zeroes;
		if (!(rq->cmd_flags & REQ_NOUNMAP))
			control |= EVN_NVME_WZ_DEAC;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	/* The block layer only warns about writes to a read-only disk. */
	if (vol->read_only && opcode != nvme_cmd_read &&
	    opcode != nvme_cmd_flush) {
		pr_err_ratelimited("%s: write to a read-only volume refused\n",
				   vol->disk->disk_name);
		return BLK_STS_IOERR;
	}

	if (opcode == nvme_cmd_flush) {
		sts = evn_req_room(vol, req, vol->nr_targets);
		if (sts != BLK_STS_OK)
			return sts;
		evn_req_map_flush(vol, req);
	} else {
		/* No data: one range per column, as dm-stripe maps them. */
		int (*map)(const struct evn_layout *layout, u64 pos, u64 len,
			   struct evn_layout_piece *pieces,
			   unsigned int max_pieces) =
			opcode == nvme_cmd_dsm || opcode == nvme_cmd_write_zeroes ?
			evn_layout_map_range : evn_layout_map;

		ret = map(&vol->layout, pos, blk_rq_bytes(rq), req->map,
			  EVN_INLINE_PIECES);
		if (ret == -E2BIG) {
			sts = evn_req_room(vol, req, vol->max_pieces);
			if (sts != BLK_STS_OK)
				return sts;
			ret = map(&vol->layout, pos, blk_rq_bytes(rq), req->map,
				  vol->max_pieces);
		}
		if (ret <= 0) {
			pr_err_ratelimited("%s: cannot map request %llu+%u (%d)\n",
					   vol->disk->disk_name, pos,
					   blk_rq_bytes(rq), ret);
			sts = BLK_STS_IOERR;
			goto out_release;
		}
		req->nr_pieces = ret;
	}
	for (i = 0; i < req->nr_pieces; i++) {
		if (!evn_piece_setup(req, i, opcode, control)) {
			sts = BLK_STS_IOERR;
			goto out_release;
		}
	}
	/*
	 * A piece whose controller would give it back for now (reconnecting,
	 * or holding writes after a reset): requeue the request, none of it
	 * sent. BLK_STS_RESOURCE would park it at the head of the hardware
	 * queue and hold back the requests behind it (reads to healthy
	 * targets too), and sending the other pieces would send them again
	 * and again.
	 */
	for (i = 0; i < req->nr_pieces; i++) {
		if (evn_ctrl_would_wait(req->pios[i].target->assoc->ctrl,
					opcode)) {
			evn_req_release(vol, req);
			blk_mq_start_request(rq);
			blk_mq_requeue_request(rq, false);
			blk_mq_delay_kick_requeue_list(rq->q,
						       EVN_REQUEUE_DELAY_MS);
			return BLK_STS_OK;
		}
	}

	blk_mq_start_request(rq);
	if ((opcode == nvme_cmd_read || opcode == nvme_cmd_write) &&
	    blk_rq_nr_phys_segments(rq)) {
		sts = evn_req_map_data(rq, req);
		if (sts != BLK_STS_OK)
			goto out_release;
	}
	atomic_set(&req->status, (__force int)BLK_STS_OK);
	req->requeue = false;
	req->faked = false;
	req->retry = false;
	req->retry_target = NULL;
	atomic_set(&req->pending, req->nr_pieces + 1);
	/* Nothing else in flight, now or lately: the pieces may go at once. */
	send_now = evn_send_now(&eh->alone_streak,
				atomic_inc_return(&eh->inflight) == 1);
	for (i = 0; i < req->nr_pieces; i++) {
		struct evn_piece_io *pio = &req->pios[i];

		pio->io.send_now = send_now;
		sts = evn_ctrl_submit(pio->target->assoc->ctrl,
				      hctx->queue_num, &pio->io);
		if (sts == BLK_STS_OK)
			continue;
		if (i == 0 && sts == BLK_STS_RESOURCE) {
			/* Nothing is in flight: let blk-mq retry it. */
			evn_req_gone(rq);
			goto out_release;
		}
		/* This piece, and the ones not sent, end now. */
		for (; i < req->nr_pieces; i++)
			evn_piece_end(req, sts);
		break;
	}
	evn_req_put(req);
	return BLK_STS_OK;

out_release:
	evn_req_release(vol, req);
	return sts;
}

static enum blk_eh_timer_return evn_timeout(struct request *rq)
{
	struct evn_volume *vol = rq->q->queuedata;
	struct evn_req *req = blk_mq_rq_to_pdu(rq);
	unsigned int i;

	/*
	 * Hold the request while its pieces are looked at: its last piece
	 * must not complete it, and give its pieces back, meanwhile. None
	 * left: it is being completed or requeued.
	 */
	if (!atomic_inc_not_zero(&req->pending)) {
		/* Every piece ended, and the completion was faked: do it now. */
		if (READ_ONCE(req->faked)) {
			blk_mq_complete_request(rq);
			return BLK_EH_DONE;
		}
		return BLK_EH_RESET_TIMER;
	}
	/*
	 * Each timeout resets the association, which gives the pieces back
	 * to be resent; after EVN_MAX_RETRIES resends the request fails.
	 */
	if (req->timeouts < U8_MAX && req->timeouts++ == EVN_MAX_RETRIES)
		WRITE_ONCE(req->expired, true);
	/*
	 * Reset the controllers of the pieces still outstanding: recovery
	 * tears their queues down and gives the pieces back.
	 */
	for (i = 0; i < req->nr_pieces; i++) {
		struct evn_piece_io *pio = &req->pios[i];

		if (!READ_ONCE(pio->io.tr_priv))
			continue;
		dev_warn_ratelimited(disk_to_dev(vol->disk),
				     "request timed out, resetting target %s\n",
				     pio->target->name);
		evn_ctrl_timeout(pio->target->assoc->ctrl);
	}
	/* The pieces all ended meanwhile: the request is done with. */
	if (__evn_req_put(req, false))
		return BLK_EH_DONE;
	return BLK_EH_RESET_TIMER;
}

static const struct blk_mq_ops evn_mq_ops = {
	.queue_rq	= evn_queue_rq,
	.complete	= evn_complete_rq,
	.timeout	= evn_timeout,
	.init_request	= evn_init_request,
	.init_hctx	= evn_init_hctx,
	.exit_hctx	= evn_exit_hctx,
};

static struct evn_volume *evn_volume_find(const char *name)
{
	struct evn_volume *v;

	list_for_each_entry(v, &evn_volumes, list)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

static struct evn_volume *evn_volume_lookup(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct evn_volume *v;

	if (tb[EVN_A_VOLUME_NAME]) {
		v = evn_volume_find(nla_data(tb[EVN_A_VOLUME_NAME]));
		if (!v)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_VOLUME_NAME],
					    "no volume with this name");
	} else if (tb[EVN_A_VOLUME_ID]) {
		u32 id = nla_get_u32(tb[EVN_A_VOLUME_ID]);

		v = NULL;
		list_for_each_entry(v, &evn_volumes, list)
			if (v->id == id)
				break;
		if (list_entry_is_head(v, &evn_volumes, list))
			v = NULL;
		if (!v)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_VOLUME_ID],
					    "no volume with this id");
	} else {
		NL_SET_ERR_MSG(info->extack, "volume name or id missing");
		return ERR_PTR(-EINVAL);
	}
	return v ?: ERR_PTR(-ENOENT);
}

/* FAILED if I/O to any target fails, else WAITING if any is not live. */
static u32 evn_volume_state(struct evn_volume *v)
{
	u32 state = EVN_VOLUME_STATE_LIVE;
	struct evn_ctrl_info ci;
	unsigned int i;

	for (i = 0; i < v->nr_targets; i++) {
		struct evn_target *t = v->targets[i];

		evn_ctrl_get_info(t->assoc->ctrl, &ci);
		if (ci.failing || evn_ctrl_ns_failed(t->assoc->ctrl, t->nsid))
			return EVN_VOLUME_STATE_FAILED;
		if (ci.state != EVN_TARGET_STATE_LIVE)
			state = EVN_VOLUME_STATE_WAITING;
	}
	return state;
}

/*
 * Bytes a volume holds: its requests (as blk_mq_alloc_rqs() sizes them),
 * their tag maps, the pool's reserve and the map. An estimate: the gendisk
 * and request queue are left out.
 */
static u64 evn_volume_memory(const struct evn_volume *v)
{
	const struct blk_mq_tag_set *set = &v->tag_set;
	u64 rq = round_up(sizeof(struct request) + set->cmd_size,
			  cache_line_size()) + 2 * sizeof(struct request *);

	return (u64)set->nr_hw_queues * set->queue_depth * rq +
	       (u64)EVN_POOL_RESERVE * evn_pieces_size(v->max_pieces) +
	       (u64)v->layout.nr_extents * sizeof(struct evn_layout_extent);
}

/* Room for a volume reply: a fixed part and one nest per extent. */
static size_t evn_volume_msg_size(const struct evn_layout *layout)
{
	return NLMSG_GOODSIZE + (size_t)layout->nr_extents *
	       nla_total_size(nla_total_size(EVN_NAME_MAX + 1) +
			      2 * nla_total_size_64bit(sizeof(u64)) +
			      2 * nla_total_size(sizeof(u32)));
}

static int evn_volume_fill(struct sk_buff *skb, struct evn_volume *v,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct evn_layout *l = &v->layout;
	struct nlattr *nest;
	unsigned int c, e;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evn_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, EVN_A_VOLUME_ID, v->id) ||
	    nla_put_string(skb, EVN_A_VOLUME_NAME, v->name) ||
	    nla_put_string(skb, EVN_A_VOLUME_DEVICE, v->disk->disk_name) ||
	    nla_put_u64_64bit(skb, EVN_A_VOLUME_SIZE, v->size,
			      EVN_A_VOLUME_PAD) ||
	    nla_put_u32(skb, EVN_A_VOLUME_STATE, evn_volume_state(v)) ||
	    nla_put_u32(skb, EVN_A_VOLUME_LAYOUT,
			l->type == EVN_LAYOUT_STRIPE ? EVN_VOLUME_LAYOUT_STRIPE :
						       EVN_VOLUME_LAYOUT_CONCAT) ||
	    nla_put_u32(skb, EVN_A_VOLUME_COLUMNS, l->nr_columns) ||
	    nla_put_u8(skb, EVN_A_VOLUME_READ_ONLY, v->read_only) ||
	    nla_put_u64_64bit(skb, EVN_A_VOLUME_MEMORY, evn_volume_memory(v),
			      EVN_A_VOLUME_PAD) ||
	    (l->type == EVN_LAYOUT_STRIPE &&
	     nla_put_u32(skb, EVN_A_VOLUME_CHUNK, l->chunk)))
		goto out_cancel;
	for (c = 0; c < l->nr_columns; c++) {
		const struct evn_layout_column *col = &l->columns[c];

		for (e = 0; e < col->nr_extents; e++) {
			const struct evn_layout_extent *x = &col->extents[e];
			struct evn_target *t = x->target;

			nest = nla_nest_start(skb, EVN_A_VOLUME_EXTENT);
			if (!nest ||
			    nla_put_string(skb, EVN_A_EXTENT_TARGET, t->name) ||
			    nla_put_u64_64bit(skb, EVN_A_EXTENT_TARGET_OFFSET,
					      x->target_offset,
					      EVN_A_EXTENT_PAD) ||
			    nla_put_u64_64bit(skb, EVN_A_EXTENT_LENGTH,
					      x->length, EVN_A_EXTENT_PAD) ||
			    nla_put_u32(skb, EVN_A_EXTENT_COPY, 0) ||
			    nla_put_u32(skb, EVN_A_EXTENT_COLUMN, c))
				goto out_cancel;
			nla_nest_end(skb, nest);
		}
	}
	genlmsg_end(skb, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static const struct nla_policy evn_extent_policy[EVN_A_EXTENT_MAX + 1] = {
	[EVN_A_EXTENT_TARGET]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_EXTENT_TARGET_OFFSET]	= { .type = NLA_U64 },
	[EVN_A_EXTENT_LENGTH]		= { .type = NLA_U64 },
	[EVN_A_EXTENT_COPY]		= { .type = NLA_U32 },
	[EVN_A_EXTENT_COLUMN]		= { .type = NLA_U32 },
};

/**
 * struct evn_map_parse - a volume-new map while it is being checked
 * @desc: the layout description handed to evn_layout_validate()
 * @cols: its columns
 * @exts: every extent, grouped by column in the order given
 * @attrs: the nest attribute of each entry of @exts, for extack
 * @nr: entries in @exts
 */
struct evn_map_parse {
	struct evn_layout_desc desc;
	struct evn_layout_column_desc *cols;
	struct evn_layout_extent_desc *exts;
	struct nlattr **attrs;
	unsigned int nr;
};

static void evn_map_parse_free(struct evn_map_parse *mp)
{
	kvfree(mp->cols);
	kvfree(mp->exts);
	kvfree(mp->attrs);
}

/*
 * Parse the layout and extents of a volume-new or volume-set request into
 * @mp, grouping the extents by column. The layout type and chunk default to
 * those of @cur, the volume's current map, if there is one. Called with
 * evn_lock held (targets are looked up).
 */
static int evn_map_parse(struct genl_info *info, const struct evn_layout *cur,
			 struct evn_map_parse *mp)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct nlattr *etb[EVN_A_EXTENT_MAX + 1];
	unsigned int n = 0, nr_columns = 0, i, c, *count = NULL;
	u32 *column = NULL;
	struct nlattr *attr;
	int rem, ret;
	u32 layout;

	memset(mp, 0, sizeof(*mp));
	layout = cur && cur->type == EVN_LAYOUT_STRIPE ?
		 EVN_VOLUME_LAYOUT_STRIPE : EVN_VOLUME_LAYOUT_CONCAT;
	layout = evn_nla_u32(tb[EVN_A_VOLUME_LAYOUT], layout);
	mp->desc.type = layout == EVN_VOLUME_LAYOUT_STRIPE ? EVN_LAYOUT_STRIPE :
							     EVN_LAYOUT_CONCAT;
	mp->desc.chunk = layout == EVN_VOLUME_LAYOUT_STRIPE && cur ?
			 cur->chunk : 0;
	mp->desc.chunk = evn_nla_u32(tb[EVN_A_VOLUME_CHUNK], mp->desc.chunk);
	if (layout == EVN_VOLUME_LAYOUT_STRIPE && !mp->desc.chunk &&
	    !tb[EVN_A_VOLUME_CHUNK]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_VOLUME_LAYOUT],
				    "a stripe needs a chunk size");
		return -EINVAL;
	}
	if (layout == EVN_VOLUME_LAYOUT_CONCAT && tb[EVN_A_VOLUME_CHUNK]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_VOLUME_CHUNK],
				    "a chunk size is only for stripes");
		return -EINVAL;
	}

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(attr) == EVN_A_VOLUME_EXTENT)
			n++;
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_VOLUME_NAME],
				    "volume has no extent");
		return -EINVAL;
	}
	if (n > EVN_LAYOUT_MAX_EXTENTS) {
		NL_SET_ERR_MSG(extack, "too many extents");
		return -E2BIG;
	}

	mp->exts = kvcalloc(n, sizeof(*mp->exts), GFP_KERNEL);
	mp->attrs = kvcalloc(n, sizeof(*mp->attrs), GFP_KERNEL);
	column = kvcalloc(n, sizeof(*column), GFP_KERNEL);
	if (!mp->exts || !mp->attrs || !column) {
		ret = -ENOMEM;
		goto out_free;
	}

	/* First pass: check each extent, note its column. */
	i = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		struct evn_target *t;

		if (nla_type(attr) != EVN_A_VOLUME_EXTENT)
			continue;
		ret = nla_parse_nested(etb, EVN_A_EXTENT_MAX, attr,
				       evn_extent_policy, extack);
		if (ret)
			goto out_free;
		if (!etb[EVN_A_EXTENT_TARGET] ||
		    !etb[EVN_A_EXTENT_TARGET_OFFSET] ||
		    !etb[EVN_A_EXTENT_LENGTH]) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "extent needs a target, an offset and a length");
			ret = -EINVAL;
			goto out_free;
		}
		if (etb[EVN_A_EXTENT_COPY] &&
		    nla_get_u32(etb[EVN_A_EXTENT_COPY])) {
			NL_SET_ERR_MSG_ATTR(extack, etb[EVN_A_EXTENT_COPY],
					    "mirror copies are not supported yet");
			ret = -EOPNOTSUPP;
			goto out_free;
		}
		column[i] = evn_nla_u32(etb[EVN_A_EXTENT_COLUMN], 0);
		if (column[i] >= n) {
			NL_SET_ERR_MSG_ATTR(extack, etb[EVN_A_EXTENT_COLUMN],
					    "column index larger than the number of extents");
			ret = -EINVAL;
			goto out_free;
		}
		t = evn_target_find(nla_data(etb[EVN_A_EXTENT_TARGET]));
		if (!t) {
			NL_SET_ERR_MSG_ATTR(extack, etb[EVN_A_EXTENT_TARGET],
					    "no target with this name");
			ret = -ENOENT;
			goto out_free;
		}
		if (!t->assoc) {
			NL_SET_ERR_MSG_ATTR(extack, etb[EVN_A_EXTENT_TARGET],
					    "target is still being added");
			ret = -EBUSY;
			goto out_free;
		}
		/* Zero length and alignment, with the precise messages. */
		ret = evn_check_extent(nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]),
				       nla_get_u64(etb[EVN_A_EXTENT_LENGTH]),
				       t->capacity, t->lba_shift, attr, extack);
		if (ret)
			goto out_free;
		if (nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]) < t->meta_size) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "extent lies in the target's metadata area");
			ret = -EINVAL;
			goto out_free;
		}
		mp->exts[i].target = t;
		mp->exts[i].target_offset =
			nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]);
		mp->exts[i].length = nla_get_u64(etb[EVN_A_EXTENT_LENGTH]);
		mp->exts[i].capacity = t->capacity;
		mp->exts[i].lba_shift = t->lba_shift;
		mp->attrs[i] = attr;
		nr_columns = max(nr_columns, column[i] + 1);
		i++;
	}
	mp->nr = n;

	/* Second pass: group by column, keeping the order given. */
	count = kvcalloc(nr_columns + 1, sizeof(*count), GFP_KERNEL);
	mp->cols = kvcalloc(nr_columns, sizeof(*mp->cols), GFP_KERNEL);
	if (!count || !mp->cols) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < n; i++)
		count[column[i] + 1]++;
	for (c = 0; c < nr_columns; c++) {
		mp->cols[c].nr_extents = count[c + 1];
		count[c + 1] += count[c];
	}
	{
		struct evn_layout_extent_desc *exts;
		struct nlattr **attrs;

		exts = kvcalloc(n, sizeof(*exts), GFP_KERNEL);
		attrs = kvcalloc(n, sizeof(*attrs), GFP_KERNEL);
		if (!exts || !attrs) {
			kvfree(exts);
			kvfree(attrs);
			ret = -ENOMEM;
			goto out_free;
		}
		for (i = 0; i < n; i++) {
			unsigned int to = count[column[i]]++;

			exts[to] = mp->exts[i];
			attrs[to] = mp->attrs[i];
		}
		kvfree(mp->exts);
		kvfree(mp->attrs);
		mp->exts = exts;
		mp->attrs = attrs;
	}
	for (c = 0, i = 0; c < nr_columns; c++) {
		mp->cols[c].extents = &mp->exts[i];
		i += mp->cols[c].nr_extents;
	}
	mp->desc.nr_columns = nr_columns;
	mp->desc.columns = mp->cols;
	ret = 0;

out_free:
	kvfree(count);
	kvfree(column);
	if (ret)
		evn_map_parse_free(mp);
	return ret;
}

/* The attribute a layout validation error is about, for extack. */
static const struct nlattr *evn_map_error_attr(struct genl_info *info,
					       struct evn_map_parse *mp,
					       const struct evn_layout_error *le)
{
	if (le->column >= 0 && le->column < (int)mp->desc.nr_columns) {
		const struct evn_layout_column_desc *col = &mp->cols[le->column];
		unsigned int first = col->extents - mp->exts;

		if (le->extent >= 0 && le->extent < (int)col->nr_extents)
			return mp->attrs[first + le->extent];
		if (col->nr_extents)
			return mp->attrs[first];
	}
	if (info->attrs[EVN_A_VOLUME_CHUNK])
		return info->attrs[EVN_A_VOLUME_CHUNK];
	return info->attrs[EVN_A_VOLUME_LAYOUT] ?: info->attrs[EVN_A_VOLUME_NAME];
}

/* Report a layout validation error through extack. */
static void evn_map_error(struct genl_info *info, struct evn_map_parse *mp,
			  const struct evn_layout_error *le)
{
	evn_set_err_attr(info->extack, evn_map_error_attr(info, mp, le),
			 le->msg ?: "invalid volume map");
}

/*
 * Check that no extent of a parsed map shares a byte with another volume
 * than @self (NULL for a new volume). Called with evn_lock held.
 */
static int evn_map_check_others(struct genl_info *info,
				struct evn_map_parse *mp,
				const struct evn_volume *self)
{
	struct evn_volume *other;
	unsigned int i;

	for (i = 0; i < mp->nr; i++) {
		list_for_each_entry(other, &evn_volumes, list) {
			if (other == self ||
			    !evn_layout_overlaps(&other->layout,
						 mp->exts[i].target,
						 mp->exts[i].target_offset,
						 mp->exts[i].length))
				continue;
			NL_SET_ERR_MSG_ATTR(info->extack, mp->attrs[i],
					    "extent overlaps an extent of another volume");
			return -EEXIST;
		}
	}
	return 0;
}

/* The distinct targets of a parsed map, in order of first use. */
static struct evn_target **evn_map_targets(struct evn_map_parse *mp,
					   unsigned int *nr_targets)
{
	struct evn_target **targets;
	unsigned int i, j, n = 0;

	targets = kvcalloc(mp->nr, sizeof(*targets), GFP_KERNEL);
	if (!targets)
		return NULL;
	for (i = 0; i < mp->nr; i++) {
		for (j = 0; j < n; j++)
			if (targets[j] == mp->exts[i].target)
				break;
		if (j == n)
			targets[n++] = mp->exts[i].target;
	}
	*nr_targets = n;
	return targets;
}

/*
 * Check the map of a volume-new request completely, build it into
 * v->layout and collect its distinct targets. Called with evn_lock held.
 */
static int evn_volume_parse_map(struct genl_info *info, struct evn_volume *v)
{
	struct evn_layout_error le = {};
	struct evn_map_parse mp;
	int ret;

	ret = evn_map_parse(info, NULL, &mp);
	if (ret)
		return ret;

	ret = evn_layout_validate(&mp.desc, &le);
	if (ret) {
		evn_map_error(info, &mp, &le);
		goto out_free;
	}
	ret = evn_map_check_others(info, &mp, NULL);
	if (ret)
		goto out_free;

	v->targets = evn_map_targets(&mp, &v->nr_targets);
	if (!v->targets) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = evn_layout_build(&v->layout, &mp.desc);
	if (ret) {
		kvfree(v->targets);
		v->targets = NULL;
		v->nr_targets = 0;
	}

out_free:
	evn_map_parse_free(&mp);
	return ret;
}

/* Limits of the volume's queue: what every one of its targets can do. */
static int evn_volume_limits(struct evn_volume *v, struct evn_limits *l)
{
	unsigned int i, shift = SECTOR_SHIFT;
	bool dsm = true, wz = true;
	u64 discard;

	memset(l, 0, sizeof(*l));
	l->max_hw_sectors = UINT_MAX;
	l->max_segments = USHRT_MAX;
	for (i = 0; i < v->nr_targets; i++) {
		struct evn_target *t = v->targets[i];
		struct evn_ctrl_info ci;
		unsigned int blk_sectors = 1U << (t->lba_shift - SECTOR_SHIFT);

		evn_ctrl_get_info(t->assoc->ctrl, &ci);
		if (evn_ctrl_ns_failed(t->assoc->ctrl, t->nsid))
			return -ENODEV;
		if (ci.state != EVN_TARGET_STATE_LIVE)
			return -ENOTCONN;
		shift = max(shift, t->lba_shift);
		/* Read, Write and Write Zeroes count blocks in 16 bits. */
		l->max_hw_sectors = min3(l->max_hw_sectors, ci.max_hw_sectors,
					 65536U * blk_sectors);
		l->max_segments = min_t(unsigned int, l->max_segments,
					ci.max_segments);
		dsm &= !!(ci.oncs & NVME_CTRL_ONCS_DSM);
		wz &= !!(ci.oncs & NVME_CTRL_ONCS_WRITE_ZEROES);
		l->write_cache |= ci.vwc;
	}
	l->logical_block_size = 1U << shift;
	l->virt_boundary_mask = EVN_CTRL_PAGE_SIZE - 1;
	/*
	 * Discard and write zeroes are mapped per column, cut at extent
	 * boundaries only (evn_layout_map_range()). Write zeroes as large as
	 * a transfer, as nvme does for a controller that reports no WZSL
	 * (evn reads none); a discard range counts blocks in 32 bits: up to
	 * EVN_MAX_DISCARD_BYTES (nvme: no limit without DMRSL, which evn
	 * does not read either), less for maps whose small extents would
	 * cut it into more than EVN_RANGE_MAX_PIECES pieces.
	 */
	if (wz)
		l->max_write_zeroes_sectors = l->max_hw_sectors;
	discard = EVN_MAX_DISCARD_BYTES;
	while (discard > ((u64)l->max_hw_sectors << SECTOR_SHIFT) &&
	       evn_layout_max_range_pieces(&v->layout, discard) >
	       EVN_RANGE_MAX_PIECES)
		discard >>= 1;
	if (dsm)
		l->max_discard_sectors = max_t(u64, discard >> SECTOR_SHIFT,
					       l->max_hw_sectors);
	if (v->layout.type == EVN_LAYOUT_STRIPE) {
		/*
		 * As dm-stripe and md raid0: a chunk is the minimum I/O, a full
		 * stripe the optimal one (mkfs aligns to them; readahead is
		 * twice io_opt).
		 */
		l->chunk_sectors = v->layout.chunk >> SECTOR_SHIFT;
		l->io_min = v->layout.chunk;
		if (v->layout.nr_columns > 1 &&
		    v->layout.chunk <= UINT_MAX / v->layout.nr_columns)
			l->io_opt = v->layout.chunk * v->layout.nr_columns;
	}
	return 0;
}

/*
 * The most pieces a read or write of @layout needs under @lim. The block
 * layer does not let one cross a chunk of a stripe (chunk_sectors): it
 * spans at most two chunks' worth of extent boundaries.
 */
static unsigned int evn_volume_data_pieces(const struct evn_layout *layout,
					   const struct evn_limits *lim)
{
	u64 max = (u64)lim->max_hw_sectors << SECTOR_SHIFT;

	if (lim->chunk_sectors)
		max = min_t(u64, max, (u64)lim->chunk_sectors << SECTOR_SHIFT);
	return evn_layout_max_pieces(layout, max);
}

/* The most pieces a discard or write zeroes of @layout needs under @lim. */
static unsigned int evn_volume_range_pieces(const struct evn_layout *layout,
					    const struct evn_limits *lim)
{
	u64 max = max(lim->max_discard_sectors, lim->max_write_zeroes_sectors);

	return max ? evn_layout_max_range_pieces(layout, max << SECTOR_SHIFT) :
		     0;
}

static int evn_volume_create_disk(struct evn_volume *v)
{
	unsigned int i, hw_queues = 1;
	struct evn_limits lim;
	struct gendisk *disk;
	u32 depth = U32_MAX;
	int ret;

	/* A PDU the size of nvme-rdma's, whatever the layout (H1). */
	BUILD_BUG_ON(sizeof(struct evn_req) > 1024);

	ret = evn_volume_limits(v, &lim);
	if (ret)
		return ret;
	for (i = 0; i < v->nr_targets; i++) {
		struct evn_ctrl_info ci;

		evn_ctrl_get_info(v->targets[i]->assoc->ctrl, &ci);
		depth = min(depth, ci.queue_size);
		hw_queues = max(hw_queues, ci.nr_io_queues);
	}
	v->lim = lim;
	for (i = 0; i < v->nr_targets; i++)
		evn_ctrl_promise_limits(v->targets[i]->assoc->ctrl,
					lim.max_hw_sectors, lim.max_segments);
	/*
	 * Room for growing: one more extent boundary per column for data
	 * (growing with extents at least as large as a request never needs
	 * more); for discards, whose extent boundaries add up, at least
	 * EVN_RANGE_MAX_PIECES more than the columns, which is also room for
	 * a flush to that many targets.
	 */
	v->max_pieces = max3(evn_volume_data_pieces(&v->layout, &lim) +
			     v->layout.nr_columns, v->nr_targets,
			     max(evn_volume_range_pieces(&v->layout, &lim),
				 EVN_RANGE_MAX_PIECES) + v->layout.nr_columns);
	/*
	 * kmalloc'ed: a piece's discard range in it is sent by DMA, and an
	 * element may be freed in atomic context.
	 */
	v->pieces_pool = mempool_create_kmalloc_pool(EVN_POOL_RESERVE,
						     evn_pieces_size(v->max_pieces));
	if (!v->pieces_pool)
		return -ENOMEM;

	/*
	 * No more hardware queues than the most I/O queues a target has, nor
	 * than CPUs are online (nvme's rule): blk-mq maps every possible CPU
	 * onto them, and a target with fewer serves them modulo its count.
	 */
	v->tag_set.ops = &evn_mq_ops;
	v->tag_set.nr_hw_queues = min(hw_queues, num_online_cpus());
	v->tag_set.queue_depth = depth;
	v->tag_set.numa_node = NUMA_NO_NODE;
	v->tag_set.cmd_size = sizeof(struct evn_req);
	v->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	v->tag_set.timeout = io_timeout * HZ;
	v->tag_set.driver_data = v;
	ret = blk_mq_alloc_tag_set(&v->tag_set);
	if (ret)
		goto out_free_pool;

	disk = evn_alloc_disk(&v->tag_set, &lim, v);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_free_tag_set;
	}
	disk->major = evn_major;
	disk->first_minor = v->id * EVN_MINORS;
	disk->minors = EVN_MINORS;
	disk->fops = &evn_bdev_ops;
	disk->private_data = v;
	snprintf(disk->disk_name, DISK_NAME_LEN, "evn%u", v->id);
	set_capacity(disk, v->size >> SECTOR_SHIFT);
	set_disk_ro(disk, v->read_only);

	/* Requests of the partition scan find the disk through v->disk. */
	v->disk = disk;
	ret = add_disk(disk);
	if (ret)
		goto out_put_disk;
	return 0;

out_put_disk:
	put_disk(disk);
	v->disk = NULL;
out_free_tag_set:
	blk_mq_free_tag_set(&v->tag_set);
out_free_pool:
	mempool_destroy(v->pieces_pool);
	v->pieces_pool = NULL;
	return ret;
}

static void evn_volume_destroy_disk(struct evn_volume *v)
{
	del_gendisk(v->disk);
	put_disk(v->disk);
	blk_mq_free_tag_set(&v->tag_set);
	mempool_destroy(v->pieces_pool);
}

/*
 * Insert @v keeping evn_volumes ordered by id: dumps resume from the id
 * after the last one sent, and ids are reused lowest first.
 */
static void evn_volume_list_add(struct evn_volume *v)
{
	struct evn_volume *pos;

	list_for_each_entry(pos, &evn_volumes, list)
		if (pos->id > v->id)
			break;
	list_add_tail(&v->list, &pos->list);
}

/**
 * evn_volume_new() - volume-new: create a volume and its block device
 * @info: the request
 *
 * The map is checked completely before anything changes.
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_volume_new(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct evn_volume *v;
	struct sk_buff *msg;
	unsigned int i;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, EVN_A_VOLUME_NAME)) {
		NL_SET_ERR_MSG(info->extack, "volume needs a name");
		return -EINVAL;
	}
	ret = evn_check_name(tb[EVN_A_VOLUME_NAME], info->extack);
	if (ret)
		return ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	nla_strscpy(v->name, tb[EVN_A_VOLUME_NAME], sizeof(v->name));
	v->read_only = tb[EVN_A_VOLUME_READ_ONLY] &&
		       nla_get_u8(tb[EVN_A_VOLUME_READ_ONLY]);

	/*
	 * The volume is listed (without a disk) once checked, so its name and
	 * extent stay taken while the disk is made without evn_lock: the
	 * partition scan of add_disk() does I/O, which may wait for a target.
	 */
	mutex_lock(&evn_lock);
	if (evn_volume_find(v->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_VOLUME_NAME],
				    "a volume with this name exists");
		ret = -EEXIST;
		goto out_unlock;
	}
	ret = evn_volume_parse_map(info, v);
	if (ret)
		goto out_unlock;
	v->size = v->layout.size;

	/* Allocated now: once the volume exists, replying must not fail. */
	msg = nlmsg_new(evn_volume_msg_size(&v->layout), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_unlock_free_map;
	}
	ret = ida_alloc_max(&evn_volume_ida, (MINORMASK + 1) / EVN_MINORS - 1,
			    GFP_KERNEL);
	if (ret < 0) {
		NL_SET_ERR_MSG(info->extack, "too many volumes");
		goto out_unlock_free_map;
	}
	v->id = ret;
	for (i = 0; i < v->nr_targets; i++)
		v->targets[i]->users++;
	evn_volume_list_add(v);
	mutex_unlock(&evn_lock);

	ret = evn_volume_create_disk(v);
	if (ret) {
		if (ret == -ENOTCONN)
			NL_SET_ERR_MSG(info->extack,
				       "target is not connected; retry when it is live");
		else if (ret == -ENODEV)
			NL_SET_ERR_MSG(info->extack,
				       "target failed (see target show); delete it and add it again");
		else
			NL_SET_ERR_MSG(info->extack,
				       "cannot create the block device");
		goto out_unlist;
	}

	/* Publish the volume and describe it in one critical section. */
	mutex_lock(&evn_lock);
	v->ready = true;
	pr_info("volume %s: /dev/%s, %llu bytes, %s of %u extents on %u targets%s\n",
		v->name, v->disk->disk_name, v->size,
		v->layout.type == EVN_LAYOUT_STRIPE ? "stripe" : "concat",
		v->layout.nr_extents, v->nr_targets,
		v->read_only ? ", read-only" : "");
	ret = evn_volume_fill(msg, v, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_VOLUME_NEW);
	mutex_unlock(&evn_lock);
	if (ret) {
		/* The volume exists; only the reply is lost. */
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_unlist:
	mutex_lock(&evn_lock);
	list_del(&v->list);
	for (i = 0; i < v->nr_targets; i++)
		v->targets[i]->users--;
	mutex_unlock(&evn_lock);
	ida_free(&evn_volume_ida, v->id);
	goto out_free_map;

out_unlock_free_map:
	mutex_unlock(&evn_lock);
out_free_map:
	evn_layout_free(&v->layout);
	kvfree(v->targets);
	kfree(v);
	nlmsg_free(msg);
	return ret;

out_unlock:
	mutex_unlock(&evn_lock);
	kfree(v);
	return ret;
}

/*
 * Can a target a grown map adds serve the volume's queue as it is? The
 * queue's limits, depth and per-request room were set when the disk was
 * made. Called with evn_lock held.
 */
static int evn_volume_check_new_target(struct evn_volume *v,
				       struct evn_target *t,
				       const struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	const struct evn_limits *l = &v->lim;
	struct evn_ctrl_info ci;
	const char *why = NULL;

	evn_ctrl_get_info(t->assoc->ctrl, &ci);
	if (evn_ctrl_ns_failed(t->assoc->ctrl, t->nsid))
		why = "target failed (see target show); delete it and add it again";
	else if (ci.state != EVN_TARGET_STATE_LIVE)
		why = "target is not connected; retry when it is live";
	else if ((1U << t->lba_shift) > l->logical_block_size)
		why = "target's logical block size is larger than the volume's";
	else if (min(ci.max_hw_sectors,
		     65536U << (t->lba_shift - SECTOR_SHIFT)) < l->max_hw_sectors)
		why = "target's largest transfer is smaller than the volume's";
	else if (ci.max_segments < l->max_segments)
		why = "target takes fewer data segments than the volume's targets";
	else if (ci.queue_size < v->tag_set.queue_depth)
		why = "target's queues are shorter than the volume's queue depth";
	else if (l->max_discard_sectors && !(ci.oncs & NVME_CTRL_ONCS_DSM))
		why = "target cannot discard and the volume's targets can";
	else if (l->max_write_zeroes_sectors &&
		 !(ci.oncs & NVME_CTRL_ONCS_WRITE_ZEROES))
		why = "target cannot write zeroes and the volume's targets can";
	else if (ci.vwc && !l->write_cache)
		why = "target has a volatile write cache and the volume's targets have none";
	if (!why)
		return 0;
	evn_set_err_attr(extack, attr, why);
	return ci.state != EVN_TARGET_STATE_LIVE ? -ENOTCONN : -EINVAL;
}

/* Whether @t is one of the volume's targets. */
static bool evn_volume_has_target(struct evn_volume *v, struct evn_target *t)
{
	unsigned int i;

	for (i = 0; i < v->nr_targets; i++)
		if (v->targets[i] == t)
			return true;
	return false;
}

/*
 * Put a grown map in place: dispatch is quiesced while the map and the
 * target list change, and requests already mapped keep their pieces, whose
 * bytes are where they were. Called with evn_lock held.
 */
static void evn_volume_swap_map(struct evn_volume *v,
				struct evn_layout *layout,
				struct evn_target ***targets,
				unsigned int *nr_targets)
{
	struct evn_layout old_layout = v->layout;
	struct evn_target **old_targets = v->targets;
	unsigned int old_nr = v->nr_targets, i;

	for (i = 0; i < *nr_targets; i++) {
		(*targets)[i]->users++;
		evn_ctrl_promise_limits((*targets)[i]->assoc->ctrl,
					v->lim.max_hw_sectors,
					v->lim.max_segments);
	}
	blk_mq_quiesce_queue(v->disk->queue);
	v->layout = *layout;
	v->targets = *targets;
	v->nr_targets = *nr_targets;
	v->size = layout->size;
	blk_mq_unquiesce_queue(v->disk->queue);
	for (i = 0; i < old_nr; i++)
		old_targets[i]->users--;

	/* Hand the old map back to the caller, to free. */
	*layout = old_layout;
	*targets = old_targets;
	*nr_targets = old_nr;
}

/**
 * evn_volume_set() - volume-set: grow a volume online with a longer map
 * @info: the request: the volume (name or id) and its whole new map
 *
 * The new map must keep the volume's map as its prefix (see
 * evn_layout_check_grow()): the device grows at its end while it may be
 * mounted and in use, and a filesystem on it can then grow. A shrink, a
 * changed extent, layout, chunk or column count is refused, as is a new
 * target whose limits are below those the volume's queue was made with, or
 * a map needing more pieces per request than the volume has room for. The
 * map is checked completely before anything changes.
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_volume_set(struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct evn_layout_error le = {};
	struct evn_layout layout = {};
	struct evn_target **targets = NULL;
	unsigned int nr_targets = 0, i;
	struct evn_map_parse mp;
	struct evn_volume *v;
	struct sk_buff *msg;
	u64 old_size;
	int ret;

	mutex_lock(&evn_lock);
	v = evn_volume_lookup(info);
	if (IS_ERR(v)) {
		ret = PTR_ERR(v);
		goto out_unlock;
	}
	if (!v->ready) {
		NL_SET_ERR_MSG(extack, "volume is still being created");
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = evn_map_parse(info, &v->layout, &mp);
	if (ret)
		goto out_unlock;
	ret = evn_layout_validate(&mp.desc, &le);
	if (!ret)
		ret = evn_layout_check_grow(&v->layout, &mp.desc, &le);
	if (ret) {
		evn_map_error(info, &mp, &le);
		goto out_free_parse;
	}
	ret = evn_map_check_others(info, &mp, v);
	if (ret)
		goto out_free_parse;
	for (i = 0; i < mp.nr; i++) {
		struct evn_target *t = mp.exts[i].target;

		if (evn_volume_has_target(v, t))
			continue;
		ret = evn_volume_check_new_target(v, t, mp.attrs[i], extack);
		if (ret)
			goto out_free_parse;
	}

	ret = -ENOMEM;
	targets = evn_map_targets(&mp, &nr_targets);
	if (!targets)
		goto out_free_parse;
	ret = evn_layout_build(&layout, &mp.desc);
	if (ret)
		goto out_free_parse;
	/* A flush has a piece per target. */
	if (nr_targets > v->max_pieces) {
		NL_SET_ERR_MSG_ATTR(extack, mp.attrs[mp.nr - 1],
				    "volume cannot spread over that many targets; it was made for fewer");
		ret = -E2BIG;
		goto out_free_parse;
	}
	if (evn_volume_data_pieces(&layout, &v->lim) > v->max_pieces) {
		NL_SET_ERR_MSG_ATTR(extack, mp.attrs[mp.nr - 1],
				    "new extents are too small: requests would be split into more pieces than the volume has room for");
		ret = -E2BIG;
		goto out_free_parse;
	}
	if (evn_volume_range_pieces(&layout, &v->lim) > v->max_pieces) {
		NL_SET_ERR_MSG_ATTR(extack, mp.attrs[mp.nr - 1],
				    "new extents are too small: a discard would be split into more pieces than the volume has room for");
		ret = -E2BIG;
		goto out_free_parse;
	}
	/* Allocated now: once the map changed, replying must not fail. */
	msg = nlmsg_new(evn_volume_msg_size(&layout), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_free_parse;
	}

	old_size = v->size;
	if (layout.size != old_size) {
		evn_volume_swap_map(v, &layout, &targets, &nr_targets);
		set_capacity_and_notify(v->disk, v->size >> SECTOR_SHIFT);
		pr_info("volume %s: /dev/%s grown from %llu to %llu bytes, %u extents on %u targets\n",
			v->name, v->disk->disk_name, old_size, v->size,
			v->layout.nr_extents, v->nr_targets);
	}
	ret = evn_volume_fill(msg, v, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_VOLUME_SET);
	mutex_unlock(&evn_lock);
	evn_layout_free(&layout);
	kvfree(targets);
	evn_map_parse_free(&mp);
	if (ret) {
		/* The volume has grown; only the reply is lost. */
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_free_parse:
	evn_layout_free(&layout);
	kvfree(targets);
	evn_map_parse_free(&mp);
out_unlock:
	mutex_unlock(&evn_lock);
	return ret;
}

static void evn_volume_free(struct evn_volume *v)
{
	unsigned int i;

	evn_volume_destroy_disk(v);
	mutex_lock(&evn_lock);
	for (i = 0; i < v->nr_targets; i++)
		v->targets[i]->users--;
	mutex_unlock(&evn_lock);
	ida_free(&evn_volume_ida, v->id);
	evn_layout_free(&v->layout);
	kvfree(v->targets);
	kfree(v);
}

/**
 * evn_volume_del() - volume-del: remove a volume whose device is not open
 * @info: the request
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_volume_del(struct genl_info *info)
{
	struct evn_volume *v;

	mutex_lock(&evn_lock);
	v = evn_volume_lookup(info);
	if (IS_ERR(v)) {
		mutex_unlock(&evn_lock);
		return PTR_ERR(v);
	}
	if (!v->ready) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack, "volume is still being created");
		return -EBUSY;
	}
	/*
	 * An open either finished before this (EBUSY) or fails (ENXIO). Only
	 * tried: the block layer holds open_mutex across I/O (a partition
	 * rescan, the last close's sync), which may wait for a lost target,
	 * and evn_lock must not wait with it. Busy is busy.
	 */
	if (!mutex_trylock(&v->disk->open_mutex)) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack,
			       "volume device is open (mounted or in use)");
		return -EBUSY;
	}
	if (disk_openers(v->disk)) {
		mutex_unlock(&v->disk->open_mutex);
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack,
			       "volume device is open (mounted or in use)");
		return -EBUSY;
	}
	v->deleting = true;
	mutex_unlock(&v->disk->open_mutex);
	list_del(&v->list);
	mutex_unlock(&evn_lock);

	pr_info("volume %s: deleted /dev/%s\n", v->name, v->disk->disk_name);
	evn_volume_free(v);
	return 0;
}

/**
 * evn_volume_get_doit() - volume-get for one volume
 * @skb: the request
 * @info: its attributes
 *
 * Context: process context.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_volume_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct evn_volume *v;
	struct sk_buff *msg;
	int ret;

	mutex_lock(&evn_lock);
	v = evn_volume_lookup(info);
	if (IS_ERR(v)) {
		mutex_unlock(&evn_lock);
		return PTR_ERR(v);
	}
	msg = nlmsg_new(evn_volume_msg_size(&v->layout), GFP_KERNEL);
	if (!msg) {
		mutex_unlock(&evn_lock);
		return -ENOMEM;
	}
	if (!v->ready) {
		NL_SET_ERR_MSG(info->extack, "volume is still being created");
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = evn_volume_fill(msg, v, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_VOLUME_GET);
	if (ret)
		goto out_unlock;
	mutex_unlock(&evn_lock);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&evn_lock);
	nlmsg_free(msg);
	return ret;
}

/**
 * evn_volume_get_dumpit() - volume-get for every volume
 * @skb: the reply being filled
 * @cb: dump state; cb->args[0] is the id of the next volume to send
 *
 * Context: process context.
 * Return: skb->len, 0 when done, or a negative errno.
 */
int evn_volume_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct evn_volume *v;
	int ret = 0;

	mutex_lock(&evn_lock);
	list_for_each_entry(v, &evn_volumes, list) {
		if (v->id < cb->args[0] || !v->ready)
			continue;
		ret = evn_volume_fill(skb, v, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      EVN_CMD_VOLUME_GET);
		if (ret)
			break;
		cb->args[0] = v->id + 1;
	}
	mutex_unlock(&evn_lock);
	return ret == -EMSGSIZE && skb->len ? skb->len : ret ?: skb->len;
}

/**
 * evn_volumes_kick() - run the queues of volumes on an association
 * @assoc: the association whose controller changed state
 *
 * Requests that waited for the controller are dispatched again: they go out
 * when it is live, or fail once its loss timeout has passed.
 *
 * Context: process context.
 */
void evn_volumes_kick(struct evn_assoc *assoc)
{
	struct evn_volume *v;
	unsigned int i;

	mutex_lock(&evn_lock);
	list_for_each_entry(v, &evn_volumes, list) {
		if (!v->ready)
			continue;
		for (i = 0; i < v->nr_targets; i++) {
			if (v->targets[i]->assoc == assoc) {
				blk_mq_kick_requeue_list(v->disk->queue);
				blk_mq_run_hw_queues(v->disk->queue, true);
				break;
			}
		}
	}
	mutex_unlock(&evn_lock);
}

/**
 * evn_volumes_use() - whether a volume extent shares a byte with a range
 * @t: the target
 * @offset: byte offset on @t
 * @length: bytes; an empty range overlaps nothing
 *
 * Context: process context, evn_lock held.
 * Return: true if any volume's map uses a byte of the range.
 */
bool evn_volumes_use(const struct evn_target *t, u64 offset, u64 length)
{
	struct evn_volume *v;

	lockdep_assert_held(&evn_lock);
	list_for_each_entry(v, &evn_volumes, list)
		if (evn_layout_overlaps(&v->layout, t, offset, length))
			return true;
	return false;
}

/**
 * evn_volumes_delete_all() - delete every volume, at module unload
 *
 * No volume device can be open: an open device holds a module reference.
 *
 * Context: process context.
 */
void evn_volumes_delete_all(void)
{
	struct evn_volume *v;

	for (;;) {
		mutex_lock(&evn_lock);
		v = list_first_entry_or_null(&evn_volumes, struct evn_volume,
					     list);
		if (v)
			list_del(&v->list);
		mutex_unlock(&evn_lock);
		if (!v)
			break;
		evn_volume_free(v);
	}
}

/**
 * evn_volume_init() - register the evn block major
 *
 * Context: process context, module init.
 * Return: 0 or a negative errno.
 */
int evn_volume_init(void)
{
	evn_major = register_blkdev(0, "evn");
	return evn_major < 0 ? evn_major : 0;
}

/**
 * evn_volume_exit() - unregister the evn block major
 *
 * Context: process context, module exit, after evn_volumes_delete_all().
 */
void evn_volume_exit(void)
{
	unregister_blkdev(evn_major, "evn");
}
