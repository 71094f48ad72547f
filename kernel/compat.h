/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernel versions evn builds on
 *
 * evn builds on Linux 6.1 (Debian 12) and 6.12 (Debian 13). Each API that
 * differs between them is wrapped here behind one LINUX_VERSION_CODE switch,
 * so the rest of the module is written once against a single API. Nothing
 * else in the module tests the kernel version.
 */
#ifndef _EVN_COMPAT_H
#define _EVN_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/version.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "evn needs Linux 6.1 or later"
#endif

/**
 * struct evn_limits - block limits of a volume, set when its disk is made
 * @logical_block_size: bytes
 * @max_hw_sectors: largest request, in 512-byte sectors
 * @max_segments: largest number of data segments of a request
 * @virt_boundary_mask: segments may not cross this boundary (MR pages)
 * @max_discard_sectors: largest discard, 0 without discard
 * @max_write_zeroes_sectors: largest write zeroes, 0 without it
 * @write_cache: the device has a volatile write cache (flush and FUA)
 * @chunk_sectors: requests do not cross multiples of this, 0 for none
 * @io_min: preferred minimum I/O size in bytes (the stripe chunk), 0 for
 *	the default
 * @io_opt: optimal I/O size in bytes (a full stripe), 0 for none; the
 *	block layer sizes readahead from it
 */
struct evn_limits {
	unsigned int logical_block_size;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	unsigned long virt_boundary_mask;
	unsigned int max_discard_sectors;
	unsigned int max_write_zeroes_sectors;
	bool write_cache;
	unsigned int chunk_sectors;
	unsigned int io_min;
	unsigned int io_opt;
};

/*
 * evn_alloc_disk() - allocate a blk-mq disk with the given limits.
 * 6.9 passes the limits to blk_mq_alloc_disk() and 6.11 turned the cache
 * and rotational flags into features; 6.1 has one setter per limit.
 */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
static inline struct gendisk *evn_alloc_disk(struct blk_mq_tag_set *set,
					     const struct evn_limits *l,
					     void *queuedata)
{
	struct queue_limits lim = {
		.logical_block_size	= l->logical_block_size,
		.max_hw_sectors		= l->max_hw_sectors,
		.max_segments		= l->max_segments,
		.virt_boundary_mask	= l->virt_boundary_mask,
		.max_hw_discard_sectors	= l->max_discard_sectors,
		.discard_granularity	= l->logical_block_size,
		.max_discard_segments	= 1,
		.max_write_zeroes_sectors = l->max_write_zeroes_sectors,
		.chunk_sectors		= l->chunk_sectors,
		.io_min			= l->io_min,
		.io_opt			= l->io_opt,
	};

	if (l->write_cache)
		lim.features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
	return blk_mq_alloc_disk(set, &lim, queuedata);
}
#else
static inline struct gendisk *evn_alloc_disk(struct blk_mq_tag_set *set,
					     const struct evn_limits *l,
					     void *queuedata)
{
	struct gendisk *disk;
	struct request_queue *q;

	disk = blk_mq_alloc_disk(set, queuedata);
	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	blk_queue_logical_block_size(q, l->logical_block_size);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_max_segments(q, l->max_segments);
	blk_queue_virt_boundary(q, l->virt_boundary_mask);
	if (l->max_discard_sectors) {
		blk_queue_max_discard_sectors(q, l->max_discard_sectors);
		blk_queue_max_discard_segments(q, 1);
		q->limits.discard_granularity = l->logical_block_size;
	}
	blk_queue_max_write_zeroes_sectors(q, l->max_write_zeroes_sectors);
	blk_queue_write_cache(q, l->write_cache, l->write_cache);
	blk_queue_chunk_sectors(q, l->chunk_sectors);
	if (l->io_min)
		blk_queue_io_min(q, l->io_min);
	if (l->io_opt)
		blk_queue_io_opt(q, l->io_opt);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return disk;
}
#endif

int evn_disk_open(struct gendisk *disk);

/*
 * evn_bdev_open() - the block_device_operations ->open of volumes, which
 * calls evn_disk_open(). 6.5 passes ->open the gendisk and a blk_mode_t,
 * 6.1 the block_device and an fmode_t. Both call it with disk->open_mutex
 * held.
 */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
static inline int evn_bdev_open(struct gendisk *disk, blk_mode_t mode)
{
	return evn_disk_open(disk);
}
#else
static inline int evn_bdev_open(struct block_device *bdev, fmode_t mode)
{
	return evn_disk_open(bdev->bd_disk);
}
#endif

#endif /* _EVN_COMPAT_H */
