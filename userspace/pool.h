/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool.h - pools in evnadm: the metadata I/O layer (target-set, meta-read,
 * meta-write), loading and saving a pool's table on its targets, the
 * "pool" object (pool.c) and the pool-mode volume commands (volume_pool.c)
 *
 * All policy is here, in userspace; the kernel only moves the bytes of a
 * target's metadata area (Documentation/metadata.rst). A pool is found
 * through the labels of the kernel's targets: every target with a metadata
 * area carries, at offset 0, a label naming its pool. Loading reads the
 * two slots of every target of the pool and keeps the newest valid
 * generation of the table (evn_meta_choose()); saving writes the next
 * generation to every target of the pool, and refuses to write anything
 * unless all of them are connected.
 */
#ifndef EVNADM_POOL_H
#define EVNADM_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/evn.h>

#include "meta.h"
#include "parse.h"	/* EVN_ERRLEN */
#include "target.h"
#include "volume.h"

struct evn_nl;
struct evnadm;
struct json_object;

/* Defaults of "pool create": allocation unit and metadata area. */
#define EVN_POOL_UNIT_DEFAULT	(64ULL << 20)
#define EVN_POOL_META_DEFAULT	EVN_META_AREA_DEFAULT

/* Where the host NQN comes from when -H and EVNADM_HOSTNQN are not given. */
#define EVN_HOSTNQN_FILE	"/etc/nvme/hostnqn"
#define EVN_HOSTNQN_ENV		"EVNADM_HOSTNQN"

/* Room for the kernel's last error message (struct evn_pool_ctx). */
#define EVN_POOL_MSGLEN		256

/**
 * struct evn_pool_piece - one meta-write of a larger image
 * @offset: byte offset in the target's namespace
 * @at: byte offset of the piece in the image
 * @len: bytes, at most EVN_META_IO_MAX
 */
struct evn_pool_piece {
	uint64_t offset;
	size_t at;
	size_t len;
};

/**
 * struct evn_pool_id - a pool whose label a kernel target carries
 * @name: the pool's name, from the first label seen
 * @uuid: the pool's UUID
 */
struct evn_pool_id {
	char name[EVN_NAME_MAX + 1];
	unsigned char uuid[EVN_UUID_LEN];
};

/**
 * struct evn_pool_ctx - what one evnadm command knows of the kernel
 * @nl: the netlink connection; its error stream is @cap, so that every
 *	failure can be reported with what it was about
 * @err: stream for errors and warnings (stderr)
 * @cap: captures what evn_nl_talk() prints
 * @capbuf: @cap's buffer
 * @caplen: its length
 * @capseen: bytes of it already handled
 * @msg: the kernel's (or libnl's) message for the last failed request
 * @features: EVN_F_* of the module (evn_pool_ctx_scan())
 * @module_hostnqn: the module's default host NQN, "" when not reported
 * @targets: the kernel's targets (target-get dump)
 * @volumes: the kernel's volumes (volume-get dump)
 * @labels: the label of each of @targets, valid where @label_ret is 0
 * @label_ret: per target: 0, label read; -ENODATA, no label (no metadata
 *	area, or no evn label); -ENOTCONN, not live; another -errno when the
 *	label could not be read or is damaged
 * @pools: the distinct pools among the labels, in kernel target order
 * @nr_pools: how many
 */
struct evn_pool_ctx {
	struct evn_nl *nl;
	FILE *err;
	FILE *cap;
	char *capbuf;
	size_t caplen;
	size_t capseen;
	char msg[EVN_POOL_MSGLEN];
	uint64_t features;
	char module_hostnqn[EVN_NQN_MAX + 1];
	struct evn_target_list targets;
	struct evn_volume_list volumes;
	struct evn_meta_label *labels;
	int *label_ret;
	struct evn_pool_id *pools;
	size_t nr_pools;
};

/**
 * struct evn_pool_member - one target of a pool table, as this host sees it
 * @kt: the kernel's target for it: the one whose label names it, else one
 *	reaching the same namespace (address, port, NQN, nsid); NULL when
 *	the kernel has none
 * @labeled: @kt carries this target's label and a metadata area large
 *	enough: the pool's metadata can be read and written through it
 */
struct evn_pool_member {
	const struct evn_target *kt;
	bool labeled;
};

/**
 * struct evn_pool - a loaded pool
 * @table: the table of the newest valid generation
 * @generation: its generation (0 for a pool being created)
 * @members: one per target of @table, in table order; malloc()ed
 *
 * Release with evn_pool_free(). The members point into the
 * struct evn_pool_ctx the pool was loaded with.
 */
