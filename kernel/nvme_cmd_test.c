// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_cmd_test.c - KUnit tests of the NVMe and Fabrics command builders
 *
 * Each case builds a command with a helper of nvme_cmd.c and reads it back
 * as raw little-endian bytes at the offsets the NVMe Base and NVMe over
 * Fabrics specifications give, so a wrong field, width or byte order shows.
 *
 * Copyright (C) 2026 The evn authors
 */
#include <kunit/test.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "nvme_cmd.h"

/* The command as the wire sees it. */
static const u8 *evn_bytes(const void *p)
{
	return p;
}

/* The @len-byte little-endian number at byte @off of @p. */
static u64 evn_le_at(const void *p, size_t off, unsigned int len)
{
	const u8 *b = evn_bytes(p) + off;
	u64 val = 0;

	while (len--)
		val = (val << 8) | b[len];
	return val;
}

static u16 evn_le16_at(const void *p, size_t off)
{
	return evn_le_at(p, off, 2);
}

static u32 evn_le32_at(const void *p, size_t off)
{
	return evn_le_at(p, off, 4);
}

static u64 evn_le64_at(const void *p, size_t off)
{
	return evn_le_at(p, off, 8);
}

/* True when bytes [@from, @to) of @p are all zero. */
static bool evn_zero(const void *p, size_t from, size_t to)
{
	return !memchr_inv(evn_bytes(p) + from, 0, to - from);
}

/* Fill @c with a pattern, so a helper that forgets to clear it shows. */
static void evn_dirty(struct nvme_command *c)
{
	memset(c, 0xa5, sizeof(*c));
}

/* ---- wire layout ---- */

static void evn_wire_sizes_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_command), 64UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_completion), 16UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_keyed_sgl_desc), 16UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_dsm_range), 16UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_rdma_cm_req), 32UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvmf_connect_data), 1024UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_id_ns), 4096UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct nvme_id_ctrl), 4096UL);
	/* Offsets the tests below read at. */
	KUNIT_EXPECT_EQ(test, offsetof(struct nvme_command, common.dptr), 24UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct nvme_command, rw.slba), 40UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct nvme_completion, command_id),
			12UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct nvmf_connect_data, subsysnqn),
			256UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct nvmf_connect_data, hostnqn),
			512UL);
}

/* ---- command identifiers ---- */

struct evn_cid_case {
	const char *name;
	unsigned int index;
	unsigned int gen;
	u16 cid;
};

static const struct evn_cid_case evn_cid_cases[] = {
	{ "zero", 0, 0, 0x0000 },
	{ "index", 5, 0, 0x0005 },
	{ "gen", 0, 1, 0x1000 },
	{ "both", 0x7f, 3, 0x307f },
	{ "max_index", EVN_MAX_SLOTS - 1, 0, 0x0fff },
	{ "max_gen", 1, 15, 0xf001 },
	{ "gen_wraps", 2, 16, 0x0002 },
	{ "gen_wraps_high", 2, 17, 0x1002 },
};

static void evn_cid_desc(const struct evn_cid_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_cid, evn_cid_cases, evn_cid_desc);

static void evn_cid_test(struct kunit *test)
{
	const struct evn_cid_case *c = test->param_value;
	u16 cid = evn_nvme_cid(c->index, c->gen);

	KUNIT_EXPECT_EQ(test, cid, c->cid);
	KUNIT_EXPECT_EQ(test, evn_nvme_cid_index(cid), c->index);
	KUNIT_EXPECT_EQ(test, evn_nvme_cid_gen(cid), c->gen & EVN_CID_GEN_MASK);
}

/* ---- data pointers ---- */

struct evn_sgl_case {
	const char *name;
	u64 addr;
	u32 length;
	u32 key;
	bool invalidate;
	u8 type;
};

static const struct evn_sgl_case evn_sgl_cases[] = {
	{ "plain", 0x1000, 4096, 0x1234, false, 0x40 },
	{ "invalidate", 0x1000, 4096, 0x1234, true, 0x4f },
	{ "wide", 0x0123456789abcdefULL, 0xfedcba, 0xdeadbeef, true, 0x4f },
	{ "max_length", ~0ULL, 0xffffff, ~0U, false, 0x40 },
};

static void evn_sgl_desc(const struct evn_sgl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_sgl, evn_sgl_cases, evn_sgl_desc);

static void evn_keyed_sgl_test(struct kunit *test)
{
	const struct evn_sgl_case *c = test->param_value;
	struct nvme_command cmd = {};
	const u8 *b = evn_bytes(&cmd);

	evn_nvme_set_keyed_sgl(&cmd, c->addr, c->length, c->key,
			       c->invalidate);
	/* PSDT = 01b: SGLs, metadata pointer is a contiguous buffer */
	KUNIT_EXPECT_EQ(test, b[1], 0x40);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 24), c->addr);
	KUNIT_EXPECT_EQ(test, evn_le_at(&cmd, 32, 3), (u64)c->length);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 35), c->key);
	/* SGL identifier: type 4 (keyed data block) in the high nibble */
	KUNIT_EXPECT_EQ(test, b[39], c->type);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 2, 24));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 40, 64));
}

