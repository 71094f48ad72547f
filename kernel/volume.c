// SPDX-License-Identifier: GPL-2.0
/*
 * volume.c - evn volumes: a blk-mq block device per volume, whose blocks
 * live on extents of targets
 *
 * Each volume has its own tag set with one hardware queue per CPU; a
 * request goes to the I/O queue of its target's controller that serves the
 * same CPU. Requests the transport gives back (EVN_IO_REQUEUE, after it tore
 * a queue down) are requeued; while a controller reconnects, the transport
 * refuses new commands with BLK_STS_RESOURCE until the loss timeout, then
 * fails them with BLK_STS_IOERR.
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

static int evn_major;
static LIST_HEAD(evn_volumes);		/* under evn_lock */
static DEFINE_IDA(evn_volume_ida);

static const struct block_device_operations evn_bdev_ops = {
	.owner		= THIS_MODULE,
};

static void evn_io_done(struct evn_io *io, blk_status_t status)
{
	struct evn_req *req = container_of(io, struct evn_req, io);
	struct request *rq = blk_mq_rq_from_pdu(req);

	if (status == EVN_IO_REQUEUE) {
		/* The old queue is gone: the request can be sent again. */
		blk_mq_requeue_request(rq, true);
		return;
	}
	req->status = status;
	if (!blk_should_fake_timeout(rq->q))
		blk_mq_complete_request(rq);
}

static void evn_complete_rq(struct request *rq)
{
	struct evn_req *req = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, req->status);
}

static blk_status_t evn_queue_rq(struct blk_mq_hw_ctx *hctx,
				 const struct blk_mq_queue_data *bd)
{
	struct evn_volume *vol = hctx->queue->queuedata;
	struct evn_extent *ext = &vol->extent;
	struct evn_target *t = ext->target;
	struct request *rq = bd->rq;
	struct evn_req *req = blk_mq_rq_to_pdu(rq);
	struct evn_io *io = &req->io;
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;

	io->nsid = t->nsid;
	io->control = 0;
	io->slba = 0;
	io->nlb = 0;
	io->sgl = NULL;
	io->sg_nents = 0;
	io->dsm = NULL;
	io->done = evn_io_done;

	switch (req_op(rq)) {
	case REQ_OP_READ:
		io->opcode = nvme_cmd_read;
		break;
	case REQ_OP_WRITE:
		io->opcode = nvme_cmd_write;
		if (rq->cmd_flags & REQ_FUA)
			io->control |= NVME_RW_FUA;
		break;
	case REQ_OP_FLUSH:
		io->opcode = nvme_cmd_flush;
		break;
	case REQ_OP_DISCARD:
		io->opcode = nvme_cmd_dsm;
		break;
	case REQ_OP_WRITE_ZEROES:
		io->opcode = nvme_cmd_write_zeroes;
		if (!(rq->cmd_flags & REQ_NOUNMAP))
			io->control |= EVN_NVME_WZ_DEAC;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}

	if (req_op(rq) != REQ_OP_FLUSH &&
	    evn_map_lba(ext->target_offset, ext->length, pos, blk_rq_bytes(rq),
			t->lba_shift, &io->slba, &io->nlb)) {
		pr_err_ratelimited("%s: request %llu+%u outside the volume map\n",
				   vol->disk->disk_name, pos, blk_rq_bytes(rq));
		return BLK_STS_IOERR;
	}
	if (req_op(rq) == REQ_OP_DISCARD) {
		req->dsm.cattr = 0;
		req->dsm.nlb = cpu_to_le32(io->nlb);
		req->dsm.slba = cpu_to_le64(io->slba);
		io->dsm = &req->dsm;
	}

	blk_mq_start_request(rq);
	if ((req_op(rq) == REQ_OP_READ || req_op(rq) == REQ_OP_WRITE) &&
	    blk_rq_nr_phys_segments(rq)) {
		sg_init_table(req->sgl, queue_max_segments(rq->q));
		io->sg_nents = blk_rq_map_sg(rq->q, rq, req->sgl);
		io->sgl = req->sgl;
	}
	return evn_ctrl_submit(t->assoc->ctrl, hctx->queue_num, io);
}

static enum blk_eh_timer_return evn_timeout(struct request *rq)
{
	struct evn_volume *vol = rq->q->queuedata;

	/* Recovery tears the queue down and gives the request back. */
	dev_warn_ratelimited(disk_to_dev(vol->disk),
			     "request timed out, resetting target %s\n",
			     vol->extent.target->name);
	evn_ctrl_timeout(vol->extent.target->assoc->ctrl);
	return BLK_EH_RESET_TIMER;
}

