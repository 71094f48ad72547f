// SPDX-License-Identifier: GPL-2.0
/*
 * meta.c - reading and writing the metadata areas of targets
 *
 * A pool keeps its table in a metadata area at the start of every target
 * namespace (DESIGN.md section 5). The kernel only moves bytes: meta-read
 * and meta-write reach the area a target has (EVN_A_TARGET_META_SIZE) and
 * nothing else, and a write is refused while a volume extent overlaps it.
 * The format of the area is evnadm's business (Documentation/metadata.rst).
 *
 * The I/O goes through the target's controller like a volume's, one NVMe
 * command at a time on a kmalloc()ed bounce buffer, writes with FUA. A
 * target that is not live fails the request at once rather than making it
 * wait for the loss timeout, since every evn command waits behind it.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "evn.h"

/* Seconds before a metadata command is considered lost. */
#define EVN_META_TIMEOUT	30

/* Retries of a command the controller gave back, and the wait between. */
#define EVN_META_RETRIES	100
#define EVN_META_RETRY_MS	10

/**
 * struct evn_meta_io - one metadata command and its completion
 * @io: the command
 * @done: completed by evn_meta_io_done()
 * @status: how it ended
 */
struct evn_meta_io {
	struct evn_io io;
	struct completion done;
	blk_status_t status;
};

static void evn_meta_io_done(struct evn_io *io, blk_status_t status)
{
	struct evn_meta_io *mio = container_of(io, struct evn_meta_io, io);

	mio->status = status;
	complete(&mio->done);
}

/*
 * Read or write @len bytes at byte @offset of @t, synchronously. @buf is
 * kmalloc()ed. A command the controller gives back (queue full, or torn
 * down under it) is sent again a bounded number of times while the
 * controller stays live.
 */
static int evn_meta_rw(struct evn_target *t, bool write, u64 offset,
		       void *buf, u32 len, struct netlink_ext_ack *extack)
{
	struct evn_ctrl *ctrl = t->assoc->ctrl;
	struct evn_meta_io mio;
	struct evn_ctrl_info ci;
	struct scatterlist sg;
	blk_status_t sts = BLK_STS_RESOURCE;
	unsigned int tries;
	bool again = false;

	for (tries = 0; tries < EVN_META_RETRIES; tries++, again = true) {
		evn_ctrl_get_info(ctrl, &ci);
		if (ci.state != EVN_TARGET_STATE_LIVE) {
			NL_SET_ERR_MSG(extack,
				       "target is not connected; retry when it is live");
			return -ENOTCONN;
		}
		if (again)
			msleep(EVN_META_RETRY_MS);
		if (fatal_signal_pending(current))
			return -EINTR;

		sg_init_one(&sg, buf, len);
		memset(&mio, 0, sizeof(mio));
		init_completion(&mio.done);
		mio.io.opcode = write ? nvme_cmd_write : nvme_cmd_read;
		mio.io.nsid = t->nsid;
		mio.io.slba = offset >> t->lba_shift;
		mio.io.nlb = len >> t->lba_shift;
		mio.io.control = write ? NVME_RW_FUA : 0;
		mio.io.sgl = &sg;
		mio.io.sg_nents = 1;
		mio.io.done = evn_meta_io_done;

		sts = evn_ctrl_submit(ctrl, raw_smp_processor_id(), &mio.io);
		if (sts == BLK_STS_RESOURCE) {
			/*
			 * Writes held after a reset: wait, without counting
			 * (the hold is bounded; a fatal signal ends it).
			 */
			if (evn_ctrl_would_wait(ctrl, mio.io.opcode))
				tries--;
			continue;
		}
		if (sts != BLK_STS_OK)
			break;
		/*
		 * A lost command: reset the association, whose recovery
		 * gives every outstanding command back.
		 */
		while (!wait_for_completion_timeout(&mio.done,
						    EVN_META_TIMEOUT * HZ))
			evn_ctrl_timeout(ctrl);
		sts = mio.status;
		if (sts != EVN_IO_REQUEUE)
			break;
	}
	if (sts == BLK_STS_OK)
		return 0;
	if (sts == BLK_STS_RESOURCE || sts == EVN_IO_REQUEUE) {
		NL_SET_ERR_MSG(extack, "target kept giving the command back");
		return -EAGAIN;
	}
	evn_set_err_attr(extack, NULL, write ?
			 "target failed the metadata write" :
			 "target failed the metadata read");
	return blk_status_to_errno(sts);
}