static void evn_null_sgl_test(struct kunit *test)
{
	struct nvme_command cmd = {};
	const u8 *b = evn_bytes(&cmd);

	evn_nvme_set_null_sgl(&cmd);
	KUNIT_EXPECT_EQ(test, b[1], 0x40);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 24, 39));
	KUNIT_EXPECT_EQ(test, b[39], 0x40);
}

/* ---- I/O commands ---- */

struct evn_rw_case {
	const char *name;
	u8 opcode;
	u32 nsid;
	u64 slba;
	u32 nlb;
	u16 control;
	int ret;
};

static const struct evn_rw_case evn_rw_cases[] = {
	{ "read_one", nvme_cmd_read, 1, 0, 1, 0, 0 },
	{ "write_fua", nvme_cmd_write, 2, 0x1000, 8, NVME_RW_FUA, 0 },
	{ "read_max", nvme_cmd_read, 0xfffffffe, 0x0123456789ULL, 0x10000,
	  0, 0 },
	{ "nlb_zero", nvme_cmd_read, 1, 0, 0, 0, -EINVAL },
	{ "nlb_too_big", nvme_cmd_write, 1, 0, 0x10001, 0, -EINVAL },
	{ "not_rw", nvme_cmd_flush, 1, 0, 1, 0, -EINVAL },
};

static void evn_rw_desc(const struct evn_rw_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_rw, evn_rw_cases, evn_rw_desc);

static void evn_setup_rw_test(struct kunit *test)
{
	const struct evn_rw_case *c = test->param_value;
	struct nvme_command cmd;
	const u8 *b = evn_bytes(&cmd);

	evn_dirty(&cmd);
	KUNIT_ASSERT_EQ(test, evn_nvme_setup_rw(&cmd, c->opcode, c->nsid,
						c->slba, c->nlb, c->control),
			c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, b[0], c->opcode);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), c->nsid);
	/* CDW10-11: SLBA */
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 40), c->slba);
	/* CDW12: NLB 0's based in bits 15:0, control in 31:16 */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 48), (u16)(c->nlb - 1));
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 50), c->control);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 4));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 8, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 52, 64));
}

static void evn_setup_flush_test(struct kunit *test)
{
	struct nvme_command cmd;

	evn_dirty(&cmd);
	evn_nvme_setup_flush(&cmd, 7);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x00);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), 7U);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 4));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 8, 64));
}

static void evn_setup_write_zeroes_test(struct kunit *test)
{
	struct nvme_command cmd;

	evn_dirty(&cmd);
	/* Deallocate: bit 25 of CDW12, bit 9 of the control field */
	KUNIT_ASSERT_EQ(test, evn_nvme_setup_write_zeroes(&cmd, 3, 0x8000, 256,
							  1U << 9), 0);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x08);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), 3U);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 40), 0x8000ULL);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 48), 255);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 48), (1U << 25) | 255);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 8, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 52, 64));

	KUNIT_EXPECT_EQ(test, evn_nvme_setup_write_zeroes(&cmd, 3, 0, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, evn_nvme_setup_write_zeroes(&cmd, 3, 0, 0x10001,
							  0), -EINVAL);
}

static void evn_setup_dsm_test(struct kunit *test)
{
	struct nvme_command cmd;

	evn_dirty(&cmd);
	KUNIT_ASSERT_EQ(test, evn_nvme_setup_dsm(&cmd, 1, 1, NVME_DSMGMT_AD), 0);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x09);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), 1U);
	/* CDW10: number of ranges, 0's based */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 40), 0U);
	/* CDW11: attribute AD is bit 2 */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 44), 4U);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 8, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 48, 64));

	KUNIT_ASSERT_EQ(test, evn_nvme_setup_dsm(&cmd, 1, 256, 0), 0);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 40), 255U);
	KUNIT_EXPECT_EQ(test, evn_nvme_setup_dsm(&cmd, 1, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, evn_nvme_setup_dsm(&cmd, 1, 257, 0), -EINVAL);
}

static void evn_dsm_range_test(struct kunit *test)
{
	struct nvme_dsm_range range;

	memset(&range, 0xa5, sizeof(range));
	evn_nvme_dsm_range(&range, 0x0102030405060708ULL, 0x1000, 0);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&range, 0), 0U);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&range, 4), 0x1000U);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&range, 8), 0x0102030405060708ULL);
}

/* ---- admin commands ---- */

static void evn_identify_test(struct kunit *test)
{
	struct nvme_command cmd;

	evn_dirty(&cmd);
	evn_nvme_identify(&cmd, NVME_ID_CNS_CTRL, 0);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x06);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), 0U);
	/* CDW10: CNS in bits 7:0, CNTID 31:16 zero */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 40), 1U);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 44, 64));

	evn_nvme_identify(&cmd, NVME_ID_CNS_NS, 5);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 4), 5U);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 40), 0U);
}

