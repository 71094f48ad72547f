/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme_cmd.h - pure helpers that build NVMe and NVMe over Fabrics commands
 *
 * Everything here only fills in or decodes wire structures (<linux/nvme.h>,
 * <linux/nvme-rdma.h>): no RDMA, no allocation, no locking. rdma.c uses them
 * to talk to targets and the KUnit suite evn_nvme_cmd (nvme_cmd_test.c)
 * checks them field by field against the specifications.
 *
 * Copyright (C) 2026 The evn authors
 */
#ifndef _EVN_NVME_CMD_H
#define _EVN_NVME_CMD_H

#include <linux/bits.h>
#include <linux/blk_types.h>
#include <linux/nvme.h>
#include <linux/nvme-rdma.h>
#include <linux/types.h>
#include <linux/uuid.h>

/* The host's memory page size for NVMe (CC.MPS = 0): 4 KiB. */
#define EVN_NVME_PAGE_SHIFT	12

/*
 * A command identifier is the queue slot index in the low bits and a
 * generation counter in the high bits, so a completion for a slot that has
 * since been reused is recognised as stale.
 */
#define EVN_CID_INDEX_BITS	12
#define EVN_CID_INDEX_MASK	((1U << EVN_CID_INDEX_BITS) - 1)
#define EVN_CID_GEN_MASK	((1U << (16 - EVN_CID_INDEX_BITS)) - 1)
#define EVN_MAX_SLOTS		BIT(EVN_CID_INDEX_BITS)

u16 evn_nvme_cid(unsigned int index, unsigned int gen);
unsigned int evn_nvme_cid_index(u16 cid);
unsigned int evn_nvme_cid_gen(u16 cid);

/* Data pointers */
void evn_nvme_set_keyed_sgl(struct nvme_command *c, u64 addr, u32 length,
			    u32 key, bool invalidate);
void evn_nvme_set_null_sgl(struct nvme_command *c);

/* NVM command set I/O commands */
int evn_nvme_setup_rw(struct nvme_command *c, u8 opcode, u32 nsid, u64 slba,
		      u32 nlb, u16 control);
void evn_nvme_setup_flush(struct nvme_command *c, u32 nsid);
int evn_nvme_setup_write_zeroes(struct nvme_command *c, u32 nsid, u64 slba,
				u32 nlb, u16 control);
int evn_nvme_setup_dsm(struct nvme_command *c, u32 nsid, u32 nr_ranges,
		       u32 attributes);
void evn_nvme_dsm_range(struct nvme_dsm_range *range, u64 slba, u32 nlb,
			u32 cattr);

/* Admin commands */
void evn_nvme_identify(struct nvme_command *c, u8 cns, u32 nsid);
void evn_nvme_set_features_nr_queues(struct nvme_command *c,
				     unsigned int nr_io_queues);
unsigned int evn_nvme_nr_queues_granted(u32 result);
void evn_nvme_keep_alive(struct nvme_command *c);

/* Fabrics commands */
void evn_nvmf_connect_cmd(struct nvme_command *c, u16 qid, u16 sqsize,
			  u32 kato_ms);
void evn_nvmf_connect_data(struct nvmf_connect_data *data,
			   const uuid_t *hostid, u16 cntlid,
			   const char *subsysnqn, const char *hostnqn);
const char *evn_nvmf_connect_error(u16 status, u32 result);
void evn_nvmf_prop_get(struct nvme_command *c, u32 offset, bool is64);
void evn_nvmf_prop_set(struct nvme_command *c, u32 offset, u64 value,
		       bool is64);

/* RDMA CM private data */
void evn_nvme_rdma_cm_req(struct nvme_rdma_cm_req *req, u16 qid,
			  u16 queue_size);

/* Controller registers and limits */
u32 evn_nvme_cc_value(u64 cap);
unsigned int evn_nvme_ready_timeout_ms(u64 cap);
unsigned int evn_nvme_queue_size(u64 cap, unsigned int wanted,
				 unsigned int maxcmd);
u32 evn_nvme_max_hw_sectors(u8 mdts, u64 cap, u32 max_fr_pages);
bool evn_nvme_sgls_keyed(u32 sgls);

/* Completions and namespaces */
u16 evn_nvme_cqe_status(__le16 status);
blk_status_t evn_nvme_status_to_blk(u16 status);

/**
 * enum evn_nvme_disposition - what to do with a completed command
 * @EVN_NVME_COMPLETE: done: success, or an error to report (DNR set)
 * @EVN_NVME_RETRY: an error the controller allows a retry of (DNR clear):
 *	send it again, a bounded number of times, after the CRD delay
 * @EVN_NVME_WAIT: the path or the namespace is not ready (ANA
 *	inaccessible or in transition, host path error, namespace not ready,
 *	DNR clear): send it again until the loss timeout, as for a target
 *	that is reconnecting
 */
enum evn_nvme_disposition {
	EVN_NVME_COMPLETE,
	EVN_NVME_RETRY,
	EVN_NVME_WAIT,
};

enum evn_nvme_disposition evn_nvme_disposition(u16 status);
unsigned int evn_nvme_retry_delay_ms(u16 status, const u16 crdt[3]);
/**
 * struct evn_ns_ids - the identifiers of a namespace; all zero when absent
 * @eui64: IEEE Extended Unique Identifier
 * @nguid: Namespace Globally Unique Identifier
 * @uuid: Namespace UUID (from the Namespace Identification Descriptors)
 */
struct evn_ns_ids {
	u8 eui64[NVME_NIDT_EUI64_LEN];
	u8 nguid[NVME_NIDT_NGUID_LEN];
	u8 uuid[NVME_NIDT_UUID_LEN];
};

void evn_nvme_ns_ids_from_id(const struct nvme_id_ns *id,
			     struct evn_ns_ids *ids);
int evn_nvme_parse_ns_descs(const void *buf, size_t len,
			    struct evn_ns_ids *ids);
const char *evn_nvme_ns_changed(const struct evn_ns_ids *was_ids,
				u64 was_nsze, unsigned int was_shift,
				const struct evn_ns_ids *ids, u64 nsze,
				unsigned int shift);

/* Offset of CQT (Command Quiesce Time, le16, ms) in Identify Controller. */
#define EVN_NVME_ID_CTRL_CQT	386
u16 evn_nvme_id_cqt(const struct nvme_id_ctrl *id);
unsigned int evn_nvme_lba_shift(const struct nvme_id_ns *id);

#endif /* _EVN_NVME_CMD_H */