static const struct blk_mq_ops evn_mq_ops = {
	.queue_rq	= evn_queue_rq,
	.complete	= evn_complete_rq,
	.timeout	= evn_timeout,
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

static u32 evn_volume_state(struct evn_volume *v)
{
	struct evn_ctrl_info ci;

	evn_ctrl_get_info(v->extent.target->assoc->ctrl, &ci);
	return ci.state == EVN_TARGET_STATE_LIVE ? EVN_VOLUME_STATE_LIVE :
						    EVN_VOLUME_STATE_WAITING;
}

static int evn_volume_fill(struct sk_buff *skb, struct evn_volume *v,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evn_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, EVN_A_VOLUME_ID, v->id) ||
	    nla_put_string(skb, EVN_A_VOLUME_NAME, v->name) ||
	    nla_put_string(skb, EVN_A_VOLUME_DEVICE, v->disk->disk_name) ||
	    nla_put_u64_64bit(skb, EVN_A_VOLUME_SIZE, v->size,
			      EVN_A_VOLUME_PAD) ||
	    nla_put_u32(skb, EVN_A_VOLUME_STATE, evn_volume_state(v)))
		goto out_cancel;
	nest = nla_nest_start(skb, EVN_A_VOLUME_EXTENT);
	if (!nest ||
	    nla_put_string(skb, EVN_A_EXTENT_TARGET, v->extent.target->name) ||
	    nla_put_u64_64bit(skb, EVN_A_EXTENT_TARGET_OFFSET,
			      v->extent.target_offset, EVN_A_EXTENT_PAD) ||
	    nla_put_u64_64bit(skb, EVN_A_EXTENT_LENGTH, v->extent.length,
			      EVN_A_EXTENT_PAD) ||
	    nla_put_u32(skb, EVN_A_EXTENT_COPY, 0))
		goto out_cancel;
	nla_nest_end(skb, nest);
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
};

/*
 * Parse and check the one extent of a volume-new request, and make sure it
 * overlaps no extent of another volume. Called with evn_lock held.
 */
static int evn_volume_parse_extent(struct genl_info *info,
				   struct evn_extent *ext)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[EVN_A_EXTENT_MAX + 1];
	struct nlattr *attr, *first = NULL;
	struct evn_target *t;
	struct evn_volume *v;
	int rem, ret;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != EVN_A_VOLUME_EXTENT)
			continue;
		if (first) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "only one extent per volume is supported");
			return -EOPNOTSUPP;
		}
		first = attr;
	}
	if (!first) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[EVN_A_VOLUME_NAME],
				    "volume has no extent");
		return -EINVAL;
	}

	ret = nla_parse_nested(tb, EVN_A_EXTENT_MAX, first, evn_extent_policy,
			       extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, first, tb, EVN_A_EXTENT_TARGET) ||
	    NL_REQ_ATTR_CHECK(extack, first, tb, EVN_A_EXTENT_TARGET_OFFSET) ||
	    NL_REQ_ATTR_CHECK(extack, first, tb, EVN_A_EXTENT_LENGTH)) {
		NL_SET_ERR_MSG_ATTR(extack, first,
				    "extent needs a target, an offset and a length");
		return -EINVAL;
	}
	if (tb[EVN_A_EXTENT_COPY] && nla_get_u32(tb[EVN_A_EXTENT_COPY])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_EXTENT_COPY],
				    "mirror copies are not supported yet");
		return -EOPNOTSUPP;
	}

	t = evn_target_find(nla_data(tb[EVN_A_EXTENT_TARGET]));
	if (!t) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_EXTENT_TARGET],
				    "no target with this name");
		return -ENOENT;
	}
	if (!t->assoc) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_EXTENT_TARGET],
				    "target is still being added");
		return -EBUSY;
	}
	ext->target = t;
	ext->target_offset = nla_get_u64(tb[EVN_A_EXTENT_TARGET_OFFSET]);
	ext->length = nla_get_u64(tb[EVN_A_EXTENT_LENGTH]);
	ret = evn_check_extent(ext->target_offset, ext->length, t->capacity,
			       t->lba_shift, first, extack);
	if (ret)
		return ret;

	list_for_each_entry(v, &evn_volumes, list) {
		if (v->extent.target == t &&
		    evn_ranges_overlap(v->extent.target_offset,
				       v->extent.length, ext->target_offset,
				       ext->length)) {
			NL_SET_ERR_MSG_ATTR(extack, first,
					    "extent overlaps an extent of another volume");
			return -EEXIST;
		}
	}
	return 0;
}