struct evn_nrq_case {
	const char *name;
	unsigned int wanted;
	u32 dword11;
};

static const struct evn_nrq_case evn_nrq_cases[] = {
	{ "one", 1, 0x00000000 },
	{ "two", 2, 0x00010001 },
	{ "sixty_four", 64, 0x003f003f },
	{ "zero_means_one", 0, 0x00000000 },
	{ "max", 0xffff, 0xfffefffe },
	{ "clamped", 0x10000, 0xfffefffe },
};

static void evn_nrq_desc(const struct evn_nrq_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_nrq, evn_nrq_cases, evn_nrq_desc);

static void evn_set_features_nr_queues_test(struct kunit *test)
{
	const struct evn_nrq_case *c = test->param_value;
	struct nvme_command cmd;

	evn_dirty(&cmd);
	evn_nvme_set_features_nr_queues(&cmd, c->wanted);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x09);
	/* CDW10: FID 07h; CDW11: NCQR 31:16, NSQR 15:0, both 0's based */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 40), 0x07U);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 44), c->dword11);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 48, 64));
}

struct evn_granted_case {
	const char *name;
	u32 result;
	unsigned int granted;
};

static const struct evn_granted_case evn_granted_cases[] = {
	{ "one", 0x00000000, 1 },
	{ "equal", 0x00030003, 4 },
	{ "fewer_cq", 0x00010007, 2 },
	{ "fewer_sq", 0x00070001, 2 },
	{ "max", 0xfffeffff, 0xffff },
};

static void evn_granted_desc(const struct evn_granted_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_granted, evn_granted_cases, evn_granted_desc);

static void evn_nr_queues_granted_test(struct kunit *test)
{
	const struct evn_granted_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, evn_nvme_nr_queues_granted(c->result),
			c->granted);
}

static void evn_keep_alive_test(struct kunit *test)
{
	struct nvme_command cmd;

	evn_dirty(&cmd);
	evn_nvme_keep_alive(&cmd);
	KUNIT_EXPECT_EQ(test, evn_bytes(&cmd)[0], 0x18);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 64));
}

/* ---- Fabrics commands ---- */

struct evn_connect_case {
	const char *name;
	u16 qid;
	u16 sqsize;
	u32 kato_ms;
	u32 kato_wire;
};

static const struct evn_connect_case evn_connect_cases[] = {
	{ "admin", 0, NVME_AQ_DEPTH - 1, 5000, 5000 },
	{ "admin_no_kato", 0, NVME_AQ_DEPTH - 1, 0, 0 },
	{ "io_queue", 1, 127, 5000, 0 },
	{ "io_queue_high", 0xfffe, 1023, 0, 0 },
};

static void evn_connect_desc(const struct evn_connect_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_connect, evn_connect_cases, evn_connect_desc);

static void evn_connect_cmd_test(struct kunit *test)
{
	const struct evn_connect_case *c = test->param_value;
	struct nvme_command cmd;
	const u8 *b = evn_bytes(&cmd);

	evn_dirty(&cmd);
	evn_nvmf_connect_cmd(&cmd, c->qid, c->sqsize, c->kato_ms);
	KUNIT_EXPECT_EQ(test, b[0], 0x7f);	/* Fabrics command */
	KUNIT_EXPECT_EQ(test, b[4], 0x01);	/* FCTYPE Connect */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 40), 0);	/* RECFMT */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 42), c->qid);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&cmd, 44), c->sqsize);
	KUNIT_EXPECT_EQ(test, b[46], 0);	/* CATTR */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 48), c->kato_wire);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 1, 4));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 5, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 52, 64));
}