struct evn_pool {
	struct evn_pool_table table;
	uint64_t generation;
	struct evn_pool_member *members;
};

/**
 * struct evn_pool_create_args - the command line of "evnadm pool create"
 * @name: NAME
 * @targets: the TARGET of each "target" keyword, in order; malloc()ed,
 *	pointing into argv
 * @nr_targets: how many
 * @unit: "unit SIZE", or EVN_POOL_UNIT_DEFAULT
 * @metadata_size: "metadata SIZE", or EVN_POOL_META_DEFAULT
 * @force: "--force"
 */
struct evn_pool_create_args {
	const char *name;
	const char **targets;
	size_t nr_targets;
	uint64_t unit;
	uint64_t metadata_size;
	bool force;
};

/**
 * struct evn_pool_add_args - the command line of "evnadm pool add-target"
 * @pool: "pool NAME", or NULL
 * @target: TARGET
 * @force: "--force"
 */
struct evn_pool_add_args {
	const char *pool;
	const char *target;
	bool force;
};

/**
 * struct evn_pool_import_args - the command line of "evnadm pool import"
 * @traddr: ADDR
 * @port: "port PORT", or EVN_DEFAULT_PORT
 * @subsysnqn: "nqn NQN"
 * @nsid: "nsid N", or 1
 */
struct evn_pool_import_args {
	const char *traddr;
	uint16_t port;
	const char *subsysnqn;
	uint32_t nsid;
};

/**
 * struct evn_volume_pool_args - the command line of a pool-mode volume
 *	command: "create NAME size SIZE ...", "map", "unmap", "del", "grow
 *	NAME size +SIZE"
 * @name: NAME, the volume
 * @pool: "pool NAME", or NULL
 * @size: create: the size; grow: the size to add (@grow_by) or to grow to
 * @grow_by: grow: "+SIZE" was given
 * @layout: create: enum evn_volume_layout (concat by default)
 * @columns: create: "columns N" of a stripe; 0 for one per target
 * @chunk: create: "chunk SIZE" of a stripe; 0 for the default
 * @read_only: map: "ro"
 * @force: map, del: "--force"
 */
struct evn_volume_pool_args {
	const char *name;
	const char *pool;
	uint64_t size;
	bool grow_by;
	uint32_t layout;
	uint32_t columns;
	uint32_t chunk;
	bool read_only;
	bool force;
};

/**
 * enum evn_holder_op - what a command does to a pool volume
 * @EVN_HOLDER_MAP_RW: map it read-write here
 * @EVN_HOLDER_MAP_RO: map it read-only here
 * @EVN_HOLDER_UNMAP: unmap it here
 * @EVN_HOLDER_DELETE: delete it from the pool
 */
enum evn_holder_op {
	EVN_HOLDER_MAP_RW,
	EVN_HOLDER_MAP_RO,
	EVN_HOLDER_UNMAP,
	EVN_HOLDER_DELETE,
};

/**
 * enum evn_holder_action - what evn_pool_holder_decide() says to do
 * @EVN_HOLDER_KEEP: go ahead; the recorded holder stays as it is
 * @EVN_HOLDER_TAKE: go ahead and record this host as the holder (nobody
 *	held the volume)
 * @EVN_HOLDER_TAKE_OVER: go ahead and record this host in place of
 *	another one (forced)
 * @EVN_HOLDER_CLEAR: go ahead and clear the holder (this host held it)
 * @EVN_HOLDER_REFUSE: refuse: another host holds the volume read-write
 */
enum evn_holder_action {
	EVN_HOLDER_KEEP,
	EVN_HOLDER_TAKE,
	EVN_HOLDER_TAKE_OVER,
	EVN_HOLDER_CLEAR,
	EVN_HOLDER_REFUSE,
};

/* pool.c: host identity */
int evn_pool_hostnqn(const char *opt, const char *env, const char *file,
		     const char *module, char *buf, size_t len, char *errbuf,
		     size_t errlen);

/* pool.c: the metadata I/O layer */
int evn_pool_ctx_open(struct evn_pool_ctx *c, FILE *err);
void evn_pool_ctx_close(struct evn_pool_ctx *c);
int evn_pool_ctx_scan(struct evn_pool_ctx *c, bool soft);
const char *evn_pool_ctx_hostnqn(struct evn_pool_ctx *c,
				 const struct evnadm *ea, char *buf,
				 size_t len);
