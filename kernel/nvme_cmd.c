// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_cmd.c - pure helpers that build NVMe and NVMe over Fabrics commands
 *
 * Each helper fills in or decodes one wire structure exactly as the NVMe
 * Base and NVMe over Fabrics specifications lay it out (little-endian
 * fields, 0's based counts), the way drivers/nvme/host/core.c and fabrics.c
 * do. Nothing here touches RDMA, allocates or sleeps, so the KUnit suite in
 * nvme_cmd_test.c runs exactly this code on User Mode Linux.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/page.h>

#include "nvme_cmd.h"

/* Largest number of logical blocks one Read/Write/Write Zeroes moves. */
#define EVN_NVME_MAX_NLB	0x10000U

/**
 * evn_nvme_cid() - command identifier for a queue slot
 * @index: slot index, below EVN_MAX_SLOTS
 * @gen: generation of the slot; only its low bits are kept
 *
 * Context: any context.
 * Return: the 16-bit command identifier.
 */
u16 evn_nvme_cid(unsigned int index, unsigned int gen)
{
	return ((gen & EVN_CID_GEN_MASK) << EVN_CID_INDEX_BITS) |
	       (index & EVN_CID_INDEX_MASK);
}

/**
 * evn_nvme_cid_index() - slot index of a command identifier
 * @cid: command identifier from evn_nvme_cid()
 *
 * Context: any context.
 * Return: the slot index.
 */
unsigned int evn_nvme_cid_index(u16 cid)
{
	return cid & EVN_CID_INDEX_MASK;
}

/**
 * evn_nvme_cid_gen() - slot generation of a command identifier
 * @cid: command identifier from evn_nvme_cid()
 *
 * Context: any context.
 * Return: the generation bits.
 */
unsigned int evn_nvme_cid_gen(u16 cid)
{
	return (cid >> EVN_CID_INDEX_BITS) & EVN_CID_GEN_MASK;
}

/*
 * Store @val little-endian in @len bytes at @p (the keyed SGL's 3-byte
 * length and unaligned 4-byte key), without <asm/unaligned.h>, which 6.12
 * moved to <linux/unaligned.h>.
 */
static void evn_put_le(u8 *p, u32 val, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = val >> (8 * i);
}

/**
 * evn_nvme_set_keyed_sgl() - describe the data with one keyed SGL data block
 * @c: command to update (its dptr and flags)
 * @addr: remote (I/O virtual) address of the registered memory
 * @length: bytes, at most 2^24 - 1
 * @key: rkey of the memory region
 * @invalidate: ask the target to invalidate @key with its response
 *	(Send with Invalidate, SGL subtype 0xf)
 *
 * Context: any context.
 */
void evn_nvme_set_keyed_sgl(struct nvme_command *c, u64 addr, u32 length,
			    u32 key, bool invalidate)
{
	struct nvme_keyed_sgl_desc *sg = &c->common.dptr.ksgl;

	c->common.flags |= NVME_CMD_SGL_METABUF;
	sg->addr = cpu_to_le64(addr);
	evn_put_le(sg->length, length, sizeof(sg->length));
	evn_put_le(sg->key, key, sizeof(sg->key));
	sg->type = NVME_KEY_SGL_FMT_DATA_DESC << 4;
	if (invalidate)
		sg->type |= NVME_SGL_FMT_INVALIDATE;
}

/**
 * evn_nvme_set_null_sgl() - describe "no data" with a zero keyed SGL
 * @c: command to update (its dptr and flags)
 *
 * Context: any context.
 */
void evn_nvme_set_null_sgl(struct nvme_command *c)
{
	evn_nvme_set_keyed_sgl(c, 0, 0, 0, false);
}

/**
 * evn_nvme_setup_rw() - build a Read or Write command
 * @c: command to fill; cleared first
 * @opcode: nvme_cmd_read or nvme_cmd_write
 * @nsid: namespace id
 * @slba: first logical block
 * @nlb: number of logical blocks, 1 to 65536 (not 0's based)
 * @control: command dword 12 bits 31:16 (NVME_RW_FUA ...)
 *
 * The data pointer is left zero: set it with evn_nvme_set_keyed_sgl().
 *
 * Context: any context.
 * Return: 0, or -EINVAL for another opcode or a bad @nlb.
 */
int evn_nvme_setup_rw(struct nvme_command *c, u8 opcode, u32 nsid, u64 slba,
		      u32 nlb, u16 control)
{
	if (opcode != nvme_cmd_read && opcode != nvme_cmd_write)
		return -EINVAL;
	if (!nlb || nlb > EVN_NVME_MAX_NLB)
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	c->rw.opcode = opcode;
	c->rw.nsid = cpu_to_le32(nsid);
	c->rw.slba = cpu_to_le64(slba);
	c->rw.length = cpu_to_le16(nlb - 1);
	c->rw.control = cpu_to_le16(control);
	return 0;
}

/**
 * evn_nvme_setup_flush() - build a Flush command
 * @c: command to fill; cleared first
 * @nsid: namespace id
 *
 * Context: any context.
 */
void evn_nvme_setup_flush(struct nvme_command *c, u32 nsid)
{
	memset(c, 0, sizeof(*c));
	c->common.opcode = nvme_cmd_flush;
	c->common.nsid = cpu_to_le32(nsid);
}

/**
 * evn_nvme_setup_write_zeroes() - build a Write Zeroes command
 * @c: command to fill; cleared first
 * @nsid: namespace id
 * @slba: first logical block
 * @nlb: number of logical blocks, 1 to 65536 (not 0's based)
 * @control: command dword 12 bits 31:16 (NVME_WZ_DEAC ...)
 *
 * Context: any context.
 * Return: 0, or -EINVAL for a bad @nlb.
 */
int evn_nvme_setup_write_zeroes(struct nvme_command *c, u32 nsid, u64 slba,
				u32 nlb, u16 control)
{
	if (!nlb || nlb > EVN_NVME_MAX_NLB)
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	c->write_zeroes.opcode = nvme_cmd_write_zeroes;
	c->write_zeroes.nsid = cpu_to_le32(nsid);
	c->write_zeroes.slba = cpu_to_le64(slba);
	c->write_zeroes.length = cpu_to_le16(nlb - 1);
	c->write_zeroes.control = cpu_to_le16(control);
	return 0;
}

/**
 * evn_nvme_setup_dsm() - build a Dataset Management command
 * @c: command to fill; cleared first
 * @nsid: namespace id
 * @nr_ranges: ranges in the data buffer, 1 to NVME_DSM_MAX_RANGES
 * @attributes: command dword 11 (NVME_DSMGMT_AD to deallocate)
 *
 * The ranges (struct nvme_dsm_range, evn_nvme_dsm_range()) travel as the
 * command's data.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for a bad @nr_ranges.
 */
int evn_nvme_setup_dsm(struct nvme_command *c, u32 nsid, u32 nr_ranges,
		       u32 attributes)
{
	if (!nr_ranges || nr_ranges > NVME_DSM_MAX_RANGES)
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	c->dsm.opcode = nvme_cmd_dsm;
	c->dsm.nsid = cpu_to_le32(nsid);
	c->dsm.nr = cpu_to_le32(nr_ranges - 1);
	c->dsm.attributes = cpu_to_le32(attributes);
	return 0;
}

/**
 * evn_nvme_dsm_range() - fill one Dataset Management range
 * @range: range to fill
 * @slba: first logical block
 * @nlb: number of logical blocks (not 0's based)
 * @cattr: context attributes
 *
 * Context: any context.
 */
void evn_nvme_dsm_range(struct nvme_dsm_range *range, u64 slba, u32 nlb,
			u32 cattr)
{
	range->cattr = cpu_to_le32(cattr);
	range->nlb = cpu_to_le32(nlb);
	range->slba = cpu_to_le64(slba);
}

/**
 * evn_nvme_identify() - build an Identify command
 * @c: command to fill; cleared first
 * @cns: Controller or Namespace Structure (NVME_ID_CNS_CTRL ...)
 * @nsid: namespace id, 0 when @cns does not use one
 *
 * The 4096-byte result travels as the command's data.
 *
 * Context: any context.
 */
void evn_nvme_identify(struct nvme_command *c, u8 cns, u32 nsid)
{
	memset(c, 0, sizeof(*c));
	c->identify.opcode = nvme_admin_identify;
	c->identify.nsid = cpu_to_le32(nsid);
	c->identify.cns = cns;
}

/**
 * evn_nvme_set_features_nr_queues() - build Set Features, Number of Queues
 * @c: command to fill; cleared first
 * @nr_io_queues: I/O submission and completion queues wanted, 1 to 65535
 *
 * Context: any context.
 */
void evn_nvme_set_features_nr_queues(struct nvme_command *c,
				     unsigned int nr_io_queues)
{
	u32 n = clamp(nr_io_queues, 1U, 0xffffU) - 1;

	memset(c, 0, sizeof(*c));
	c->features.opcode = nvme_admin_set_features;
	c->features.fid = cpu_to_le32(NVME_FEAT_NUM_QUEUES);
	c->features.dword11 = cpu_to_le32(n | (n << 16));
}

/**
 * evn_nvme_nr_queues_granted() - I/O queues a Number of Queues result grants
 * @result: completion dword 0 of Set Features, Number of Queues
 *
 * Context: any context.
 * Return: the smaller of the submission and completion queue counts
 * allocated (both 0's based in @result), 1's based.
 */
unsigned int evn_nvme_nr_queues_granted(u32 result)
{
	return min(result & 0xffff, result >> 16) + 1;
}

/**
 * evn_nvme_keep_alive() - build a Keep Alive command
 * @c: command to fill; cleared first
 *
 * Context: any context.
 */
void evn_nvme_keep_alive(struct nvme_command *c)
{
	memset(c, 0, sizeof(*c));
	c->common.opcode = nvme_admin_keep_alive;
}

/**
 * evn_nvmf_connect_cmd() - build a Fabrics Connect command
 * @c: command to fill; cleared first
 * @qid: queue to connect, 0 for the admin queue
 * @sqsize: submission queue size, 0's based
 * @kato_ms: keep alive timeout in milliseconds (admin queue only, else 0)
 *
 * Its data is a struct nvmf_connect_data (evn_nvmf_connect_data()).
 *
 * Context: any context.
 */
void evn_nvmf_connect_cmd(struct nvme_command *c, u16 qid, u16 sqsize,
			  u32 kato_ms)
{
	memset(c, 0, sizeof(*c));
	c->connect.opcode = nvme_fabrics_command;
	c->connect.fctype = nvme_fabrics_type_connect;
	c->connect.recfmt = cpu_to_le16(0);
	c->connect.qid = cpu_to_le16(qid);
	c->connect.sqsize = cpu_to_le16(sqsize);
	c->connect.kato = cpu_to_le32(qid ? 0 : kato_ms);
}

/* Copy an NQN into a NUL-padded wire field of NVMF_NQN_FIELD_LEN bytes. */
static void evn_nvmf_put_nqn(char *field, const char *nqn)
{
	memset(field, 0, NVMF_NQN_FIELD_LEN);
	memcpy(field, nqn, strnlen(nqn, NVMF_NQN_SIZE));
}

/**
 * evn_nvmf_connect_data() - fill the data of a Fabrics Connect command
 * @data: 1024-byte connect data to fill; cleared first
 * @hostid: host identifier
 * @cntlid: 0xffff on the admin queue (any controller), else the controller
 *	id the admin queue's Connect returned
 * @subsysnqn: subsystem NQN, at most NVMF_NQN_SIZE characters
 * @hostnqn: host NQN, at most NVMF_NQN_SIZE characters
 *
 * Context: any context.
 */
void evn_nvmf_connect_data(struct nvmf_connect_data *data,
			   const uuid_t *hostid, u16 cntlid,
			   const char *subsysnqn, const char *hostnqn)
{
	memset(data, 0, sizeof(*data));
	uuid_copy(&data->hostid, hostid);
	data->cntlid = cpu_to_le16(cntlid);
	evn_nvmf_put_nqn(data->subsysnqn, subsysnqn);
	evn_nvmf_put_nqn(data->hostnqn, hostnqn);
}

/**
 * evn_nvmf_connect_error() - explain why a target refused Fabrics Connect
 * @status: NVMe status of the completion (evn_nvme_cqe_status())
 * @result: completion dword 0; for an invalid parameter it holds IATTR
 *	(bit 16: the parameter is in the data) and IPO (bits 15:0: its byte
 *	offset)
 *
 * Context: any context.
 * Return: a static string naming the reason.
 */
const char *evn_nvmf_connect_error(u16 status, u32 result)
{
	u16 offset = result & 0xffff;

	switch (status & 0x7ff) {
	case NVME_SC_CONNECT_INVALID_PARAM:
		if (result & (1U << 16)) {
			switch (offset) {
			case offsetof(struct nvmf_connect_data, subsysnqn):
				return "subsystem NQN not found";
			case offsetof(struct nvmf_connect_data, hostnqn):
				return "host NQN refused";
			case offsetof(struct nvmf_connect_data, cntlid):
				return "controller id refused";
			case offsetof(struct nvmf_connect_data, hostid):
				return "host id refused";
			default:
				return "invalid connect data";
			}
		}
		switch (offset) {
		case offsetof(struct nvmf_connect_command, qid):
			return "queue id refused";
		case offsetof(struct nvmf_connect_command, sqsize):
			return "queue size refused";
		default:
			return "invalid connect command";
		}
	case NVME_SC_CONNECT_INVALID_HOST:
		return "host not allowed";
	case NVME_SC_CONNECT_CTRL_BUSY:
		return "controller busy";
	case NVME_SC_CONNECT_FORMAT:
		return "incompatible format";
	case NVME_SC_CONNECT_RESTART_DISC:
		return "restart discovery";
	case NVME_SC_AUTH_REQUIRED:
		return "authentication required";
	default:
		return "error";
	}
}

/**
 * evn_nvmf_prop_get() - build a Fabrics Property Get command
 * @c: command to fill; cleared first
 * @offset: property offset (NVME_REG_CAP ...)
 * @is64: read 8 bytes instead of 4
 *
 * Context: any context.
 */
void evn_nvmf_prop_get(struct nvme_command *c, u32 offset, bool is64)
{
	memset(c, 0, sizeof(*c));
	c->prop_get.opcode = nvme_fabrics_command;
	c->prop_get.fctype = nvme_fabrics_type_property_get;
	c->prop_get.attrib = is64 ? 1 : 0;
	c->prop_get.offset = cpu_to_le32(offset);
}

/**
 * evn_nvmf_prop_set() - build a Fabrics Property Set command
 * @c: command to fill; cleared first
 * @offset: property offset (NVME_REG_CC ...)
 * @value: value to write
 * @is64: write 8 bytes instead of 4
 *
 * Context: any context.
 */
void evn_nvmf_prop_set(struct nvme_command *c, u32 offset, u64 value,
		       bool is64)
{
	memset(c, 0, sizeof(*c));
	c->prop_set.opcode = nvme_fabrics_command;
	c->prop_set.fctype = nvme_fabrics_type_property_set;
	c->prop_set.attrib = is64 ? 1 : 0;
	c->prop_set.offset = cpu_to_le32(offset);
	c->prop_set.value = cpu_to_le64(is64 ? value : (u32)value);
}

/**
 * evn_nvme_rdma_cm_req() - fill the RDMA CM private data of a queue connect
 * @req: private data to fill; cleared first
 * @qid: queue id, 0 for the admin queue
 * @queue_size: entries of the queue (NVME_AQ_DEPTH for the admin queue)
 *
 * As nvme-rdma does: the host receive queue holds @queue_size entries and
 * the host send queue size is 0's based.
 *
 * Context: any context.
 */
void evn_nvme_rdma_cm_req(struct nvme_rdma_cm_req *req, u16 qid,
			  u16 queue_size)
{
	memset(req, 0, sizeof(*req));
	req->recfmt = cpu_to_le16(NVME_RDMA_CM_FMT_1_0);
	req->qid = cpu_to_le16(qid);
	req->hrqsize = cpu_to_le16(queue_size);
	req->hsqsize = cpu_to_le16(queue_size - 1);
}

/**
 * evn_nvme_cc_value() - Controller Configuration to enable a controller with
 * @cap: the controller's CAP property
 *
 * NVM (or all I/O command sets when CAP.CSS says so), 4 KiB memory pages,
 * round robin arbitration, no shutdown, 64-byte SQEs and 16-byte CQEs; as
 * nvme_enable_ctrl() does. CC.EN is left clear.
 *
 * Context: any context.
 * Return: the CC value.
 */
u32 evn_nvme_cc_value(u64 cap)
{
	u32 cc;

	if (NVME_CAP_CSS(cap) & NVME_CAP_CSS_CSI)
		cc = NVME_CC_CSS_CSI;
	else
		cc = NVME_CC_CSS_NVM;
	cc |= (EVN_NVME_PAGE_SHIFT - 12) << NVME_CC_MPS_SHIFT;
	cc |= NVME_CC_AMS_RR | NVME_CC_SHN_NONE;
	cc |= NVME_CC_IOSQES | NVME_CC_IOCQES;
	return cc;
}

/**
 * evn_nvme_ready_timeout_ms() - how long CSTS.RDY may take to follow CC.EN
 * @cap: the controller's CAP property
 *
 * Context: any context.
 * Return: CAP.TO (in 500 ms units) in milliseconds, plus one unit of slack
 * as nvme_wait_ready() allows.
 */
unsigned int evn_nvme_ready_timeout_ms(u64 cap)
{
	return (NVME_CAP_TIMEOUT(cap) + 1) * 500;
}

/**
 * evn_nvme_queue_size() - entries of an I/O queue
 * @cap: the controller's CAP property (MQES, 0's based)
 * @wanted: entries the user asked for
 * @maxcmd: MAXCMD from Identify Controller, 0 if not reported
 *
 * Context: any context.
 * Return: min(@wanted, CAP.MQES + 1, @maxcmd, EVN_MAX_SLOTS), at least 2
 * (an NVMe queue of N entries holds N - 1 commands).
 */
unsigned int evn_nvme_queue_size(u64 cap, unsigned int wanted,
				 unsigned int maxcmd)
{
	unsigned int size = min_t(u64, wanted, NVME_CAP_MQES(cap) + 1ULL);

	if (maxcmd)
		size = min(size, maxcmd);
	return clamp_t(unsigned int, size, 2, EVN_MAX_SLOTS);
}

/**
 * evn_nvme_max_hw_sectors() - largest transfer of one command
 * @mdts: Maximum Data Transfer Size from Identify Controller, a power of
 *	two in units of CAP.MPSMIN; 0 means no limit
 * @cap: the controller's CAP property
 * @max_fr_pages: 4 KiB pages one fast-registration MR maps
 *
 * Context: any context.
 * Return: the limit in 512-byte sectors.
 */
u32 evn_nvme_max_hw_sectors(u8 mdts, u64 cap, u32 max_fr_pages)
{
	u32 fr = max_fr_pages << (EVN_NVME_PAGE_SHIFT - SECTOR_SHIFT);
	u32 shift, mdts_sectors;

	if (!mdts)
		return fr;
	shift = mdts + NVME_CAP_MPSMIN(cap) + 12 - SECTOR_SHIFT;
	if (check_shl_overflow(1U, shift, &mdts_sectors))
		return fr;
	return min(fr, mdts_sectors);
}

/**
 * evn_nvme_sgls_keyed() - does the controller take keyed SGL descriptors
 * @sgls: SGL Support field from Identify Controller
 *
 * Context: any context.
 * Return: true when bit 2 (keyed SGL data block descriptor) is set.
 */
bool evn_nvme_sgls_keyed(u32 sgls)
{
	return sgls & (1U << 2);
}

/**
 * evn_nvme_cqe_status() - NVMe status of a completion queue entry
 * @status: the CQE's status field, phase tag in bit 0
 *
 * Context: any context.
 * Return: the status without the phase tag: SC in bits 7:0, SCT in bits
 * 10:8, CRD, More and DNR above, as nvme core keeps it.
 */
u16 evn_nvme_cqe_status(__le16 status)
{
	return le16_to_cpu(status) >> 1;
}

/**
 * evn_nvme_status_to_blk() - block layer status for an NVMe status
 * @status: NVMe status (evn_nvme_cqe_status())
 *
 * The mapping of nvme_error_status() for the commands evn sends. Written to
 * build unchanged on 6.1 and 6.12: 0x183 (6.1's NVME_SC_ONCS_NOT_SUPPORTED,
 * really Command Size Limit Exceeded, as 6.12 names it) and reservation
 * conflicts (BLK_STS_NEXUS, renamed in 6.5; evn uses no reservations) map
 * to BLK_STS_IOERR like every other status not listed.
 *
 * Context: any context.
 * Return: BLK_STS_OK for success, else the matching BLK_STS_* error.
 */
blk_status_t evn_nvme_status_to_blk(u16 status)
{
	switch (status & 0x7ff) {
	case NVME_SC_SUCCESS:
		return BLK_STS_OK;
	case NVME_SC_CAP_EXCEEDED:
		return BLK_STS_NOSPC;
	case NVME_SC_LBA_RANGE:
	case NVME_SC_CMD_INTERRUPTED:
	case NVME_SC_NS_NOT_READY:
		return BLK_STS_TARGET;
	case NVME_SC_BAD_ATTRIBUTES:
	case NVME_SC_INVALID_OPCODE:
	case NVME_SC_INVALID_FIELD:
	case NVME_SC_INVALID_NS:
		return BLK_STS_NOTSUPP;
	case NVME_SC_WRITE_FAULT:
	case NVME_SC_READ_ERROR:
	case NVME_SC_UNWRITTEN_BLOCK:
	case NVME_SC_ACCESS_DENIED:
	case NVME_SC_READ_ONLY:
	case NVME_SC_COMPARE_FAILED:
		return BLK_STS_MEDIUM;
	case NVME_SC_GUARD_CHECK:
	case NVME_SC_APPTAG_CHECK:
	case NVME_SC_REFTAG_CHECK:
	case NVME_SC_INVALID_PI:
		return BLK_STS_PROTECTION;
	case NVME_SC_HOST_PATH_ERROR:
		return BLK_STS_TRANSPORT;
	default:
		return BLK_STS_IOERR;
	}
}

/**
 * evn_nvme_disposition() - retry a completed command, or complete it
 * @status: NVMe status (evn_nvme_cqe_status()), DNR and CRD included
 *
 * As nvme_decide_disposition(): success and any status with Do Not Retry
 * set complete, every other error may be retried, a bounded number of times
 * (nvme core: nvme_max_retries, 5). Path-related statuses (SCT 3h) and
 * Namespace Not Ready are set apart: nvme multipath fails them over to
 * another path, and evn, which has one path, waits for it to come back as
 * it does for a reconnecting target.
 *
 * Context: any context.
 * Return: the disposition.
 */
enum evn_nvme_disposition evn_nvme_disposition(u16 status)
{
	if (!(status & 0x7ff) || (status & NVME_STATUS_DNR))
		return EVN_NVME_COMPLETE;
	if ((status & 0x700) == 0x300 ||
	    (status & 0x7ff) == NVME_SC_NS_NOT_READY)
		return EVN_NVME_WAIT;
	return EVN_NVME_RETRY;
}

/**
 * evn_nvme_retry_delay_ms() - how long to wait before a retry
 * @status: NVMe status (evn_nvme_cqe_status())
 * @crdt: the controller's Command Retry Delay Times 1-3 (Identify
 *	Controller CRDT1-3), in units of 100 ms
 *
 * Context: any context.
 * Return: the delay the status's CRD field selects, in milliseconds; 0 when
 * CRD is 0.
 */
unsigned int evn_nvme_retry_delay_ms(u16 status, const u16 crdt[3])
{
	unsigned int crd = (status & NVME_STATUS_CRD) >> 11;

	return crd ? crdt[crd - 1] * 100U : 0;
}

/**
 * evn_nvme_ns_ids_from_id() - the identifiers Identify Namespace carries
 * @id: Identify Namespace data
 * @ids: gets its EUI-64 and NGUID (the UUID only comes in descriptors)
 *
 * Context: any context.
 */
void evn_nvme_ns_ids_from_id(const struct nvme_id_ns *id,
			     struct evn_ns_ids *ids)
{
	memcpy(ids->eui64, id->eui64, sizeof(ids->eui64));
	memcpy(ids->nguid, id->nguid, sizeof(ids->nguid));
}

/**
 * evn_nvme_parse_ns_descs() - read a Namespace Identification Descriptor list
 * @buf: the data of Identify CNS 03h
 * @len: its length (4096)
 * @ids: gets the EUI-64, NGUID and UUID the list has; others are kept
 *
 * The list ends at a descriptor of length 0 or at the end of @buf.
 *
 * Context: any context.
 * Return: 0, or -EPROTO when a descriptor runs past @buf or a known type
 * has the wrong length.
 */
int evn_nvme_parse_ns_descs(const void *buf, size_t len,
			    struct evn_ns_ids *ids)
{
	const u8 *p = buf;
	size_t off = 0;
	u8 type, n, *dst;

	/*
	 * Byte by byte: a descriptor follows one of any length (CSI's is 1),
	 * so struct nvme_ns_id_desc may sit at an odd offset.
	 */
	while (off + sizeof(struct nvme_ns_id_desc) <= len) {
		type = p[off + offsetof(struct nvme_ns_id_desc, nidt)];
		n = p[off + offsetof(struct nvme_ns_id_desc, nidl)];
		if (!n)
			return 0;
		off += sizeof(struct nvme_ns_id_desc);
		if (n > len - off)
			return -EPROTO;
		switch (type) {
		case NVME_NIDT_EUI64:
			dst = n == NVME_NIDT_EUI64_LEN ? ids->eui64 : NULL;
			break;
		case NVME_NIDT_NGUID:
			dst = n == NVME_NIDT_NGUID_LEN ? ids->nguid : NULL;
			break;
		case NVME_NIDT_UUID:
			dst = n == NVME_NIDT_UUID_LEN ? ids->uuid : NULL;
			break;
		default:
			/* CSI and types to come: skipped */
			off += n;
			continue;
		}
		if (!dst)
			return -EPROTO;
		memcpy(dst, p + off, n);
		off += n;
	}
	return 0;
}

/**
 * evn_nvme_ns_changed() - is a namespace still the one a target was made on?
 * @was_ids: its identifiers then
 * @was_nsze: its size then, in logical blocks
 * @was_shift: log2 of its logical block size then
 * @ids: its identifiers now
 * @nsze: its size now
 * @shift: its logical block size now
 *
 * Context: any context.
 * Return: NULL when it is the same namespace, as large or larger, with the
 * same block size; else why not, a static string.
 */
const char *evn_nvme_ns_changed(const struct evn_ns_ids *was_ids,
				u64 was_nsze, unsigned int was_shift,
				const struct evn_ns_ids *ids, u64 nsze,
				unsigned int shift)
{
	if (memcmp(was_ids, ids, sizeof(*ids)))
		return "namespace was replaced: its NGUID, EUI-64 or UUID changed";
	if (shift != was_shift)
		return "namespace has another logical block size";
	if ((nsze << shift) < (was_nsze << was_shift))
		return "namespace is smaller than when the target was added";
	return NULL;
}

/**
 * evn_nvme_id_cqt() - Command Quiesce Time of a controller
 * @id: Identify Controller data
 *
 * CQT is bytes 387:386 (NVMe 2.0 and later), past what struct nvme_id_ctrl
 * names on Linux 6.1.
 *
 * Context: any context.
 * Return: the time in milliseconds the controller needs to stop processing
 * commands after a loss, 0 when it does not report one.
 */
u16 evn_nvme_id_cqt(const struct nvme_id_ctrl *id)
{
	const __le16 *cqt = (const void *)id + EVN_NVME_ID_CTRL_CQT;

	/* Aligned: an even offset in a structure of 4096 bytes. */
	BUILD_BUG_ON(sizeof(*id) != 4096 || EVN_NVME_ID_CTRL_CQT % 2);
	return le16_to_cpu(*cqt);
}

/**
 * evn_nvme_lba_shift() - logical block size of a namespace
 * @id: Identify Namespace data
 *
 * Context: any context.
 * Return: log2 of the block size of the format FLBAS selects, or 0 when
 * that format does not exist, is below 512 bytes or above the page size,
 * or carries metadata (which evn does not transfer).
 */
unsigned int evn_nvme_lba_shift(const struct nvme_id_ns *id)
{
	unsigned int idx = nvme_lbaf_index(id->flbas);
	const struct nvme_lbaf *lbaf;

	if (idx > id->nlbaf || idx >= ARRAY_SIZE(id->lbaf))
		return 0;
	lbaf = &id->lbaf[idx];
	if (lbaf->ms || lbaf->ds < SECTOR_SHIFT || lbaf->ds > PAGE_SHIFT)
		return 0;
	return lbaf->ds;
}