static void evn_connect_data_test(struct kunit *test)
{
	static const char subsysnqn[] = "nqn.2026-11.io.evn:target0";
	static const char hostnqn[] = "nqn.2014-08.org.nvmexpress:uuid:0f0e";
	struct nvmf_connect_data *data;
	uuid_t hostid;
	unsigned int i;

	for (i = 0; i < sizeof(hostid.b); i++)
		hostid.b[i] = i + 1;
	data = kunit_kmalloc(test, sizeof(*data), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	memset(data, 0xa5, sizeof(*data));

	evn_nvmf_connect_data(data, &hostid, 0xffff, subsysnqn, hostnqn);
	KUNIT_EXPECT_EQ(test, memcmp(evn_bytes(data), hostid.b, 16), 0);
	KUNIT_EXPECT_EQ(test, evn_le16_at(data, 16), 0xffff);
	KUNIT_EXPECT_TRUE(test, evn_zero(data, 18, 256));
	KUNIT_EXPECT_STREQ(test, (const char *)evn_bytes(data) + 256,
			   subsysnqn);
	KUNIT_EXPECT_TRUE(test, evn_zero(data, 256 + sizeof(subsysnqn) - 1,
					 512));
	KUNIT_EXPECT_STREQ(test, (const char *)evn_bytes(data) + 512, hostnqn);
	KUNIT_EXPECT_TRUE(test, evn_zero(data, 512 + sizeof(hostnqn) - 1,
					 1024));

	evn_nvmf_connect_data(data, &hostid, 3, subsysnqn, hostnqn);
	KUNIT_EXPECT_EQ(test, evn_le16_at(data, 16), 3);
}

/* An NQN of the longest allowed length still ends in a NUL. */
static void evn_connect_data_long_nqn_test(struct kunit *test)
{
	struct nvmf_connect_data *data;
	char *nqn;
	uuid_t hostid = {};

	data = kunit_kzalloc(test, sizeof(*data), GFP_KERNEL);
	nqn = kunit_kzalloc(test, NVMF_NQN_FIELD_LEN + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, nqn);
	memset(nqn, 'x', NVMF_NQN_FIELD_LEN + 7);

	evn_nvmf_connect_data(data, &hostid, 0xffff, nqn, "h");
	KUNIT_EXPECT_EQ(test, strnlen(data->subsysnqn, NVMF_NQN_FIELD_LEN),
			(size_t)NVMF_NQN_SIZE);
	KUNIT_EXPECT_STREQ(test, data->hostnqn, "h");
}

struct evn_connect_err_case {
	const char *name;
	u16 status;
	u32 result;
	const char *msg;
};

static const struct evn_connect_err_case evn_connect_err_cases[] = {
	{ "subsysnqn", NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR,
	  (1U << 16) | 256, "subsystem NQN not found" },
	{ "hostnqn", NVME_SC_CONNECT_INVALID_PARAM, (1U << 16) | 512,
	  "host NQN refused" },
	{ "cntlid", NVME_SC_CONNECT_INVALID_PARAM, (1U << 16) | 16,
	  "controller id refused" },
	{ "qid", NVME_SC_CONNECT_INVALID_PARAM, 42, "queue id refused" },
	{ "sqsize", NVME_SC_CONNECT_INVALID_PARAM, 44, "queue size refused" },
	{ "host", NVME_SC_CONNECT_INVALID_HOST | NVME_STATUS_DNR, 0,
	  "host not allowed" },
	{ "busy", NVME_SC_CONNECT_CTRL_BUSY, 0, "controller busy" },
	{ "other", NVME_SC_INTERNAL, 0, "error" },
};

static void evn_connect_err_desc(const struct evn_connect_err_case *c,
				 char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_connect_err, evn_connect_err_cases,
		  evn_connect_err_desc);

static void evn_connect_error_test(struct kunit *test)
{
	const struct evn_connect_err_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, evn_nvmf_connect_error(c->status, c->result),
			   c->msg);
}

static void evn_prop_get_test(struct kunit *test)
{
	struct nvme_command cmd;
	const u8 *b = evn_bytes(&cmd);

	evn_dirty(&cmd);
	evn_nvmf_prop_get(&cmd, NVME_REG_CAP, true);
	KUNIT_EXPECT_EQ(test, b[0], 0x7f);
	KUNIT_EXPECT_EQ(test, b[4], 0x04);	/* FCTYPE Property Get */
	KUNIT_EXPECT_EQ(test, b[40], 1);	/* ATTRIB: 8 bytes */
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 44), 0x00U);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 5, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 41, 44));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 48, 64));

	evn_nvmf_prop_get(&cmd, NVME_REG_CSTS, false);
	KUNIT_EXPECT_EQ(test, b[40], 0);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 44), 0x1cU);
}

static void evn_prop_set_test(struct kunit *test)
{
	struct nvme_command cmd;
	const u8 *b = evn_bytes(&cmd);

	evn_dirty(&cmd);
	evn_nvmf_prop_set(&cmd, NVME_REG_CC, 0x00460001, false);
	KUNIT_EXPECT_EQ(test, b[0], 0x7f);
	KUNIT_EXPECT_EQ(test, b[4], 0x00);	/* FCTYPE Property Set */
	KUNIT_EXPECT_EQ(test, b[40], 0);
	KUNIT_EXPECT_EQ(test, evn_le32_at(&cmd, 44), 0x14U);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 48), 0x00460001ULL);
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 5, 40));
	KUNIT_EXPECT_TRUE(test, evn_zero(&cmd, 56, 64));

	/* A 4-byte write carries no stray upper bits. */
	evn_nvmf_prop_set(&cmd, NVME_REG_CC, 0xffffffff00000001ULL, false);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 48), 0x1ULL);
	evn_nvmf_prop_set(&cmd, 0x100, 0xffffffff00000001ULL, true);
	KUNIT_EXPECT_EQ(test, b[40], 1);
	KUNIT_EXPECT_EQ(test, evn_le64_at(&cmd, 48), 0xffffffff00000001ULL);
}

static void evn_rdma_cm_req_test(struct kunit *test)
{
	struct nvme_rdma_cm_req req;

	memset(&req, 0xa5, sizeof(req));
	evn_nvme_rdma_cm_req(&req, 0, NVME_AQ_DEPTH);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 0), 0);		/* RECFMT */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 2), 0);		/* QID */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 4), 32);	/* HRQSIZE */
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 6), 31);	/* HSQSIZE */
	KUNIT_EXPECT_TRUE(test, evn_zero(&req, 8, 32));

	evn_nvme_rdma_cm_req(&req, 3, 128);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 2), 3);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 4), 128);
	KUNIT_EXPECT_EQ(test, evn_le16_at(&req, 6), 127);
}

