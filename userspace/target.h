/* SPDX-License-Identifier: GPL-2.0 */
/* target.h - the "target" object of evnadm: requests, replies, output */
#ifndef EVNADM_TARGET_H
#define EVNADM_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/evn.h>

struct json_object;
struct nl_msg;
struct nlmsghdr;

/* Bit of an attribute in the @have masks below: EVN_HAVE(EVN_A_TARGET_ID). */
#define EVN_HAVE(attr)		(1ULL << (attr))

/*
 * ONCS, Optional NVM Command Support, bytes 521:520 of the Identify
 * Controller data structure (CNS 01h) in the NVM Express Base
 * Specification: bit 2 Dataset Management (discard), bit 3 Write Zeroes.
 * Defined here because <linux/nvme.h> is not a UAPI header; the kernel
 * calls them NVME_CTRL_ONCS_DSM and NVME_CTRL_ONCS_WRITE_ZEROES.
 */
#define EVN_NVME_ONCS_DSM		(1U << 2)
#define EVN_NVME_ONCS_WRITE_ZEROES	(1U << 3)

/* Longest text of evn_target_features(), NUL included. */
#define EVN_TARGET_FEATURES_STRLEN	64

/* Longest text of evn_{target,volume}_state_format(), NUL included. */
#define EVN_STATE_STRLEN	24

/**
 * struct evn_target - a target as the kernel describes it (target-get reply,
 *	target-add reply, target notification)
 * @have: EVN_HAVE() of each EVN_A_TARGET_* attribute the message carried;
 *	the fields of the others are 0
 * @id: EVN_A_TARGET_ID
 * @name: EVN_A_TARGET_NAME
 * @traddr: EVN_A_TARGET_TRADDR
 * @port: EVN_A_TARGET_PORT
 * @subsysnqn: EVN_A_TARGET_SUBSYSNQN
 * @nsid: EVN_A_TARGET_NSID
 * @hostnqn: EVN_A_TARGET_HOSTNQN
 * @reconnect_delay: EVN_A_TARGET_RECONNECT_DELAY, seconds
 * @loss_timeout: EVN_A_TARGET_LOSS_TIMEOUT, seconds
 * @state: EVN_A_TARGET_STATE, enum evn_target_state
 * @capacity: EVN_A_TARGET_CAPACITY, bytes
 * @lba_size: EVN_A_TARGET_LBA_SIZE, bytes
 * @io_queues: EVN_A_TARGET_IO_QUEUES
 * @queue_depth: EVN_A_TARGET_QUEUE_DEPTH
 * @max_transfer: EVN_A_TARGET_MAX_TRANSFER, bytes
 * @oncs: EVN_A_TARGET_ONCS
 * @vwc: EVN_A_TARGET_VWC
 * @reconnects: EVN_A_TARGET_RECONNECTS
 * @timeouts: EVN_A_TARGET_TIMEOUTS
 * @cntlid: EVN_A_TARGET_CNTLID
 * @meta_size: EVN_A_TARGET_META_SIZE, bytes of pool metadata at the start
 *	of the namespace (0: none)
 * @error: EVN_A_TARGET_ERROR, why a failed target failed
 *
 * Strings are truncated to fit, always NUL-terminated.
 */
struct evn_target {
	uint64_t have;
	uint32_t id;
	char name[EVN_NAME_MAX + 1];
	char traddr[EVN_TRADDR_MAX + 1];
	uint16_t port;
	char subsysnqn[EVN_NQN_MAX + 1];
	uint32_t nsid;
	char hostnqn[EVN_NQN_MAX + 1];
	uint32_t reconnect_delay;
	uint32_t loss_timeout;
	uint32_t state;
	uint64_t capacity;
	uint32_t lba_size;
	uint32_t io_queues;
	uint32_t queue_depth;
	uint32_t max_transfer;
	uint32_t oncs;
	uint8_t vwc;
	uint32_t reconnects;
	uint32_t timeouts;
	uint32_t cntlid;
	uint64_t meta_size;
	char error[128];
};

/**
 * struct evn_target_list - the targets of a target-get dump, in kernel order
 * @v: the targets
 * @n: how many
 * @cap: room in @v
 */
struct evn_target_list {
	struct evn_target *v;
	size_t n;
	size_t cap;
};

/**
 * struct evn_target_args - the command line of "evnadm target add"
 * @name: NAME
 * @traddr: addr ADDR
 * @subsysnqn: nqn NQN
 * @hostnqn: hostnqn NQN, or NULL
 * @port: port PORT, or EVN_DEFAULT_PORT
 * @nsid: nsid N, valid when @have has EVN_A_TARGET_NSID
 * @reconnect_delay: reconnect-delay SECONDS, likewise
 * @loss_timeout: loss-timeout SECONDS, likewise
 * @have: EVN_HAVE() of each attribute the command line gave
 *
 * The strings point into argv.
 */
struct evn_target_args {
	const char *name;
	const char *traddr;
	const char *subsysnqn;
	const char *hostnqn;
	uint16_t port;
	uint32_t nsid;
	uint32_t reconnect_delay;
	uint32_t loss_timeout;
	uint64_t have;
};

int evn_target_add_args(int argc, char **argv, struct evn_target_args *a,
			char *errbuf, size_t errlen);
int evn_target_add_put(struct nl_msg *msg, const struct evn_target_args *a);

int evn_target_parse(struct nlmsghdr *nlh, void *arg);
int evn_target_list_parse(struct nlmsghdr *nlh, void *arg);
void evn_target_list_free(struct evn_target_list *l);

const char *evn_target_state_name(uint32_t state);
size_t evn_target_state_format(uint32_t state, char *buf, size_t len);
size_t evn_target_features(const struct evn_target *t, char *buf, size_t len);
size_t evn_target_address(const struct evn_target *t, char *buf, size_t len);
struct json_object *evn_target_json(const struct evn_target *t);
struct json_object *evn_target_list_json(const struct evn_target_list *l);
void evn_target_print(FILE *f, const struct evn_target *t);
int evn_target_table(FILE *f, const struct evn_target_list *l);

#endif /* EVNADM_TARGET_H */