const struct evn_target *evn_pool_ctx_target(const struct evn_pool_ctx *c,
					     const char *name);
const struct evn_volume *evn_pool_ctx_volume(const struct evn_pool_ctx *c,
					     const char *name);
size_t evn_pool_pieces(uint64_t offset, size_t len,
		       struct evn_pool_piece *p, size_t max);
int evn_pool_target_set(struct evn_pool_ctx *c, const char *name,
			uint64_t meta_size);
int evn_pool_meta_read(struct evn_pool_ctx *c, const char *target,
		       uint64_t offset, void *buf, size_t len);
int evn_pool_meta_write(struct evn_pool_ctx *c, const char *target,
			uint64_t offset, const void *buf, size_t len);
int evn_pool_volume_talk(struct evn_pool_ctx *c, uint8_t cmd,
			 const struct evn_volume_args *map, const char *name,
			 struct evn_volume *reply);

/* pool.c: pools */
int evn_pool_select(const struct evn_pool_id *pools, size_t n,
		    const char *name, size_t *idx, char *errbuf,
		    size_t errlen);
int evn_pool_load(struct evn_pool_ctx *c, size_t which, struct evn_pool *p);
int evn_pool_writable(const struct evn_pool *p, char *errbuf, size_t errlen);
int evn_pool_save(struct evn_pool_ctx *c, struct evn_pool *p);
void evn_pool_free(struct evn_pool *p);
int evn_pool_member_index(const struct evn_pool *p,
			  const unsigned char uuid[EVN_UUID_LEN]);

/* pool.c: the "pool" object */
int evn_pool_create_args(int argc, char **argv,
			 struct evn_pool_create_args *a, char *errbuf,
			 size_t errlen);
void evn_pool_create_args_free(struct evn_pool_create_args *a);
int evn_pool_add_args(int argc, char **argv, struct evn_pool_add_args *a,
		      char *errbuf, size_t errlen);
int evn_pool_import_args(int argc, char **argv,
			 struct evn_pool_import_args *a, char *errbuf,
			 size_t errlen);
struct json_object *evn_pool_json(const struct evn_pool *p,
				  const struct evn_volume_list *kvols,
				  const char *hostnqn);
struct json_object *evn_pool_volume_json(const struct evn_pool *p,
					 const struct evn_pool_volume *v,
					 const struct evn_volume_list *kvols);
int evn_pool_print(FILE *f, const struct evn_pool *p,
		   const struct evn_volume_list *kvols, const char *hostnqn);
void evn_pool_summary(FILE *f, const struct evn_pool *p);
size_t evn_pool_free_format(const struct evn_pool *p, char *buf, size_t len);

/* volume_pool.c: pool-mode volume commands */
bool evn_volume_pool_mode(int argc, char **argv);
int evn_volume_size_args(int argc, char **argv,
			 struct evn_volume_pool_args *a, char *errbuf,
			 size_t errlen);
int evn_volume_map_args(int argc, char **argv,
			struct evn_volume_pool_args *a, char *errbuf,
			size_t errlen);
int evn_volume_unmap_args(int argc, char **argv,
			  struct evn_volume_pool_args *a, char *errbuf,
			  size_t errlen);
int evn_volume_del_args(int argc, char **argv,
			struct evn_volume_pool_args *a, char *errbuf,
			size_t errlen);
int evn_volume_grow_size_args(int argc, char **argv,
			      struct evn_volume_pool_args *a, char *errbuf,
			      size_t errlen);
enum evn_holder_action evn_pool_holder_decide(const char *holder,
					      const char *host,
					      enum evn_holder_op op,
					      bool force);
size_t evn_pool_holder_refusal(const char *volume, const char *holder,
			       enum evn_holder_op op, char *buf, size_t len);
int evn_pool_volume_map(const struct evn_pool *p,
			const struct evn_pool_volume *v, bool read_only,
			struct evn_volume_args *a, char *errbuf,
			size_t errlen);
size_t evn_pool_grow_format(const char *what, uint64_t before,
			    uint64_t after, char *buf, size_t len);

int evnadm_volume_pool_create(struct evnadm *ea, int argc, char **argv);
int evnadm_volume_pool_grow(struct evnadm *ea, int argc, char **argv);
int evnadm_volume_map(struct evnadm *ea, int argc, char **argv);
int evnadm_volume_unmap(struct evnadm *ea, int argc, char **argv);
int evnadm_volume_pool_del(struct evnadm *ea, int argc, char **argv,
			   bool *handled);

#endif /* EVNADM_POOL_H */