/* ---- registers and limits ---- */

static void evn_cc_value_test(struct kunit *test)
{
	u64 cap_nvm = 1ULL << 37;			/* CSS: NVM only */
	u64 cap_csi = cap_nvm | (1ULL << 43);		/* + I/O sets */

	/* IOCQES 4 (16 B), IOSQES 6 (64 B), SHN 0, AMS 0, MPS 0, CSS 0 */
	KUNIT_EXPECT_EQ(test, evn_nvme_cc_value(cap_nvm), 0x00460000U);
	KUNIT_EXPECT_EQ(test, evn_nvme_cc_value(cap_csi), 0x00460060U);
	KUNIT_EXPECT_EQ(test, evn_nvme_cc_value(cap_nvm) & NVME_CC_ENABLE, 0U);
}

static void evn_ready_timeout_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, evn_nvme_ready_timeout_ms(0), 500U);
	KUNIT_EXPECT_EQ(test, evn_nvme_ready_timeout_ms(15ULL << 24), 8000U);
	KUNIT_EXPECT_EQ(test, evn_nvme_ready_timeout_ms(0xffULL << 24),
			128000U);
}

struct evn_qsize_case {
	const char *name;
	u16 mqes;
	unsigned int wanted;
	unsigned int maxcmd;
	unsigned int size;
};

static const struct evn_qsize_case evn_qsize_cases[] = {
	{ "nvmet_rdma", 127, 128, 1024, 128 },
	{ "capped_by_mqes", 127, 256, 0, 128 },
	{ "capped_by_maxcmd", 1023, 1024, 64, 64 },
	{ "small", 1023, 16, 0, 16 },
	{ "at_least_two", 1023, 1, 0, 2 },
	{ "slot_limit", 0xffff, 100000, 0, EVN_MAX_SLOTS },
};

static void evn_qsize_desc(const struct evn_qsize_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_qsize, evn_qsize_cases, evn_qsize_desc);

static void evn_queue_size_test(struct kunit *test)
{
	const struct evn_qsize_case *c = test->param_value;
	u64 cap = (15ULL << 24) | c->mqes;

	KUNIT_EXPECT_EQ(test, evn_nvme_queue_size(cap, c->wanted, c->maxcmd),
			c->size);
}

struct evn_mhs_case {
	const char *name;
	u8 mdts;
	u8 mpsmin;
	u32 max_fr_pages;
	u32 sectors;
};

static const struct evn_mhs_case evn_mhs_cases[] = {
	{ "no_mdts", 0, 0, 256, 2048 },
	{ "nvmet_rdma", 8, 0, 256, 2048 },
	{ "mdts_smaller", 5, 0, 256, 256 },
	{ "mpsmin_8k", 5, 1, 256, 512 },
	{ "mr_smaller", 10, 0, 32, 256 },
	{ "huge_mdts", 30, 0, 256, 2048 },
};

static void evn_mhs_desc(const struct evn_mhs_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_mhs, evn_mhs_cases, evn_mhs_desc);

static void evn_max_hw_sectors_test(struct kunit *test)
{
	const struct evn_mhs_case *c = test->param_value;
	u64 cap = (u64)c->mpsmin << 48;

	KUNIT_EXPECT_EQ(test, evn_nvme_max_hw_sectors(c->mdts, cap,
						      c->max_fr_pages),
			c->sectors);
}

static void evn_sgls_keyed_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, evn_nvme_sgls_keyed(0x00100005));
	KUNIT_EXPECT_TRUE(test, evn_nvme_sgls_keyed(1U << 2));
	KUNIT_EXPECT_FALSE(test, evn_nvme_sgls_keyed(0x00100001));
	KUNIT_EXPECT_FALSE(test, evn_nvme_sgls_keyed(0));
}

/* ---- completions and namespaces ---- */

static void evn_cqe_status_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, evn_nvme_cqe_status(cpu_to_le16(0x0001)), 0);
	KUNIT_EXPECT_EQ(test, evn_nvme_cqe_status(cpu_to_le16(0x0000)), 0);
	/* SCT 1, SC 0x82, DNR, phase 1 */
	KUNIT_EXPECT_EQ(test, evn_nvme_cqe_status(cpu_to_le16(0x8305)),
			NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR);
	KUNIT_EXPECT_EQ(test, evn_nvme_cqe_status(cpu_to_le16(0x0500)),
			NVME_SC_WRITE_FAULT);
}

struct evn_sts_case {
	const char *name;
	u16 status;
	blk_status_t blk;
};