/* Limits of the volume's queue from its target's controller. */
static void evn_volume_limits(struct evn_volume *v, struct evn_limits *l)
{
	struct evn_target *t = v->extent.target;
	struct evn_ctrl_info ci;
	unsigned int blk_sectors = 1U << (t->lba_shift - SECTOR_SHIFT);

	evn_ctrl_get_info(t->assoc->ctrl, &ci);
	memset(l, 0, sizeof(*l));
	l->logical_block_size = 1U << t->lba_shift;
	/* Read, Write and Write Zeroes count blocks in 16 bits. */
	l->max_hw_sectors = min(ci.max_hw_sectors, 65536U * blk_sectors);
	l->max_segments = ci.max_segments;
	l->virt_boundary_mask = EVN_CTRL_PAGE_SIZE - 1;
	if (ci.oncs & NVME_CTRL_ONCS_DSM)
		l->max_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
	if (ci.oncs & NVME_CTRL_ONCS_WRITE_ZEROES)
		l->max_write_zeroes_sectors = min(ci.max_hw_sectors,
						  65536U * blk_sectors);
	l->write_cache = ci.vwc;
}

static int evn_volume_create_disk(struct evn_volume *v)
{
	struct evn_ctrl_info ci;
	struct evn_limits lim;
	struct gendisk *disk;
	int ret;

	evn_ctrl_get_info(v->extent.target->assoc->ctrl, &ci);
	if (ci.state != EVN_TARGET_STATE_LIVE)
		return -ENOTCONN;
	evn_volume_limits(v, &lim);

	v->tag_set.ops = &evn_mq_ops;
	v->tag_set.nr_hw_queues = num_possible_cpus();
	v->tag_set.queue_depth = ci.queue_size;
	v->tag_set.numa_node = NUMA_NO_NODE;
	v->tag_set.cmd_size = sizeof(struct evn_req) +
			      lim.max_segments * sizeof(struct scatterlist);
	v->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	v->tag_set.timeout = io_timeout * HZ;
	v->tag_set.driver_data = v;
	ret = blk_mq_alloc_tag_set(&v->tag_set);
	if (ret)
		return ret;

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
	return ret;
}

static void evn_volume_destroy_disk(struct evn_volume *v)
{
	del_gendisk(v->disk);
	put_disk(v->disk);
	blk_mq_free_tag_set(&v->tag_set);
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
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, EVN_A_VOLUME_NAME)) {
		NL_SET_ERR_MSG(info->extack, "volume needs a name");
		return -EINVAL;
	}
	ret = evn_check_name(tb[EVN_A_VOLUME_NAME], info->extack);
	if (ret)
		return ret;

	/* Allocated first: once the volume exists, replying must not fail. */
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!msg || !v) {
		ret = -ENOMEM;
		goto out_free;
	}
	nla_strscpy(v->name, tb[EVN_A_VOLUME_NAME], sizeof(v->name));

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
	ret = evn_volume_parse_extent(info, &v->extent);
	if (ret)
		goto out_unlock;
	v->size = v->extent.length;

	ret = ida_alloc_max(&evn_volume_ida, (MINORMASK + 1) / EVN_MINORS - 1,
			    GFP_KERNEL);
	if (ret < 0) {
		NL_SET_ERR_MSG(info->extack, "too many volumes");
		goto out_unlock;
	}
	v->id = ret;
	v->extent.target->users++;
	list_add_tail(&v->list, &evn_volumes);
	mutex_unlock(&evn_lock);

	ret = evn_volume_create_disk(v);
	if (ret) {
		if (ret == -ENOTCONN)
			NL_SET_ERR_MSG(info->extack,
				       "target is not connected; retry when it is live");
		else
			NL_SET_ERR_MSG(info->extack,
				       "cannot create the block device");
		goto out_unlist;
	}

	/* Publish the volume and describe it in one critical section. */
	mutex_lock(&evn_lock);
	v->ready = true;
	pr_info("volume %s: /dev/%s, %llu bytes on target %s at %llu\n",
		v->name, v->disk->disk_name, v->size, v->extent.target->name,
		v->extent.target_offset);
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
	v->extent.target->users--;
	mutex_unlock(&evn_lock);
	ida_free(&evn_volume_ida, v->id);
	goto out_free;

out_unlock:
	mutex_unlock(&evn_lock);
out_free:
	kfree(v);
	nlmsg_free(msg);
	return ret;
}

static void evn_volume_free(struct evn_volume *v)
{
	evn_volume_destroy_disk(v);
	mutex_lock(&evn_lock);
	v->extent.target->users--;
	mutex_unlock(&evn_lock);
	ida_free(&evn_volume_ida, v->id);
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
	if (disk_openers(v->disk)) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack,
			       "volume device is open (mounted or in use)");
		return -EBUSY;
	}
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

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&evn_lock);
	v = evn_volume_lookup(info);
	if (IS_ERR(v)) {
		ret = PTR_ERR(v);
		goto out_unlock;
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

	mutex_lock(&evn_lock);
	list_for_each_entry(v, &evn_volumes, list)
		if (v->ready && v->extent.target->assoc == assoc)
			blk_mq_run_hw_queues(v->disk->queue, true);
	mutex_unlock(&evn_lock);
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