/*
 * The target of a meta-read or meta-write of @length bytes, once its range
 * is checked, marked busy until evn_meta_put(); sets @offset from the
 * request. Called with evn_lock held.
 */
static struct evn_target *evn_meta_target(struct genl_info *info, u64 length,
					  const struct nlattr *range_attr,
					  u64 *offset)
{
	struct nlattr **tb = info->attrs;
	struct evn_target *t;
	int ret;

	if (!tb[EVN_A_META_TARGET] || !tb[EVN_A_META_OFFSET]) {
		NL_SET_ERR_MSG(info->extack,
			       "metadata request needs a target and an offset");
		return ERR_PTR(-EINVAL);
	}
	*offset = nla_get_u64(tb[EVN_A_META_OFFSET]);
	t = evn_target_find(nla_data(tb[EVN_A_META_TARGET]));
	if (!t) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_META_TARGET],
				    "no target with this name");
		return ERR_PTR(-ENOENT);
	}
	if (!t->assoc) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_META_TARGET],
				    "target is still being added");
		return ERR_PTR(-EBUSY);
	}
	ret = evn_check_meta_range(*offset, length, t->meta_size, t->lba_shift,
				   range_attr, info->extack);
	if (ret)
		return ERR_PTR(ret);
	t->meta_busy++;
	return t;
}

/* The metadata command is done with @t (evn_meta_target()). */
static void evn_meta_put(struct evn_target *t)
{
	mutex_lock(&evn_lock);
	t->meta_busy--;
	mutex_unlock(&evn_lock);
}

/**
 * evn_meta_read() - meta-read: read bytes of a target's metadata area
 * @info: the request: target, offset, length
 *
 * The target is marked busy (meta_busy) for the I/O, so it cannot be
 * deleted, nor its area changed, while its bytes are read without evn_lock.
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_meta_read(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct evn_target *t;
	struct sk_buff *msg;
	void *buf, *hdr;
	u64 offset;
	u32 len;
	int ret;

	if (!tb[EVN_A_META_LENGTH]) {
		NL_SET_ERR_MSG(info->extack, "meta-read needs a length");
		return -EINVAL;
	}
	len = nla_get_u32(tb[EVN_A_META_LENGTH]);
	mutex_lock(&evn_lock);
	t = evn_meta_target(info, len, tb[EVN_A_META_LENGTH], &offset);
	mutex_unlock(&evn_lock);
	if (IS_ERR(t))
		return PTR_ERR(t);

	buf = kmalloc(len, GFP_KERNEL);
	msg = genlmsg_new(nla_total_size(len), GFP_KERNEL);
	if (!buf || !msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = evn_meta_rw(t, false, offset, buf, len, info->extack);
	evn_meta_put(t);
	if (ret)
		goto out_free;
	hdr = genlmsg_put_reply(msg, info, &evn_nl_family, 0,
				EVN_CMD_META_READ);
	if (!hdr || nla_put(msg, EVN_A_META_DATA, len, buf)) {
		ret = -EMSGSIZE;
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	kfree(buf);
	return genlmsg_reply(msg, info);

out_put:
	evn_meta_put(t);
out_free:
	nlmsg_free(msg);
	kfree(buf);
	return ret;
}

/**
 * evn_meta_write() - meta-write: write bytes of a target's metadata area
 * @info: the request: target, offset, data
 *
 * Refused while a volume extent overlaps the range (none can, as volume
 * maps stay out of the area, but the bytes must never reach a volume).
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_meta_write(struct genl_info *info)
{
	struct nlattr *data = info->attrs[EVN_A_META_DATA];
	struct evn_target *t;
	u64 offset;
	void *buf;
	int ret;

	if (!data) {
		NL_SET_ERR_MSG(info->extack, "meta-write needs the data");
		return -EINVAL;
	}
	mutex_lock(&evn_lock);
	t = evn_meta_target(info, nla_len(data), data, &offset);
	if (!IS_ERR(t) && evn_volumes_use(t, offset, nla_len(data))) {
		NL_SET_ERR_MSG_ATTR(info->extack, data,
				    "a volume extent overlaps this range");
		t->meta_busy--;
		t = ERR_PTR(-EBUSY);
	}
	mutex_unlock(&evn_lock);
	if (IS_ERR(t))
		return PTR_ERR(t);

	buf = kmemdup(nla_data(data), nla_len(data), GFP_KERNEL);
	if (buf)
		ret = evn_meta_rw(t, true, offset, buf, nla_len(data),
				  info->extack);
	else
		ret = -ENOMEM;
	kfree(buf);
	evn_meta_put(t);
	return ret;
}