static const struct evn_sts_case evn_sts_cases[] = {
	{ "success", NVME_SC_SUCCESS, BLK_STS_OK },
	{ "invalid_opcode", NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR,
	  BLK_STS_NOTSUPP },
	/* 0x183: 6.1 calls it ONCS_NOT_SUPPORTED, 6.12 CMD_SIZE_LIM_EXCEEDED */
	{ "status_0x183", 0x183, BLK_STS_IOERR },
	{ "invalid_field", NVME_SC_INVALID_FIELD, BLK_STS_NOTSUPP },
	{ "invalid_ns", NVME_SC_INVALID_NS, BLK_STS_NOTSUPP },
	{ "write_fault", NVME_SC_WRITE_FAULT, BLK_STS_MEDIUM },
	{ "read_error", NVME_SC_READ_ERROR | NVME_STATUS_DNR, BLK_STS_MEDIUM },
	{ "read_only", NVME_SC_READ_ONLY, BLK_STS_MEDIUM },
	{ "cap_exceeded", NVME_SC_CAP_EXCEEDED, BLK_STS_NOSPC },
	{ "lba_range", NVME_SC_LBA_RANGE, BLK_STS_TARGET },
	{ "guard", NVME_SC_GUARD_CHECK, BLK_STS_PROTECTION },
	{ "reservation", NVME_SC_RESERVATION_CONFLICT, BLK_STS_IOERR },
	{ "host_path", NVME_SC_HOST_PATH_ERROR, BLK_STS_TRANSPORT },
	{ "internal", NVME_SC_INTERNAL, BLK_STS_IOERR },
	{ "host_aborted", NVME_SC_HOST_ABORTED_CMD, BLK_STS_IOERR },
	{ "data_xfer", NVME_SC_DATA_XFER_ERROR | NVME_STATUS_DNR, BLK_STS_IOERR },
};

static void evn_sts_desc(const struct evn_sts_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_sts, evn_sts_cases, evn_sts_desc);

static void evn_status_to_blk_test(struct kunit *test)
{
	const struct evn_sts_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, evn_nvme_status_to_blk(c->status), c->blk);
}

struct evn_disp_case {
	const char *name;
	u16 status;
	enum evn_nvme_disposition disp;
};

static const struct evn_disp_case evn_disp_cases[] = {
	{ "success", NVME_SC_SUCCESS, EVN_NVME_COMPLETE },
	/* the More bit alone is no error */
	{ "success_more", NVME_STATUS_MORE, EVN_NVME_COMPLETE },
	{ "internal", NVME_SC_INTERNAL, EVN_NVME_RETRY },
	{ "internal_dnr", NVME_SC_INTERNAL | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
	{ "interrupted", NVME_SC_CMD_INTERRUPTED, EVN_NVME_RETRY },
	{ "interrupted_crd", NVME_SC_CMD_INTERRUPTED | (2 << 11),
	  EVN_NVME_RETRY },
	{ "write_fault", NVME_SC_WRITE_FAULT, EVN_NVME_RETRY },
	{ "read_error_dnr", NVME_SC_READ_ERROR | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
	{ "invalid_ns_dnr", NVME_SC_INVALID_NS | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
	{ "ns_not_ready", NVME_SC_NS_NOT_READY, EVN_NVME_WAIT },
	{ "ns_not_ready_dnr", NVME_SC_NS_NOT_READY | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
	{ "ana_persistent_loss", NVME_SC_ANA_PERSISTENT_LOSS, EVN_NVME_WAIT },
	{ "ana_inaccessible", NVME_SC_ANA_INACCESSIBLE, EVN_NVME_WAIT },
	{ "ana_transition", NVME_SC_ANA_TRANSITION, EVN_NVME_WAIT },
	{ "ana_transition_dnr", NVME_SC_ANA_TRANSITION | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
	{ "host_path", NVME_SC_HOST_PATH_ERROR, EVN_NVME_WAIT },
	/* SCT 2h (media errors) is not a path error */
	{ "guard", NVME_SC_GUARD_CHECK, EVN_NVME_RETRY },
	/* SCT 1h (command specific) */
	{ "cap_exceeded_dnr", NVME_SC_CAP_EXCEEDED | NVME_STATUS_DNR,
	  EVN_NVME_COMPLETE },
};

static void evn_disp_desc(const struct evn_disp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_disp, evn_disp_cases, evn_disp_desc);

static void evn_disposition_test(struct kunit *test)
{
	const struct evn_disp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, evn_nvme_disposition(c->status), c->disp);
}

static void evn_retry_delay_test(struct kunit *test)
{
	static const u16 crdt[3] = { 1, 20, 65535 };
	static const u16 none[3];

	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(NVME_SC_INTERNAL, crdt),
			0U);
	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(NVME_SC_INTERNAL |
						      (1 << 11), crdt), 100U);
	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(NVME_SC_INTERNAL |
						      (2 << 11), crdt), 2000U);
	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(NVME_SC_INTERNAL |
						      (3 << 11), crdt),
			6553500U);
	/* DNR and More around the CRD field do not leak into it */
	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(NVME_STATUS_DNR |
						      NVME_STATUS_MORE |
						      (1 << 11), crdt), 100U);
	KUNIT_EXPECT_EQ(test, evn_nvme_retry_delay_ms(3 << 11, none), 0U);
}

