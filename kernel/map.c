// SPDX-License-Identifier: GPL-2.0
/*
 * map.c - translation of volume requests to NVMe logical blocks, and when
 * a request is sent at once
 *
 * Pure functions, tested by the evn_map KUnit suite.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "evn.h"

/**
 * evn_map_lba() - translate a byte range of an extent to NVMe blocks
 * @target_offset: byte offset of the extent on its target
 * @extent_len: length of the extent in bytes
 * @pos: byte offset of the range inside the extent
 * @bytes: length of the range (0 for commands without data blocks)
 * @lba_shift: log2 of the target's logical block size
 * @slba: set to the first logical block on the target
 * @nlb: set to the number of logical blocks (not 0's based)
 *
 * Context: any context.
 * Return: 0, or -EINVAL if the range is not block-aligned, leaves the
 * extent, or needs more blocks than a 32-bit count holds.
 */
int evn_map_lba(u64 target_offset, u64 extent_len, u64 pos, u64 bytes,
		unsigned int lba_shift, u64 *slba, u32 *nlb)
{
	u64 mask = (1ULL << lba_shift) - 1;

	if ((target_offset | pos | bytes) & mask)
		return -EINVAL;
	if (pos > extent_len || bytes > extent_len - pos)
		return -EINVAL;
	if ((bytes >> lba_shift) > U32_MAX)
		return -EINVAL;
	*slba = (target_offset + pos) >> lba_shift;
	*nlb = bytes >> lba_shift;
	return 0;
}

/**
 * evn_send_now() - whether a request is sent at once (evn_io.send_now)
 * @alone_streak: requests in a row of this hardware queue that found
 *	nothing else in flight, up to EVN_ALONE_STREAK; updated
 * @alone: nothing else is in flight from the queue now
 *
 * A request goes at once when it is alone and so were the
 * EVN_ALONE_STREAK requests before it: a steady queue depth of 1. A deep
 * queue that drained for a moment, because its submitter fell behind, does
 * not switch to it. @alone_streak is a hint, read and written without a
 * lock; it is only written when it changes.
 *
 * Context: any context.
 * Return: true to send the request's commands at once.
 */
bool evn_send_now(unsigned int *alone_streak, bool alone)
{
	unsigned int streak = READ_ONCE(*alone_streak);

	if (!alone) {
		if (streak)
			WRITE_ONCE(*alone_streak, 0);
		return false;
	}
	if (streak >= EVN_ALONE_STREAK)
		return true;
	WRITE_ONCE(*alone_streak, streak + 1);
	return false;
}
