// SPDX-License-Identifier: GPL-2.0
/*
 * nl_check.c - validation of user input that the netlink policies cannot
 * express: names, extent alignment and bounds
 *
 * Pure functions, tested by the evn_nl_check KUnit suite. Each rejection
 * sets an extack message that names the problem and points at the attribute.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/math64.h>
#include <net/netlink.h>

#include "evn.h"

/**
 * evn_check_name() - check a target or volume name
 * @attr: the name attribute (NUL-terminated, length checked by the policy)
 * @extack: extended ack to explain a rejection
 *
 * Names are 1..EVN_NAME_MAX characters of [A-Za-z0-9._-] and do not start
 * with '-', so they are safe as file names and command-line words.
 *
 * Context: any context.
 * Return: 0 if valid, -EINVAL otherwise.
 */
int evn_check_name(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	size_t len = strnlen(name, nla_len(attr));
	size_t i;

	if (len == 0 || len > EVN_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "name must have 1 to 31 characters");
		return -EINVAL;
	}
	if (name[0] == '-') {
		NL_SET_ERR_MSG_ATTR(extack, attr, "name must not start with '-'");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && name[i] != '.' && name[i] != '_' &&
		    name[i] != '-') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "name may only contain letters, digits, '.', '_' and '-'");
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * evn_check_extent() - check an extent against its target
 * @offset: byte offset on the target
 * @length: length in bytes
 * @capacity: target capacity in bytes
 * @lba_shift: log2 of the target's logical block size
 * @attr: the extent attribute, for the extack pointer
 * @extack: extended ack to explain a rejection
 *
 * Context: any context.
 * Return: 0 if the extent is non-empty, aligned to 4 KiB and to the LBA
 * size, and inside the target; -EINVAL or -ERANGE (past the end) otherwise.
 */
int evn_check_extent(u64 offset, u64 length, u64 capacity,
		     unsigned int lba_shift, const struct nlattr *attr,
		     struct netlink_ext_ack *extack)
{
	u64 align = max_t(u64, EVN_EXTENT_ALIGN, 1ULL << lba_shift);

	if (!length) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "extent length is zero");
		return -EINVAL;
	}
	if (offset & (align - 1)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "extent offset is not a multiple of 4 KiB and of the target's LBA size");
		return -EINVAL;
	}
	if (length & (align - 1)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "extent length is not a multiple of 4 KiB and of the target's LBA size");
		return -EINVAL;
	}
	if (offset >= capacity || length > capacity - offset) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "extent goes past the end of the target");
		return -ERANGE;
	}
	return 0;
}

/**
 * evn_check_meta_size() - check the size of a target's metadata area
 * @size: bytes at the start of the namespace; 0 for no area
 * @capacity: target capacity in bytes
 * @lba_shift: log2 of the target's logical block size
 * @attr: the size attribute, for the extack pointer
 * @extack: extended ack to explain a rejection
 *
 * Context: any context.
 * Return: 0 if @size is a multiple of 4 KiB and of the LBA size and at most
 * @capacity; -EINVAL or -ERANGE otherwise.
 */
int evn_check_meta_size(u64 size, u64 capacity, unsigned int lba_shift,
			const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	u64 align = max_t(u64, EVN_EXTENT_ALIGN, 1ULL << lba_shift);

	if (size & (align - 1)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "metadata size is not a multiple of 4 KiB and of the target's LBA size");
		return -EINVAL;
	}
	if (size > capacity) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "metadata size is larger than the target");
		return -ERANGE;
	}
	return 0;
}

/**
 * evn_check_meta_range() - check a byte range of a metadata read or write
 * @offset: byte offset on the target
 * @length: bytes
 * @meta_size: size of the target's metadata area
 * @lba_shift: log2 of the target's logical block size
 * @attr: the attribute to point at (offset, length or data)
 * @extack: extended ack to explain a rejection
 *
 * Context: any context.
 * Return: 0 if the range is non-empty, at most EVN_META_IO_MAX bytes,
 * aligned to 4 KiB and to the LBA size, and inside [0, @meta_size);
 * -EINVAL, -E2BIG or -ERANGE otherwise.
 */
int evn_check_meta_range(u64 offset, u64 length, u64 meta_size,
			 unsigned int lba_shift, const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	u64 align = max_t(u64, EVN_EXTENT_ALIGN, 1ULL << lba_shift);

	if (!length) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "metadata length is zero");
		return -EINVAL;
	}
	if (length > EVN_META_IO_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "metadata length is larger than 32 KiB (EVN_META_IO_MAX)");
		return -E2BIG;
	}
	if ((offset | length) & (align - 1)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "metadata offset or length is not a multiple of 4 KiB and of the target's LBA size");
		return -EINVAL;
	}
	if (!meta_size) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "target has no metadata area (see target-set meta-size)");
		return -ERANGE;
	}
	if (offset >= meta_size || length > meta_size - offset) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "range is outside the target's metadata area");
		return -ERANGE;
	}
	return 0;
}