struct evn_lba_case {
	const char *name;
	u8 flbas;
	u8 nlbaf;	/* 0's based */
	u8 index;	/* format to describe */
	u8 ds;
	u16 ms;
	unsigned int shift;
};

static const struct evn_lba_case evn_lba_cases[] = {
	{ "512", 0x00, 0, 0, 9, 0, 9 },
	{ "4k", 0x00, 0, 0, 12, 0, 12 },
	{ "second_format", 0x01, 1, 1, 12, 0, 12 },
	{ "meta_ext_bit_ignored", 0x11, 1, 1, 9, 0, 9 },
	{ "high_index_bits", 0x20, 16, 16, 12, 0, 12 },
	{ "format_missing", 0x02, 1, 2, 12, 0, 0 },
	{ "with_metadata", 0x00, 0, 0, 9, 8, 0 },
	{ "too_small", 0x00, 0, 0, 8, 0, 0 },
	{ "unformatted", 0x00, 0, 0, 0, 0, 0 },
	{ "too_large", 0x00, 0, 0, 16, 0, 0 },
};

static void evn_lba_desc(const struct evn_lba_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lba, evn_lba_cases, evn_lba_desc);

/* Put a descriptor of @type with @n bytes of @fill at @off; the next off. */
static size_t evn_put_desc(u8 *buf, size_t off, u8 type, u8 n, u8 fill)
{
	buf[off] = type;
	buf[off + 1] = n;
	memset(buf + off + 4, fill, n);
	return off + 4 + n;
}

static void evn_ns_descs_test(struct kunit *test)
{
	struct evn_ns_ids ids = {}, want = {};
	size_t off = 0;
	u8 *buf;

	buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* nvmet's order: UUID, then CSI (skipped); no EUI-64 or NGUID */
	off = evn_put_desc(buf, off, NVME_NIDT_UUID, 16, 0xa1);
	off = evn_put_desc(buf, off, NVME_NIDT_CSI, 1, 0x00);
	KUNIT_EXPECT_EQ(test, evn_nvme_parse_ns_descs(buf, 4096, &ids), 0);
	memset(want.uuid, 0xa1, sizeof(want.uuid));
	KUNIT_EXPECT_EQ(test, memcmp(&ids, &want, sizeof(ids)), 0);

	/* all three, after the CSI one */
	off = evn_put_desc(buf, off, NVME_NIDT_EUI64, 8, 0xe1);
	off = evn_put_desc(buf, off, NVME_NIDT_NGUID, 16, 0x91);
	KUNIT_EXPECT_EQ(test, evn_nvme_parse_ns_descs(buf, 4096, &ids), 0);
	memset(want.eui64, 0xe1, sizeof(want.eui64));
	memset(want.nguid, 0x91, sizeof(want.nguid));
	KUNIT_EXPECT_EQ(test, memcmp(&ids, &want, sizeof(ids)), 0);

	/* a list that fills the buffer exactly ends there */
	KUNIT_EXPECT_EQ(test, evn_nvme_parse_ns_descs(buf, off, &ids), 0);
	/* one running past the end, or a known type of a wrong length */
	KUNIT_EXPECT_EQ(test, evn_nvme_parse_ns_descs(buf, off - 1, &ids),
			-EPROTO);
	evn_put_desc(buf, off, NVME_NIDT_UUID, 15, 0);
	KUNIT_EXPECT_EQ(test, evn_nvme_parse_ns_descs(buf, 4096, &ids),
			-EPROTO);
}

static void evn_ns_ids_from_id_test(struct kunit *test)
{
	struct evn_ns_ids ids = {};
	struct nvme_id_ns *id;

	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	memset(id->eui64, 0x11, sizeof(id->eui64));
	memset(id->nguid, 0x22, sizeof(id->nguid));
	memset(ids.uuid, 0x33, sizeof(ids.uuid));
	evn_nvme_ns_ids_from_id(id, &ids);
	KUNIT_EXPECT_EQ(test, ids.eui64[7], 0x11);
	KUNIT_EXPECT_EQ(test, ids.nguid[15], 0x22);
	KUNIT_EXPECT_EQ(test, ids.uuid[0], 0x33);	/* kept */
}

static void evn_ns_changed_test(struct kunit *test)
{
	struct evn_ns_ids a = {}, b = {};

	memset(a.uuid, 0x5a, sizeof(a.uuid));
	b = a;
	/* same, and larger: fine */
	KUNIT_EXPECT_NULL(test, evn_nvme_ns_changed(&a, 1000, 9, &b, 1000, 9));
	KUNIT_EXPECT_NULL(test, evn_nvme_ns_changed(&a, 1000, 9, &b, 2000, 9));
	/* smaller */
	KUNIT_EXPECT_STREQ(test, evn_nvme_ns_changed(&a, 1000, 9, &b, 999, 9),
			   "namespace is smaller than when the target was added");
	/* the same bytes in 4 KiB blocks: still another block size */
	KUNIT_EXPECT_STREQ(test, evn_nvme_ns_changed(&a, 1024, 9, &b, 128, 12),
			   "namespace has another logical block size");
	/* each identifier counts, a new one appearing too */
	b.uuid[3] ^= 1;
	KUNIT_EXPECT_NOT_NULL(test, evn_nvme_ns_changed(&a, 1, 9, &b, 1, 9));
	b = a;
	b.nguid[0] = 1;
	KUNIT_EXPECT_STREQ(test, evn_nvme_ns_changed(&a, 1, 9, &b, 1, 9),
			   "namespace was replaced: its NGUID, EUI-64 or UUID changed");
	b = a;
	b.eui64[7] = 1;
	KUNIT_EXPECT_NOT_NULL(test, evn_nvme_ns_changed(&a, 1, 9, &b, 1, 9));
}

/* CQT is read from bytes 387:386, little-endian; 0 means not reported. */
static void evn_id_cqt_test(struct kunit *test)
{
	struct nvme_id_ctrl *id;
	u8 *b;

	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	b = (u8 *)id;
	KUNIT_EXPECT_EQ(test, evn_nvme_id_cqt(id), 0);
	b[386] = 0x34;
	b[387] = 0x12;
	KUNIT_EXPECT_EQ(test, evn_nvme_id_cqt(id), 0x1234);
	/* The neighbours are not part of it. */
	b[385] = 0xff;
	b[388] = 0xff;
	KUNIT_EXPECT_EQ(test, evn_nvme_id_cqt(id), 0x1234);
}

static void evn_lba_shift_test(struct kunit *test)
{
	const struct evn_lba_case *c = test->param_value;
	struct nvme_id_ns *id;

	id = kunit_kzalloc(test, sizeof(*id), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	id->flbas = c->flbas;
	id->nlbaf = c->nlbaf;
	id->lbaf[c->index].ds = c->ds;
	id->lbaf[c->index].ms = cpu_to_le16(c->ms);

	KUNIT_EXPECT_EQ(test, evn_nvme_lba_shift(id), c->shift);
}

static struct kunit_case evn_nvme_cmd_test_cases[] = {
	KUNIT_CASE(evn_wire_sizes_test),
	KUNIT_CASE_PARAM(evn_cid_test, evn_cid_gen_params),
	KUNIT_CASE_PARAM(evn_keyed_sgl_test, evn_sgl_gen_params),
	KUNIT_CASE(evn_null_sgl_test),
	KUNIT_CASE_PARAM(evn_setup_rw_test, evn_rw_gen_params),
	KUNIT_CASE(evn_setup_flush_test),
	KUNIT_CASE(evn_setup_write_zeroes_test),
	KUNIT_CASE(evn_setup_dsm_test),
	KUNIT_CASE(evn_dsm_range_test),
	KUNIT_CASE(evn_identify_test),
	KUNIT_CASE_PARAM(evn_set_features_nr_queues_test, evn_nrq_gen_params),
	KUNIT_CASE_PARAM(evn_nr_queues_granted_test, evn_granted_gen_params),
	KUNIT_CASE(evn_keep_alive_test),
	KUNIT_CASE_PARAM(evn_connect_cmd_test, evn_connect_gen_params),
	KUNIT_CASE(evn_connect_data_test),
	KUNIT_CASE(evn_connect_data_long_nqn_test),
	KUNIT_CASE_PARAM(evn_connect_error_test, evn_connect_err_gen_params),
	KUNIT_CASE(evn_prop_get_test),
	KUNIT_CASE(evn_prop_set_test),
	KUNIT_CASE(evn_rdma_cm_req_test),
	KUNIT_CASE(evn_cc_value_test),
	KUNIT_CASE(evn_ready_timeout_test),
	KUNIT_CASE_PARAM(evn_queue_size_test, evn_qsize_gen_params),
	KUNIT_CASE_PARAM(evn_max_hw_sectors_test, evn_mhs_gen_params),
	KUNIT_CASE(evn_sgls_keyed_test),
	KUNIT_CASE(evn_cqe_status_test),
	KUNIT_CASE_PARAM(evn_status_to_blk_test, evn_sts_gen_params),
	KUNIT_CASE_PARAM(evn_disposition_test, evn_disp_gen_params),
	KUNIT_CASE(evn_retry_delay_test),
	KUNIT_CASE(evn_id_cqt_test),
	KUNIT_CASE(evn_ns_descs_test),
	KUNIT_CASE(evn_ns_ids_from_id_test),
	KUNIT_CASE(evn_ns_changed_test),
	KUNIT_CASE_PARAM(evn_lba_shift_test, evn_lba_gen_params),
	{}
};

static struct kunit_suite evn_nvme_cmd_test_suite = {
	.name = "evn_nvme_cmd",
	.test_cases = evn_nvme_cmd_test_cases,
};

kunit_test_suite(evn_nvme_cmd_test_suite);

MODULE_LICENSE("GPL");
