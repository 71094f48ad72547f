// SPDX-License-Identifier: GPL-2.0
/*
 * rdma.c - evn's NVMe over Fabrics host transport over RDMA (RC queue pairs)
 *
 * One struct evn_ctrl is one NVMe-oF association with one target address and
 * subsystem: an admin queue (qid 0) and I/O queues 1..nr_io_queues, each an
 * RDMA CM id with a reliable connected QP. It speaks exactly what the Linux
 * nvme-rdma host (drivers/nvme/host/rdma.c) speaks, so stock nvmet-rdma
 * targets work unchanged; it is modelled on that file.
 *
 * Controller states (enum evn_target_state), under evn_ctrl.lock:
 *
 *   NEW --create--> CONNECTING --setup ok--> LIVE
 *   LIVE --error--> RESETTING --queues torn down--> CONNECTING
 *   CONNECTING --reconnect ok--> LIVE, or --failed--> CONNECTING again
 *	after reconnect_delay seconds, forever
 *   any state --evn_ctrl_delete()--> DELETING, then the controller is freed
 *
 * An error is a failed work completion (other than a flush), an RDMA CM
 * disconnect, address change or timewait exit, a failed or late keep alive,
 * a response for an unknown command, or evn_ctrl_timeout(). It moves a LIVE
 * controller to RESETTING and queues err_work, which stops every queue
 * (rdma_disconnect + ib_drain_qp), and only then completes each command
 * still outstanding with EVN_IO_REQUEUE: after the drain the old host queue
 * can no longer complete it. The target's old controller may still execute
 * it, though: when a write-class command was given back, writes wait
 * (evn_ctrl_fence_writes()) until the controller must have stopped, as NVMe
 * 2.1 section 9.6 says: 2 x KATO and its CQT, plus resend_hold for targets
 * that do not stop. Then it frees the queues and schedules reconnect_work. The
 * time of the loss is recorded: evn_ctrl_submit() answers BLK_STS_RESOURCE
 * while the controller is not LIVE, and BLK_STS_IOERR once loss_timeout has
 * passed since the loss.
 *
 * Queues carry their lifecycle as flag bits (enum evn_queue_flags), set in
 * setup order and cleared by idempotent teardown (test_and_clear_bit) under
 * the queue's stop_mutex. Submitters run inside ctrl->srcu read sections and
 * post only to a queue whose LIVE (or, while connecting, CONNECTED) bit is
 * set. The completion handlers post too (LOCAL_INV, receive buffers again):
 * they do so inside an SRCU read section as well, and only while CONNECTED
 * is set. Stopping clears the bits and waits for the SRCU readers before it
 * disconnects and drains, so every work request precedes the drain's and
 * nothing completes after ib_drain_qp() has returned.
 *
 * Every command, admin ones included, takes a slot of its queue: a DMA-mapped
 * SQE buffer, the ib_cqe's of its send, memory registration and invalidation
 * work requests, the MR mapping its data and a reference count for the send
 * and response completions (nvme-rdma's req->ref). The command identifier is
 * the slot index plus a generation counter. Data always travels through a
 * keyed SGL data block descriptor backed by a fast-registration MR taken from
 * the QP's MR pool; the target is asked to invalidate the rkey with its
 * response, and the host invalidates it locally when the target did not.
 *
 * The RDMA CM handler only records events, wakes the connecting thread and
 * queues error recovery; all the work happens in process context.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/refcount.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <rdma/ib_verbs.h>
#include <rdma/mr_pool.h>
#include <rdma/rdma_cm.h>
#include <uapi/linux/evn.h>

#include "compat.h"
#include "nvme_cmd.h"
#include "transport.h"

/* RDMA CM address and route resolution timeout, as nvme-rdma. */
#define EVN_CM_TIMEOUT_MS		3000
/* How long the RDMA connection handshake may take. */
#define EVN_CM_CONNECT_TIMEOUT_MS	10000
/* Largest number of 4 KiB pages one command's MR maps. */
#define EVN_MAX_SEGMENTS		256
/* Send work requests per command: REG_MR, SEND, LOCAL_INV. */
#define EVN_SEND_WR_FACTOR		3
/* Completions per command: the send ones plus the RECV. */
#define EVN_CQ_FACTOR			(EVN_SEND_WR_FACTOR + 1)
/* Longest message of a failed connect (extack and log). */
#define EVN_MSG_LEN			160

static unsigned int io_queue_depth = 128;
module_param(io_queue_depth, uint, 0444);
MODULE_PARM_DESC(io_queue_depth,
		 "Entries per I/O queue when a target asks for none, capped by CAP.MQES (default 128)");

static unsigned int kato = 5;
module_param(kato, uint, 0444);
MODULE_PARM_DESC(kato,
		 "Keep alive timeout in seconds sent in Fabrics Connect; keep alive is sent every kato/2, 0 disables it (default 5)");

static unsigned int resend_hold;
module_param(resend_hold, uint, 0644);
MODULE_PARM_DESC(resend_hold,
		 "Seconds writes given back by a lost association wait, beyond the keep alive timeout and the target's Command Quiesce Time, before writes are sent again (default 0; a target that runs old commands after its keep alive timeout, as nvmet-rdma does while its backend stalls, needs its worst stall here)");

static unsigned int admin_timeout = 30;
module_param(admin_timeout, uint, 0444);
MODULE_PARM_DESC(admin_timeout,
		 "Seconds an admin or Fabrics command may take before the association is reset (default 30)");

static unsigned int shutdown_timeout = 5;
module_param(shutdown_timeout, uint, 0444);
MODULE_PARM_DESC(shutdown_timeout,
		 "Seconds to wait for an orderly controller shutdown when a target is removed (default 5)");

/* The admin command timeout in milliseconds; 0 would mean no wait at all. */
static unsigned int evn_admin_timeout_ms(void)
{
	return max(admin_timeout, 1U) * 1000;
}

/**
 * struct evn_rdma_dev - an RDMA device evn's queues use, shared by them
 * @dev: the RDMA device
 * @pd: protection domain of every queue on @dev
 * @ref: one reference per queue using @dev
 * @entry: in evn_dev_list, under evn_dev_mutex
 * @max_fr_pages: 4 KiB pages one fast-registration MR maps
 */
struct evn_rdma_dev {
	struct ib_device *dev;
	struct ib_pd *pd;
	struct kref ref;
	struct list_head entry;
	u32 max_fr_pages;
};

/**
 * struct evn_qe - a receive buffer for one completion queue entry
 * @cqe: completion of the receive work request
 * @data: the struct nvme_completion buffer
 * @dma: its DMA address on the queue's device
 */
struct evn_qe {
	struct ib_cqe cqe;
	struct nvme_completion *data;
	u64 dma;
};

/**
 * enum evn_queue_flags - lifecycle bits of a queue, set in this order
 * @EVN_Q_ALLOCATED: CM id, QP and buffers exist and the RDMA connection
 *	was established (cleared by evn_queue_free())
 * @EVN_Q_TR_READY: CQ, QP, receive ring, slots and MR pool exist
 * @EVN_Q_CONNECTED: the RDMA connection is up and receives are posted;
 *	Fabrics Connect may be sent (cleared when stopping)
 * @EVN_Q_LIVE: Fabrics Connect succeeded; commands may be sent (cleared
 *	when stopping)
 * @EVN_Q_ERROR: an error was seen on the queue; synchronous waiters give up
 */
enum evn_queue_flags {
	EVN_Q_ALLOCATED,
	EVN_Q_TR_READY,
	EVN_Q_CONNECTED,
	EVN_Q_LIVE,
	EVN_Q_ERROR,
};

struct evn_queue;

/**
 * struct evn_slot - one command slot of a queue
 * @queue: the queue owning the slot
 * @sqe: the submission queue entry buffer, DMA-mapped to the device
 * @sqe_dma: DMA address of @sqe
 * @send_cqe: completion of the SEND of @sqe
 * @reg_cqe: completion of the REG_MR or LOCAL_INV work request
 * @reg_wr: the memory registration work request
 * @sge: the gather entry of the SEND
 * @one_sg: scatterlist for data held in one linear buffer
 * @mr: the MR mapping the data, or NULL
 * @sgl: the DMA-mapped data segments
 * @nents: entries of @sgl passed to ib_dma_map_sg(), 0 when none
 * @dir: direction of the data
 * @io: the outstanding command, NULL while the slot is free
 * @result_out: where to copy the completion's result, or NULL
 * @ref: the SEND and response completions still to come
 * @cid: command identifier of the outstanding command
 * @gen: generation, bumped each time the slot is taken
 * @has_rsp: the response arrived
 * @status: status field of the response
 * @result: result field of the response
 */
struct evn_slot {
	struct evn_queue *queue;
	struct nvme_command *sqe;
	u64 sqe_dma;
	struct ib_cqe send_cqe;
	struct ib_cqe reg_cqe;
	struct ib_reg_wr reg_wr;
	struct ib_sge sge;
	struct scatterlist one_sg;
	struct ib_mr *mr;
	struct scatterlist *sgl;
	int nents;
	enum dma_data_direction dir;
	struct evn_io *io;
	union nvme_result *result_out;
	refcount_t ref;
	u16 cid;
	u16 gen;
	bool has_rsp;
	__le16 status;
	union nvme_result result;
};

/**
 * struct evn_queue - one NVMe queue pair over one RDMA connection
 * @ctrl: the controller
 * @qid: queue id, 0 for the admin queue
 * @flags: enum evn_queue_flags
 * @stop_mutex: serialises allocation, stopping and freeing of the queue
 * @incarnation: bumped at each allocation, under @stop_mutex
 * @cm_id: the RDMA CM id
 * @dev: the RDMA device, referenced
 * @ibdev: @dev->dev while TR_READY, for device removal
 * @cq: completion queue from the device's CQ pool
 * @cq_size: entries taken from the CQ pool
 * @qp: the RC queue pair
 * @size: entries of the NVMe queue (host receive queue size)
 * @nr_slots: commands outstanding at most: @size - 1
 * @slots: @nr_slots command slots
 * @busy: bitmap of the slots in use, under @lock
 * @nr_busy: slots in use, under @lock
 * @lock: protects @busy and @nr_busy
 * @rsp_ring: @size receive buffers
 * @cm_done: completed by the CM handler with an event for the connect step
 * @cm_event: the event
 * @cm_status: its status
 * @cm_rej_sts: NVMe/RDMA status of a reject, 0 if none
 */
struct evn_queue {
	struct evn_ctrl *ctrl;
	u16 qid;
	unsigned long flags;
	struct mutex stop_mutex;	/* alloc/stop/free of this queue */
	unsigned int incarnation;
	struct rdma_cm_id *cm_id;
	struct evn_rdma_dev *dev;
	struct ib_device *ibdev;
	struct ib_cq *cq;
	int cq_size;
	struct ib_qp *qp;
	unsigned int size;
	unsigned int nr_slots;
	struct evn_slot *slots;
	unsigned long *busy;
	unsigned int nr_busy;
	spinlock_t lock;		/* protects @busy, @nr_busy */
	struct evn_qe *rsp_ring;
	struct completion cm_done;
	enum rdma_cm_event_type cm_event;
	int cm_status;
	u16 cm_rej_sts;
};

/* Bits of evn_ctrl.ka_flags */
#define EVN_KA_BUSY	0

/**
 * struct evn_ctrl - one NVMe over Fabrics association
 * @entry: in evn_ctrl_list, under evn_ctrl_mutex
 * @opts: how to reach the controller
 * @lock: protects @state, @loss_time, @reconnects, @notify, @notify_data
 * @state: enum evn_target_state; read locklessly with smp_load_acquire()
 * @loss_time: jiffies when the controller was last lost
 * @loss_reported: the loss timeout expiry was logged for this loss
 * @reconnects: successful reconnects since creation
 * @attempts: reconnect attempts since the loss (recovery work only)
 * @setup_error: why the last reconnect attempt failed (recovery work only)
 * @notify: state change callback, or NULL
 * @notify_data: its argument
 * @notify_work: calls @notify in process context
 * @err_work: error recovery: tear the queues down
 * @reconnect_work: reconnect attempt, every reconnect_delay seconds
 * @ka_work: sends Keep Alive every kato/2 and checks the last one
 * @ka_io: the keep alive command
 * @ka_flags: EVN_KA_BUSY while @ka_io is outstanding
 * @ka_sent: jiffies when @ka_io was sent
 * @srcu: whoever posts to a queue (submitters, completion handlers)
 *	read-locks it; stopping a queue waits for them
 * @wq: connect steps and synchronous commands wait here
 * @queues: [0] the admin queue, [1..@max_io_queues] I/O queues
 * @max_io_queues: I/O queues allocated in @queues
 * @nr_io_queues: I/O queues of the current association
 * @io_queue_size: entries per I/O queue
 * @kato: keep alive timeout in seconds
 * @cap: CAP property
 * @cc: Controller Configuration written (with CC.EN)
 * @cntlid: controller id
 * @oncs: Optional NVM Command Support
 * @crdt: Command Retry Delay Times 1-3, in 100 ms (Identify Controller)
 * @vwc: volatile write cache present
 * @max_hw_sectors: largest transfer in 512-byte sectors
 * @max_segments: largest number of data segments per command
 * @cqt: Command Quiesce Time in ms (Identify Controller), 0 if not reported
 * @timeouts: commands that timed out (evn_ctrl_timeout() calls: one per
 *	outstanding piece of a timed-out request, and per metadata wait)
 * @writes_cancelled: a write-class command was given back by the last
 *	teardown without a response (set by teardowns, read by err_work)
 * @fenced: writes wait until @write_fence (see evn_ctrl_fence_writes())
 * @write_fence: jiffies before which no write-class command is sent
 * @kato_warned: the warning that kato=0 leaves writes unprotected was given
 * @watches: struct evn_ns_watch of the namespaces checked at every
 *	reconnect (evn_ctrl_watch_ns()), under @lock
 * @nr_failed: entries of @watches that failed a check, under @lock
 * @promised_max_hw_sectors: the largest transfer a volume was made for
 *	(evn_ctrl_promise_limits()), which reconnects must offer, under @lock
 * @promised_max_segments: likewise for data segments
 */
struct evn_ctrl {
	struct list_head entry;
	struct evn_ctrl_opts opts;

	spinlock_t lock;	/* state, loss time, reconnects, notify */
	enum evn_target_state state;
	unsigned long loss_time;
	bool loss_reported;
	u32 reconnects;
	unsigned int attempts;
	char setup_error[EVN_MSG_LEN];
	void (*notify)(void *data);
	void *notify_data;
	struct work_struct notify_work;

	struct work_struct err_work;
	struct delayed_work reconnect_work;
	struct delayed_work ka_work;
	struct evn_io ka_io;
	unsigned long ka_flags;
	unsigned long ka_sent;

	struct srcu_struct srcu;
	wait_queue_head_t wq;
	struct evn_queue *queues;
	unsigned int max_io_queues;
	unsigned int nr_io_queues;
	unsigned int io_queue_size;
	unsigned int kato;

	u64 cap;
	u32 cc;
	u16 cntlid;
	u16 oncs;
	u16 crdt[3];
	bool vwc;
	u32 max_hw_sectors;
	u32 max_segments;
	u16 cqt;

	atomic_t timeouts;
	bool writes_cancelled;
	bool fenced;
	unsigned long write_fence;
	bool kato_warned;

	struct list_head watches;
	unsigned int nr_failed;
	u32 promised_max_hw_sectors;
	u32 promised_max_segments;
};

/**
 * struct evn_ns_watch - a namespace a controller checks at every reconnect
 * @entry: in evn_ctrl.watches
 * @nsid: namespace id
 * @info: what it was when it was added: identifiers, size, block size
 * @failed: NULL, or why it is no longer the namespace it was (a static
 *	string): its I/O fails from then on
 */
struct evn_ns_watch {
	struct list_head entry;
	u32 nsid;
	struct evn_ns_info info;
	const char *failed;
};

/**
 * struct evn_data - the data of a command
 * @sgl: data segments, or NULL
 * @nents: entries of @sgl
 * @buf: or one linear buffer (kmalloc'ed), or NULL
 * @len: bytes of @buf
 * @dir: DMA direction
 */
struct evn_data {
	struct scatterlist *sgl;
	int nents;
	void *buf;
	unsigned int len;
	enum dma_data_direction dir;
};

/**
 * struct evn_sync_cmd - an admin or Fabrics command waited for
 * @io: the command as the slot sees it
 * @ctrl: the controller, to wake its waiters
 * @finished: @io completed (release/acquire)
 * @status: its completion status
 * @result: result field of the response
 */
struct evn_sync_cmd {
	struct evn_io io;
	struct evn_ctrl *ctrl;
	bool finished;
	blk_status_t status;
	union nvme_result result;
};

/* evn_sync() flags */
#define EVN_SYNC_CONNECT	BIT(0)	/* may go to a queue not yet LIVE */
#define EVN_SYNC_ABORTABLE	BIT(1)	/* give up when the ctrl is deleted */

static LIST_HEAD(evn_dev_list);
static DEFINE_MUTEX(evn_dev_mutex);

static LIST_HEAD(evn_ctrl_list);
static DEFINE_MUTEX(evn_ctrl_mutex);
static DECLARE_WAIT_QUEUE_HEAD(evn_ctrl_list_wq);

/* Error recovery, reconnects and keep alive run here. */
static struct workqueue_struct *evn_wq;

/*
 * A formatted extack message (6.1 has no NL_SET_ERR_MSG_FMT(), and 6.2's
 * holds 80 bytes) must outlive the doit: the netlink core builds the ack
 * after it returns. The text goes to one of a ring of static buffers, taken
 * in turn; commands run in parallel (parallel_ops), and a buffer is reused
 * only after EVN_EXTACK_BUFS - 1 more failed connects, far more than acks
 * are in flight at once. Each buffer always ends with a NUL.
 */
#define EVN_EXTACK_BUFS		16
static char evn_extack_bufs[EVN_EXTACK_BUFS][EVN_MSG_LEN];
static atomic_t evn_extack_next = ATOMIC_INIT(0);

/* Log a line about @ctrl, prefixed with its address and subsystem NQN. */
static __printf(3, 4) void evn_ctrl_printk(int level,
					   const struct evn_ctrl *ctrl,
					   const char *fmt, ...)
{
	const struct sockaddr_storage *addr = &ctrl->opts.addr;
	const char *nqn = ctrl->opts.subsysnqn;
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	switch (level) {
	case LOGLEVEL_ERR:
		pr_err("%pISpc %s: %pV", addr, nqn, &vaf);
		break;
	case LOGLEVEL_WARNING:
		pr_warn("%pISpc %s: %pV", addr, nqn, &vaf);
		break;
	default:
		pr_info("%pISpc %s: %pV", addr, nqn, &vaf);
		break;
	}
	va_end(args);
}

#define evn_ctrl_info(ctrl, fmt, ...)					\
	evn_ctrl_printk(LOGLEVEL_INFO, ctrl, fmt, ##__VA_ARGS__)
#define evn_ctrl_warn(ctrl, fmt, ...)					\
	evn_ctrl_printk(LOGLEVEL_WARNING, ctrl, fmt, ##__VA_ARGS__)
#define evn_ctrl_err(ctrl, fmt, ...)					\
	evn_ctrl_printk(LOGLEVEL_ERR, ctrl, fmt, ##__VA_ARGS__)

/* Rate-limited variants, for messages an error may repeat. */
#define evn_ctrl_printk_rl(level, ctrl, fmt, ...)			\
do {									\
	static DEFINE_RATELIMIT_STATE(_rs, DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);		\
									\
	if (__ratelimit(&_rs))						\
		evn_ctrl_printk(level, ctrl, fmt, ##__VA_ARGS__);	\
} while (0)
#define evn_ctrl_info_rl(ctrl, fmt, ...)				\
	evn_ctrl_printk_rl(LOGLEVEL_INFO, ctrl, fmt, ##__VA_ARGS__)
#define evn_ctrl_err_rl(ctrl, fmt, ...)					\
	evn_ctrl_printk_rl(LOGLEVEL_ERR, ctrl, fmt, ##__VA_ARGS__)

static u16 evn_addr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/*
 * Report why setting up the association failed: into @extack and the kernel
 * log on creation; on reconnect attempts into ctrl->setup_error, which
 * evn_reconnect_work() logs now and then.
 */
static __printf(3, 4) void evn_setup_error(struct evn_ctrl *ctrl,
					   struct netlink_ext_ack *extack,
					   const char *fmt, ...)
{
	char msg[EVN_MSG_LEN], *buf;
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);

	if (!extack) {
		strscpy(ctrl->setup_error, msg, sizeof(ctrl->setup_error));
		return;
	}
	evn_ctrl_err(ctrl, "%s\n", msg);
	buf = evn_extack_bufs[(unsigned int)atomic_inc_return(&evn_extack_next) %
			      EVN_EXTACK_BUFS];
	strscpy(buf, msg, EVN_MSG_LEN);
	extack->_msg = buf;
}

/* ---- controller state ------------------------------------------------- */

static bool evn_state_allowed(enum evn_target_state old,
			      enum evn_target_state new)
{
	switch (new) {
	case EVN_TARGET_STATE_CONNECTING:
		return old == EVN_TARGET_STATE_NEW ||
		       old == EVN_TARGET_STATE_RESETTING;
	case EVN_TARGET_STATE_LIVE:
		return old == EVN_TARGET_STATE_CONNECTING;
	case EVN_TARGET_STATE_RESETTING:
		return old == EVN_TARGET_STATE_LIVE;
	case EVN_TARGET_STATE_DELETING:
		return old != EVN_TARGET_STATE_DELETING;
	default:
		return false;
	}
}

/*
 * Move @ctrl to @new if the state machine allows it from the current state.
 * The state notification, and error recovery on entering RESETTING, are
 * queued under the lock: evn_ctrl_delete() moves to DELETING under it too,
 * so the works it then flushes and cancels can no longer be queued behind
 * its back. Any context.
 */
static bool evn_ctrl_change_state(struct evn_ctrl *ctrl,
				  enum evn_target_state new)
{
	unsigned long flags;
	bool changed;

	spin_lock_irqsave(&ctrl->lock, flags);
	changed = evn_state_allowed(ctrl->state, new);
	if (changed) {
		if (new == EVN_TARGET_STATE_RESETTING) {
			ctrl->loss_time = jiffies;
			ctrl->loss_reported = false;
		}
		/* Pairs with smp_load_acquire() in lockless readers. */
		smp_store_release(&ctrl->state, new);
		schedule_work(&ctrl->notify_work);
		if (new == EVN_TARGET_STATE_RESETTING)
			queue_work(evn_wq, &ctrl->err_work);
	}
	spin_unlock_irqrestore(&ctrl->lock, flags);
	return changed;
}

static enum evn_target_state evn_ctrl_state(struct evn_ctrl *ctrl)
{
	/* Pairs with smp_store_release() in evn_ctrl_change_state(). */
	return smp_load_acquire(&ctrl->state);
}

static bool evn_ctrl_deleting(struct evn_ctrl *ctrl)
{
	return evn_ctrl_state(ctrl) == EVN_TARGET_STATE_DELETING;
}

static void evn_ctrl_notify_work(struct work_struct *work)
{
	struct evn_ctrl *ctrl = container_of(work, struct evn_ctrl,
					     notify_work);
	void (*notify)(void *data);
	void *data;

	spin_lock_irq(&ctrl->lock);
	notify = ctrl->notify;
	data = ctrl->notify_data;
	spin_unlock_irq(&ctrl->lock);

	if (notify)
		notify(data);
}

/* Start error recovery (err_work) if @ctrl is LIVE. Any context. */
static void evn_ctrl_error_recovery(struct evn_ctrl *ctrl)
{
	evn_ctrl_change_state(ctrl, EVN_TARGET_STATE_RESETTING);
}

/* An error on @q: wake whoever waits on it and recover the controller. */
static void evn_queue_error(struct evn_queue *q)
{
	set_bit(EVN_Q_ERROR, &q->flags);
	wake_up_all(&q->ctrl->wq);
	evn_ctrl_error_recovery(q->ctrl);
}

/* ---- RDMA devices ----------------------------------------------------- */

static void evn_dev_free(struct kref *ref)
{
	struct evn_rdma_dev *dev = container_of(ref, struct evn_rdma_dev, ref);

	mutex_lock(&evn_dev_mutex);
	list_del(&dev->entry);
	mutex_unlock(&evn_dev_mutex);

	ib_dealloc_pd(dev->pd);
	kfree(dev);
}

static void evn_dev_put(struct evn_rdma_dev *dev)
{
	kref_put(&dev->ref, evn_dev_free);
}

/* The shared evn_rdma_dev of @ibdev, created on first use. */
static struct evn_rdma_dev *evn_dev_get(struct ib_device *ibdev)
{
	struct evn_rdma_dev *dev;

	mutex_lock(&evn_dev_mutex);
	list_for_each_entry(dev, &evn_dev_list, entry) {
		if (dev->dev == ibdev && kref_get_unless_zero(&dev->ref))
			goto out_unlock;
	}

	if (!(ibdev->attrs.device_cap_flags & IB_DEVICE_MEM_MGT_EXTENSIONS)) {
		dev = ERR_PTR(-EOPNOTSUPP);
		goto out_unlock;
	}

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		dev = ERR_PTR(-ENOMEM);
		goto out_unlock;
	}
	dev->dev = ibdev;
	kref_init(&dev->ref);
	dev->pd = ib_alloc_pd(ibdev, 0);
	if (IS_ERR(dev->pd)) {
		int ret = PTR_ERR(dev->pd);

		kfree(dev);
		dev = ERR_PTR(ret);
		goto out_unlock;
	}
	dev->max_fr_pages = min_t(u32, EVN_MAX_SEGMENTS,
				  ibdev->attrs.max_fast_reg_page_list_len - 1);
	list_add(&dev->entry, &evn_dev_list);
out_unlock:
	mutex_unlock(&evn_dev_mutex);
	return dev;
}

/* ---- slots ------------------------------------------------------------ */

/* A free slot of @q, or NULL; *@idle: no other command was outstanding. */
static struct evn_slot *evn_slot_get(struct evn_queue *q, bool *idle)
{
	struct evn_slot *slot;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&q->lock, flags);
	i = find_first_zero_bit(q->busy, q->nr_slots);
	if (i >= q->nr_slots) {
		spin_unlock_irqrestore(&q->lock, flags);
		return NULL;
	}
	__set_bit(i, q->busy);
	*idle = !q->nr_busy++;
	spin_unlock_irqrestore(&q->lock, flags);

	slot = &q->slots[i];
	slot->gen++;
	slot->cid = evn_nvme_cid(i, slot->gen);
	return slot;
}

static void evn_slot_put(struct evn_queue *q, struct evn_slot *slot)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	__clear_bit(slot - q->slots, q->busy);
	q->nr_busy--;
	spin_unlock_irqrestore(&q->lock, flags);
}

static void evn_slot_unmap(struct evn_queue *q, struct evn_slot *slot)
{
	if (slot->mr) {
		ib_mr_pool_put(q->qp, &q->qp->rdma_mrs, slot->mr);
		slot->mr = NULL;
	}
	if (slot->nents) {
		ib_dma_unmap_sg(q->dev->dev, slot->sgl, slot->nents, slot->dir);
		slot->nents = 0;
	}
}

/*
 * An error @status with block status @sts: EVN_IO_RETRY for a caller that
 * retries when the controller allows it (DNR clear), with the details in
 * @io; else @sts.
 */
static blk_status_t evn_io_retry(struct evn_ctrl *ctrl, struct evn_io *io,
				 u16 status, blk_status_t sts)
{
	switch (evn_nvme_disposition(status)) {
	case EVN_NVME_WAIT:
		io->retry_wait = true;
		break;
	case EVN_NVME_RETRY:
		io->retry_wait = false;
		break;
	default:
		return sts;
	}
	io->retry_delay_ms = evn_nvme_retry_delay_ms(status, ctrl->crdt);
	io->retry_sts = sts;
	return EVN_IO_RETRY;
}

/* Commands that change the namespace's data. */
static bool evn_opcode_writes(u8 opcode)
{
	return opcode == nvme_cmd_write || opcode == nvme_cmd_write_zeroes ||
	       opcode == nvme_cmd_dsm;
}

/*
 * Finish the command of @slot: release its data and the slot, then call its
 * done callback exactly once. @cancelled: the queue was stopped under it;
 * unless its response had arrived it completes with EVN_IO_REQUEUE.
 */
static void evn_slot_complete(struct evn_slot *slot, bool cancelled)
{
	struct evn_queue *q = slot->queue;
	struct evn_io *io = slot->io;
	blk_status_t sts;
	u16 status;

	if (cancelled && !slot->has_rsp) {
		status = NVME_SC_HOST_ABORTED_CMD;
		sts = EVN_IO_REQUEUE;
		/* The old controller may still run it: see evn_err_work(). */
		if (q->qid && evn_opcode_writes(io->opcode))
			q->ctrl->writes_cancelled = true;
	} else {
		status = evn_nvme_cqe_status(slot->status);
		sts = evn_nvme_status_to_blk(status);
		if (sts != BLK_STS_OK && io->retry_ok)
			sts = evn_io_retry(q->ctrl, io, status, sts);
	}

	evn_slot_unmap(q, slot);
	if (slot->result_out)
		*slot->result_out = slot->result;
	slot->result_out = NULL;
	slot->io = NULL;
	io->tr_priv = NULL;
	io->result = status;
	evn_slot_put(q, slot);
	io->done(io, sts);
}

static void evn_slot_end(struct evn_slot *slot)
{
	if (refcount_dec_and_test(&slot->ref))
		evn_slot_complete(slot, false);
}

/* Complete every command still outstanding; the QP must be drained. */
static void evn_queue_cancel_all(struct evn_queue *q)
{
	unsigned int i;

	for_each_set_bit(i, q->busy, q->nr_slots) {
		if (!WARN_ON_ONCE(!q->slots[i].io))
			evn_slot_complete(&q->slots[i], true);
	}
}

/* ---- completions ------------------------------------------------------ */

static void evn_wr_error(struct ib_wc *wc, const char *op)
{
	struct evn_queue *q = wc->qp->qp_context;

	if (wc->status != IB_WC_WR_FLUSH_ERR)
		evn_ctrl_err_rl(q->ctrl, "%s failed on queue %u: %s (%d)\n",
				op, q->qid, ib_wc_status_msg(wc->status),
				wc->status);
	evn_queue_error(q);
}

static void evn_send_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct evn_slot *slot = container_of(wc->wr_cqe, struct evn_slot,
					     send_cqe);

	if (unlikely(wc->status != IB_WC_SUCCESS))
		evn_wr_error(wc, "SEND");
	else
		evn_slot_end(slot);
}

static void evn_reg_done(struct ib_cq *cq, struct ib_wc *wc)
{
	if (unlikely(wc->status != IB_WC_SUCCESS))
		evn_wr_error(wc, "MEMREG");
}

static void evn_inv_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct evn_slot *slot = container_of(wc->wr_cqe, struct evn_slot,
					     reg_cqe);

	if (unlikely(wc->status != IB_WC_SUCCESS))
		evn_wr_error(wc, "LOCAL_INV");
	else
		evn_slot_end(slot);
}

static int evn_post_inv(struct evn_queue *q, struct evn_slot *slot)
{
	struct ib_send_wr wr = {
		.opcode		    = IB_WR_LOCAL_INV,
		.send_flags	    = IB_SEND_SIGNALED,
		.ex.invalidate_rkey = slot->mr->rkey,
		.wr_cqe		    = &slot->reg_cqe,
	};

	slot->reg_cqe.done = evn_inv_done;
	return ib_post_send(q->qp, &wr, NULL);
}

static void evn_recv_done(struct ib_cq *cq, struct ib_wc *wc);

static int evn_post_recv(struct evn_queue *q, struct evn_qe *qe)
{
	struct ib_sge sge = {
		.addr	= qe->dma,
		.length	= sizeof(struct nvme_completion),
		.lkey	= q->dev->pd->local_dma_lkey,
	};
	struct ib_recv_wr wr = {
		.wr_cqe	 = &qe->cqe,
		.sg_list = &sge,
		.num_sge = 1,
	};

	qe->cqe.done = evn_recv_done;
	return ib_post_recv(q->qp, &wr, NULL);
}

/* A response arrived: find its slot and end the command (or invalidate). */
static void evn_process_rsp(struct evn_queue *q, struct nvme_completion *cqe,
			    struct ib_wc *wc)
{
	unsigned int index = evn_nvme_cid_index(cqe->command_id);
	struct evn_slot *slot;
	int ret;

	slot = index < q->nr_slots ? &q->slots[index] : NULL;
	if (unlikely(!slot || !slot->io || slot->cid != cqe->command_id ||
		     slot->has_rsp)) {
		evn_ctrl_err_rl(q->ctrl, "bad command id %#x on queue %u\n",
				cqe->command_id, q->qid);
		evn_queue_error(q);
		return;
	}

	slot->status = cqe->status;
	slot->result = cqe->result;
	slot->has_rsp = true;

	if (wc->wc_flags & IB_WC_WITH_INVALIDATE) {
		if (unlikely(!slot->mr ||
			     wc->ex.invalidate_rkey != slot->mr->rkey)) {
			evn_ctrl_err_rl(q->ctrl,
					"bogus remote invalidation of rkey %#x on queue %u\n",
					wc->ex.invalidate_rkey, q->qid);
			evn_queue_error(q);
		}
	} else if (slot->mr) {
		/*
		 * Stopping: the QP is going to the error state and the drain
		 * may be posted already. evn_queue_cancel_all() ends the
		 * command with the response it got.
		 */
		if (!test_bit(EVN_Q_CONNECTED, &q->flags))
			return;
		ret = evn_post_inv(q, slot);
		if (unlikely(ret)) {
			evn_ctrl_err_rl(q->ctrl,
					"posting LOCAL_INV on queue %u failed (%d)\n",
					q->qid, ret);
			evn_queue_error(q);
		}
		/* The invalidation's completion ends the command. */
		return;
	}

	evn_slot_end(slot);
}

static void evn_recv_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct evn_qe *qe = container_of(wc->wr_cqe, struct evn_qe, cqe);
	struct evn_queue *q = wc->qp->qp_context;
	struct ib_device *ibdev = q->dev->dev;
	const size_t len = sizeof(struct nvme_completion);
	int idx;

	if (unlikely(wc->status != IB_WC_SUCCESS)) {
		evn_wr_error(wc, "RECV");
		return;
	}
	if (unlikely(wc->byte_len < len)) {
		evn_ctrl_err_rl(q->ctrl, "short completion (%u bytes) on queue %u\n",
				wc->byte_len, q->qid);
		evn_queue_error(q);
		return;
	}

	ib_dma_sync_single_for_cpu(ibdev, qe->dma, len, DMA_FROM_DEVICE);
	/* Posts (LOCAL_INV, the receive again) must precede a stop's drain. */
	idx = srcu_read_lock(&q->ctrl->srcu);
	evn_process_rsp(q, qe->data, wc);
	ib_dma_sync_single_for_device(ibdev, qe->dma, len, DMA_FROM_DEVICE);

	if (test_bit(EVN_Q_CONNECTED, &q->flags) &&
	    unlikely(evn_post_recv(q, qe)))
		evn_queue_error(q);
	srcu_read_unlock(&q->ctrl->srcu, idx);
}

/* ---- submission ------------------------------------------------------- */

/* DMA-map the data of @slot and describe it in its SQE. */
static int evn_slot_map(struct evn_queue *q, struct evn_slot *slot,
			const struct evn_data *data)
{
	struct ib_device *ibdev = q->dev->dev;
	struct nvme_command *c = slot->sqe;
	int nents, count, nr, ret;

	if (!data || (!data->sgl && !data->buf)) {
		evn_nvme_set_null_sgl(c);
		return 0;
	}

	if (data->buf) {
		sg_init_one(&slot->one_sg, data->buf, data->len);
		slot->sgl = &slot->one_sg;
		nents = 1;
	} else {
		slot->sgl = data->sgl;
		nents = data->nents;
	}
	slot->dir = data->dir;

	count = ib_dma_map_sg(ibdev, slot->sgl, nents, slot->dir);
	if (unlikely(count <= 0))
		return -EIO;
	slot->nents = nents;

	slot->mr = ib_mr_pool_get(q->qp, &q->qp->rdma_mrs);
	if (WARN_ON_ONCE(!slot->mr)) {
		ret = -EAGAIN;
		goto out_unmap;
	}

	/* 4 KiB MR pages: the controller page size and virt boundary. */
	nr = ib_map_mr_sg(slot->mr, slot->sgl, count, NULL, SZ_4K);
	if (unlikely(nr < count)) {
		ret = nr < 0 ? nr : -EINVAL;
		goto out_put_mr;
	}

	ib_update_fast_reg_key(slot->mr, ib_inc_rkey(slot->mr->rkey));

	slot->reg_cqe.done = evn_reg_done;
	memset(&slot->reg_wr, 0, sizeof(slot->reg_wr));
	slot->reg_wr.wr.opcode = IB_WR_REG_MR;
	slot->reg_wr.wr.wr_cqe = &slot->reg_cqe;
	slot->reg_wr.mr = slot->mr;
	slot->reg_wr.key = slot->mr->rkey;
	slot->reg_wr.access = IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_READ |
			      IB_ACCESS_REMOTE_WRITE;

	evn_nvme_set_keyed_sgl(c, slot->mr->iova, slot->mr->length,
			       slot->mr->rkey, true);
	return 0;

out_put_mr:
	ib_mr_pool_put(q->qp, &q->qp->rdma_mrs, slot->mr);
	slot->mr = NULL;
out_unmap:
	ib_dma_unmap_sg(ibdev, slot->sgl, nents, slot->dir);
	slot->nents = 0;
	return ret;
}

/*
 * Send @cmd with @data on @q for @io, which completes through io->done().
 * Called inside a ctrl->srcu read section, interrupts enabled; never sleeps.
 *
 * Return: 0, -ENOTCONN when the queue does not take commands, -EAGAIN when
 * no slot is free, -EIO or -EINVAL when the data cannot be mapped.
 */
static int evn_queue_post(struct evn_queue *q, struct evn_io *io,
			  const struct nvme_command *cmd,
			  const struct evn_data *data,
			  union nvme_result *result_out, bool connecting)
{
	struct ib_send_wr wr = {}, *first = &wr;
	struct ib_device *ibdev;
	struct evn_slot *slot;
	bool idle;
	int ret;

	if (!test_bit(EVN_Q_LIVE, &q->flags) &&
	    !(connecting && test_bit(EVN_Q_CONNECTED, &q->flags)))
		return -ENOTCONN;

	slot = evn_slot_get(q, &idle);
	if (!slot)
		return -EAGAIN;
	ibdev = q->dev->dev;

	ib_dma_sync_single_for_cpu(ibdev, slot->sqe_dma, sizeof(*cmd),
				   DMA_TO_DEVICE);
	memcpy(slot->sqe, cmd, sizeof(*cmd));
	slot->sqe->common.command_id = slot->cid;
	slot->io = io;
	slot->result_out = result_out;
	slot->has_rsp = false;
	slot->status = 0;
	memset(&slot->result, 0, sizeof(slot->result));
	refcount_set(&slot->ref, 2);	/* SEND and response completions */

	ret = evn_slot_map(q, slot, data);
	if (unlikely(ret))
		goto out_put_slot;

	ib_dma_sync_single_for_device(ibdev, slot->sqe_dma, sizeof(*cmd),
				      DMA_TO_DEVICE);

	slot->sge.addr = slot->sqe_dma;
	slot->sge.length = sizeof(struct nvme_command);
	slot->sge.lkey = q->dev->pd->local_dma_lkey;
	wr.wr_cqe = &slot->send_cqe;
	wr.sg_list = &slot->sge;
	wr.num_sge = 1;
	wr.opcode = IB_WR_SEND;
	wr.send_flags = IB_SEND_SIGNALED;
	if (slot->mr) {
		slot->reg_wr.wr.next = &wr;
		first = &slot->reg_wr.wr;
	}

	io->tr_priv = slot;
	/*
	 * Soft-RoCE (rxe) of Linux 6.1 sends from a tasklet, which a post
	 * from process context leaves to ksoftirqd: a wakeup and a context
	 * switch on the path of every command. With bottom halves off, the
	 * tasklet runs right here when they are enabled again, so a lone
	 * command is sent at once. With other commands in flight, from this
	 * caller or on this queue, leave it to ksoftirqd, which sends them
	 * in one run while the submitter goes on: sending inline then halved
	 * 4 KiB QD32 IOPS in the VM rig. A hardware device only rings a
	 * doorbell either way, and later rxe versions queue their send work
	 * on a workqueue, which this does not change.
	 */
	if (io->send_now && idle) {
		local_bh_disable();
		ret = ib_post_send(q->qp, first, NULL);
		local_bh_enable();
	} else {
		ret = ib_post_send(q->qp, first, NULL);
	}
	if (unlikely(ret)) {
		evn_ctrl_err_rl(q->ctrl, "posting a command on queue %u failed (%d)\n",
				q->qid, ret);
		io->tr_priv = NULL;
		evn_slot_unmap(q, slot);
		evn_queue_error(q);
		ret = -ENOTCONN;
		goto out_put_slot;
	}
	return 0;

out_put_slot:
	slot->io = NULL;
	slot->result_out = NULL;
	evn_slot_put(q, slot);
	return ret;
}

/* ---- queue setup and teardown ----------------------------------------- */

static void evn_ring_free(struct evn_queue *q, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		ib_dma_unmap_single(q->dev->dev, q->rsp_ring[i].dma,
				    sizeof(struct nvme_completion),
				    DMA_FROM_DEVICE);
		kfree(q->rsp_ring[i].data);
	}
	kfree(q->rsp_ring);
	q->rsp_ring = NULL;
}

static int evn_ring_alloc(struct evn_queue *q)
{
	struct ib_device *ibdev = q->dev->dev;
	struct evn_qe *qe;
	unsigned int i;

	q->rsp_ring = kcalloc(q->size, sizeof(*q->rsp_ring), GFP_KERNEL);
	if (!q->rsp_ring)
		return -ENOMEM;

	for (i = 0; i < q->size; i++) {
		qe = &q->rsp_ring[i];
		qe->data = kzalloc(sizeof(*qe->data), GFP_KERNEL);
		if (!qe->data)
			goto out_free_ring;
		qe->dma = ib_dma_map_single(ibdev, qe->data,
					    sizeof(struct nvme_completion),
					    DMA_FROM_DEVICE);
		if (ib_dma_mapping_error(ibdev, qe->dma)) {
			kfree(qe->data);
			goto out_free_ring;
		}
	}
	return 0;

out_free_ring:
	evn_ring_free(q, i);
	return -ENOMEM;
}

static void evn_slots_free(struct evn_queue *q, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		ib_dma_unmap_single(q->dev->dev, q->slots[i].sqe_dma,
				    sizeof(struct nvme_command), DMA_TO_DEVICE);
		kfree(q->slots[i].sqe);
	}
	bitmap_free(q->busy);
	q->busy = NULL;
	kfree(q->slots);
	q->slots = NULL;
}

static int evn_slots_alloc(struct evn_queue *q)
{
	struct ib_device *ibdev = q->dev->dev;
	struct evn_slot *slot;
	unsigned int i;

	q->slots = kcalloc(q->nr_slots, sizeof(*q->slots), GFP_KERNEL);
	if (!q->slots)
		return -ENOMEM;
	q->busy = bitmap_zalloc(q->nr_slots, GFP_KERNEL);
	if (!q->busy) {
		kfree(q->slots);
		q->slots = NULL;
		return -ENOMEM;
	}
	q->nr_busy = 0;

	for (i = 0; i < q->nr_slots; i++) {
		slot = &q->slots[i];
		slot->queue = q;
		slot->send_cqe.done = evn_send_done;
		slot->sqe = kzalloc(sizeof(*slot->sqe), GFP_KERNEL);
		if (!slot->sqe)
			goto out_free_slots;
		slot->sqe_dma = ib_dma_map_single(ibdev, slot->sqe,
						  sizeof(*slot->sqe),
						  DMA_TO_DEVICE);
		if (ib_dma_mapping_error(ibdev, slot->sqe_dma)) {
			kfree(slot->sqe);
			goto out_free_slots;
		}
	}
	return 0;

out_free_slots:
	evn_slots_free(q, i);
	return -ENOMEM;
}

/* Undo evn_queue_create_ib(); the QP must be drained. */
static void evn_queue_destroy_ib(struct evn_queue *q)
{
	if (!test_and_clear_bit(EVN_Q_TR_READY, &q->flags))
		return;

	WRITE_ONCE(q->ibdev, NULL);
	/*
	 * As nvme-rdma: QP and CQ go before the memory their work requests
	 * point at (the slots' ib_cqe's, the receive ring).
	 */
	ib_mr_pool_destroy(q->qp, &q->qp->rdma_mrs);
	rdma_destroy_qp(q->cm_id);
	q->qp = NULL;
	ib_cq_pool_put(q->cq, q->cq_size);
	q->cq = NULL;
	evn_slots_free(q, q->nr_slots);
	evn_ring_free(q, q->size);
	evn_dev_put(q->dev);
	q->dev = NULL;
}

/* CQ, QP, receive ring, slots and MR pool on the device the CM id found. */
static int evn_queue_create_ib(struct evn_queue *q)
{
	struct ib_qp_init_attr init_attr = {};
	struct ib_device *ibdev;
	int comp_vector, ret;

	q->dev = evn_dev_get(q->cm_id->device);
	if (IS_ERR(q->dev)) {
		ret = PTR_ERR(q->dev);
		q->dev = NULL;
		return ret;
	}
	ibdev = q->dev->dev;

	/* Admin queue on vector 0, I/O queues spread over the vectors. */
	comp_vector = q->qid ? (q->qid - 1) % ibdev->num_comp_vectors : 0;
	q->cq_size = EVN_CQ_FACTOR * q->size + 1;	/* +1 for the drain */
	q->cq = ib_cq_pool_get(ibdev, q->cq_size, comp_vector, IB_POLL_SOFTIRQ);
	if (IS_ERR(q->cq)) {
		ret = PTR_ERR(q->cq);
		goto out_put_dev;
	}

	init_attr.qp_context = q;
	init_attr.send_cq = q->cq;
	init_attr.recv_cq = q->cq;
	/* +1 for the drain */
	init_attr.cap.max_send_wr = EVN_SEND_WR_FACTOR * q->size + 1;
	init_attr.cap.max_recv_wr = q->size + 1;
	init_attr.cap.max_send_sge = 1;
	init_attr.cap.max_recv_sge = 1;
	init_attr.sq_sig_type = IB_SIGNAL_REQ_WR;
	init_attr.qp_type = IB_QPT_RC;
	ret = rdma_create_qp(q->cm_id, q->dev->pd, &init_attr);
	if (ret)
		goto out_put_cq;
	q->qp = q->cm_id->qp;

	ret = evn_ring_alloc(q);
	if (ret)
		goto out_destroy_qp;

	ret = evn_slots_alloc(q);
	if (ret)
		goto out_free_ring;

	/* +1: a misaligned first segment takes one more page. */
	ret = ib_mr_pool_init(q->qp, &q->qp->rdma_mrs, q->nr_slots,
			      IB_MR_TYPE_MEM_REG, q->dev->max_fr_pages + 1, 0);
	if (ret)
		goto out_free_slots;

	WRITE_ONCE(q->ibdev, ibdev);
	set_bit(EVN_Q_TR_READY, &q->flags);
	return 0;

out_free_slots:
	evn_slots_free(q, q->nr_slots);
out_free_ring:
	evn_ring_free(q, q->size);
out_destroy_qp:
	rdma_destroy_qp(q->cm_id);
	q->qp = NULL;
out_put_cq:
	ib_cq_pool_put(q->cq, q->cq_size);
	q->cq = NULL;
out_put_dev:
	evn_dev_put(q->dev);
	q->dev = NULL;
	return ret;
}

static int evn_cm_handler(struct rdma_cm_id *cm_id, struct rdma_cm_event *ev)
{
	struct evn_queue *q = cm_id->context;
	const struct nvme_rdma_cm_rej *rej;
	u8 rej_len = 0;

	switch (ev->event) {
	case RDMA_CM_EVENT_REJECTED:
		/* The private data only lives as long as this callback. */
		rej = rdma_consumer_reject_data(cm_id, ev, &rej_len);
		q->cm_rej_sts = rej && rej_len >= sizeof(*rej) ?
				le16_to_cpu(rej->sts) : 0;
		fallthrough;
	case RDMA_CM_EVENT_ADDR_RESOLVED:
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
	case RDMA_CM_EVENT_ESTABLISHED:
	case RDMA_CM_EVENT_ADDR_ERROR:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_CONNECT_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
		q->cm_event = ev->event;
		q->cm_status = ev->status;
		complete(&q->cm_done);
		wake_up_all(&q->ctrl->wq);
		break;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		/*
		 * evn_remove_one() has reset every controller on the device;
		 * this queue was set up since: give it up, so its CM id gets
		 * destroyed and the removal can finish.
		 */
		q->cm_event = ev->event;
		complete(&q->cm_done);
		evn_queue_error(q);
		break;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_ADDR_CHANGE:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
		evn_queue_error(q);
		break;
	default:
		evn_ctrl_err_rl(q->ctrl, "unexpected RDMA CM event %s (%d) on queue %u\n",
				rdma_event_msg(ev->event), ev->event, q->qid);
		evn_queue_error(q);
		break;
	}
	return 0;
}

/* Wait for the CM event of the current connect step. */
static int evn_queue_wait_cm(struct evn_queue *q,
			     enum rdma_cm_event_type want,
			     unsigned int timeout_ms)
{
	struct evn_ctrl *ctrl = q->ctrl;

	wait_event_timeout(ctrl->wq, completion_done(&q->cm_done) ||
			   evn_ctrl_deleting(ctrl),
			   msecs_to_jiffies(timeout_ms));
	if (!completion_done(&q->cm_done))
		return evn_ctrl_deleting(ctrl) ? -ESHUTDOWN : -ETIMEDOUT;
	if (q->cm_event == want)
		return 0;

	switch (q->cm_event) {
	case RDMA_CM_EVENT_REJECTED:
		return -ECONNREFUSED;
	case RDMA_CM_EVENT_ADDR_ERROR:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
		return -EHOSTUNREACH;
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
		return -ENODEV;
	default:
		return -ECONNRESET;
	}
}

static int evn_queue_rdma_connect(struct evn_queue *q)
{
	struct rdma_conn_param param = {};
	struct nvme_rdma_cm_req priv;

	evn_nvme_rdma_cm_req(&priv, q->qid, q->size);
	param.qp_num = q->qp->qp_num;
	param.flow_control = 1;
	param.responder_resources = q->dev->dev->attrs.max_qp_rd_atom;
	param.retry_count = 7;		/* maximum retry count */
	param.rnr_retry_count = 7;
	param.private_data = &priv;
	param.private_data_len = sizeof(priv);
	return rdma_connect(q->cm_id, &param);
}

static const char *evn_queue_reject_msg(struct evn_queue *q)
{
	if (q->cm_rej_sts)
		return nvme_rdma_cm_msg(q->cm_rej_sts);
	return rdma_reject_msg(q->cm_id, q->cm_status);
}

/*
 * Stop @q: no new commands, the connection is torn down, the QP drained and
 * then every command still outstanding completed (EVN_IO_REQUEUE unless its
 * response had arrived). Idempotent.
 */
static void __evn_queue_stop(struct evn_queue *q)
{
	lockdep_assert_held(&q->stop_mutex);

	clear_bit(EVN_Q_LIVE, &q->flags);
	if (test_and_clear_bit(EVN_Q_CONNECTED, &q->flags)) {
		/* No submitter may still be posting to the QP. */
		synchronize_srcu_expedited(&q->ctrl->srcu);
		rdma_disconnect(q->cm_id);
		ib_drain_qp(q->qp);
	}
	if (test_bit(EVN_Q_TR_READY, &q->flags))
		evn_queue_cancel_all(q);
}

/* Stop @q only if it is still the incarnation a command was sent on. */
static void evn_queue_stop_incarnation(struct evn_queue *q,
				       unsigned int incarnation)
{
	mutex_lock(&q->stop_mutex);
	if (q->incarnation == incarnation)
		__evn_queue_stop(q);
	mutex_unlock(&q->stop_mutex);
}

/* Undo evn_queue_alloc(): stop, destroy QP and buffers, destroy the CM id. */
static void evn_queue_free(struct evn_queue *q)
{
	mutex_lock(&q->stop_mutex);
	if (test_and_clear_bit(EVN_Q_ALLOCATED, &q->flags)) {
		__evn_queue_stop(q);
		evn_queue_destroy_ib(q);
		rdma_destroy_id(q->cm_id);
		q->cm_id = NULL;
	}
	mutex_unlock(&q->stop_mutex);
}

/*
 * Establish the RDMA connection of queue @qid with @size entries: resolve
 * the address and route, create the QP and buffers, connect and post the
 * receive buffers. On return the queue is CONNECTED (ready for Fabrics
 * Connect) or fully undone.
 */
static int evn_queue_alloc(struct evn_ctrl *ctrl, u16 qid, unsigned int size,
			   struct netlink_ext_ack *extack)
{
	struct evn_queue *q = &ctrl->queues[qid];
	struct sockaddr *addr = (struct sockaddr *)&ctrl->opts.addr;
	u16 port = evn_addr_port(&ctrl->opts.addr);
	unsigned int i;
	int ret;

	mutex_lock(&q->stop_mutex);
	if (WARN_ON_ONCE(q->flags & ~BIT(EVN_Q_ERROR))) {
		mutex_unlock(&q->stop_mutex);
		return -EBUSY;
	}
	q->flags = 0;
	q->incarnation++;
	q->size = size;
	q->nr_slots = size - 1;
	q->cm_rej_sts = 0;

	q->cm_id = rdma_create_id(&init_net, evn_cm_handler, q, RDMA_PS_TCP,
				  IB_QPT_RC);
	if (IS_ERR(q->cm_id)) {
		ret = PTR_ERR(q->cm_id);
		q->cm_id = NULL;
		evn_setup_error(ctrl, extack,
				"cannot create an RDMA CM id for queue %u (%d)",
				qid, ret);
		goto out_unlock;
	}

	reinit_completion(&q->cm_done);
	ret = rdma_resolve_addr(q->cm_id, NULL, addr, EVN_CM_TIMEOUT_MS);
	if (!ret)
		ret = evn_queue_wait_cm(q, RDMA_CM_EVENT_ADDR_RESOLVED,
					EVN_CM_TIMEOUT_MS + 1000);
	if (ret) {
		evn_setup_error(ctrl, extack,
				"cannot resolve address %pISc port %u (%d)",
				addr, port, ret);
		goto out_destroy_id;
	}

	ret = evn_queue_create_ib(q);
	if (ret) {
		evn_setup_error(ctrl, extack,
				"cannot set up queue %u on RDMA device %s (%d)",
				qid, dev_name(&q->cm_id->device->dev), ret);
		goto out_destroy_id;
	}

	reinit_completion(&q->cm_done);
	ret = rdma_resolve_route(q->cm_id, EVN_CM_TIMEOUT_MS);
	if (!ret)
		ret = evn_queue_wait_cm(q, RDMA_CM_EVENT_ROUTE_RESOLVED,
					EVN_CM_TIMEOUT_MS + 1000);
	if (ret) {
		evn_setup_error(ctrl, extack,
				"cannot resolve a route to %pISc port %u (%d)",
				addr, port, ret);
		goto out_destroy_ib;
	}

	reinit_completion(&q->cm_done);
	ret = evn_queue_rdma_connect(q);
	if (!ret)
		ret = evn_queue_wait_cm(q, RDMA_CM_EVENT_ESTABLISHED,
					EVN_CM_CONNECT_TIMEOUT_MS);
	if (ret == -ECONNREFUSED) {
		evn_setup_error(ctrl, extack,
				"target %pISc port %u rejected the RDMA connection of queue %u: %s",
				addr, port, qid, evn_queue_reject_msg(q));
		goto out_destroy_ib;
	} else if (ret) {
		evn_setup_error(ctrl, extack,
				"cannot connect queue %u to %pISc port %u (%d)",
				qid, addr, port, ret);
		goto out_destroy_ib;
	}

	/* Receives first: the target answers as soon as a command is sent. */
	set_bit(EVN_Q_CONNECTED, &q->flags);
	for (i = 0; i < q->size; i++) {
		ret = evn_post_recv(q, &q->rsp_ring[i]);
		if (ret) {
			evn_setup_error(ctrl, extack,
					"cannot post receive buffers on queue %u (%d)",
					qid, ret);
			goto out_disconnect;
		}
	}

	set_bit(EVN_Q_ALLOCATED, &q->flags);
	mutex_unlock(&q->stop_mutex);
	return 0;

out_disconnect:
	__evn_queue_stop(q);
out_destroy_ib:
	evn_queue_destroy_ib(q);
out_destroy_id:
	rdma_destroy_id(q->cm_id);
	q->cm_id = NULL;
out_unlock:
	mutex_unlock(&q->stop_mutex);
	return ret;
}

/* ---- synchronous commands --------------------------------------------- */

static void evn_sync_done(struct evn_io *io, blk_status_t status)
{
	struct evn_sync_cmd *s = container_of(io, struct evn_sync_cmd, io);
	struct evn_ctrl *ctrl = s->ctrl;

	s->status = status;
	/* The waiter may return (and @s vanish) as soon as it sees this. */
	smp_store_release(&s->finished, true);
	wake_up_all(&ctrl->wq);
}

static bool evn_sync_finished(struct evn_sync_cmd *s)
{
	/* Pairs with smp_store_release() in evn_sync_done(). */
	return smp_load_acquire(&s->finished);
}

static bool evn_sync_abort(struct evn_ctrl *ctrl, struct evn_queue *q,
			   unsigned int flags)
{
	return test_bit(EVN_Q_ERROR, &q->flags) ||
	       ((flags & EVN_SYNC_ABORTABLE) && evn_ctrl_deleting(ctrl));
}

/*
 * Send @cmd on queue @qid and wait up to @timeout_ms for its completion.
 * When it is late or the queue fails, reset the controller (if LIVE), stop
 * the queue, which completes the command, and return.
 *
 * Return: 0, the NVMe status (> 0) of a failed command, or a negative errno:
 * -ETIMEDOUT, -ENOTCONN (the queue failed or was stopped), -ESHUTDOWN (the
 * controller is being deleted), -EAGAIN (no free slot), -EIO.
 */
static int evn_sync(struct evn_ctrl *ctrl, u16 qid,
		    const struct nvme_command *cmd, void *buf, unsigned int len,
		    enum dma_data_direction dir, union nvme_result *result,
		    unsigned int timeout_ms, unsigned int flags)
{
	struct evn_queue *q = &ctrl->queues[qid];
	struct evn_sync_cmd s = {
		.io.done = evn_sync_done,
		.ctrl = ctrl,
	};
	struct evn_data data = {
		.buf = buf,
		.len = len,
		.dir = dir,
	};
	unsigned int incarnation;
	int idx, ret;

	idx = srcu_read_lock(&ctrl->srcu);
	ret = evn_queue_post(q, &s.io, cmd, buf ? &data : NULL, &s.result,
			     flags & EVN_SYNC_CONNECT);
	/* Stable: the queue cannot be stopped while we hold the SRCU lock. */
	incarnation = READ_ONCE(q->incarnation);
	srcu_read_unlock(&ctrl->srcu, idx);
	if (ret)
		return ret;

	if (!wait_event_timeout(ctrl->wq, evn_sync_finished(&s) ||
				evn_sync_abort(ctrl, q, flags),
				msecs_to_jiffies(timeout_ms)) &&
	    !evn_sync_finished(&s))
		ret = -ETIMEDOUT;

	if (!evn_sync_finished(&s)) {
		if (ret == -ETIMEDOUT)
			evn_ctrl_info_rl(ctrl, "command %#x on queue %u timed out\n",
					 cmd->common.opcode, qid);
		evn_ctrl_error_recovery(ctrl);
		evn_queue_stop_incarnation(q, incarnation);
		wait_event(ctrl->wq, evn_sync_finished(&s));
	}

	if (s.status == EVN_IO_REQUEUE) {
		if (ret)
			return ret;
		return evn_ctrl_deleting(ctrl) ? -ESHUTDOWN : -ENOTCONN;
	}
	if (result)
		*result = s.result;
	return s.io.result;
}

static int evn_prop_get(struct evn_ctrl *ctrl, u32 off, bool is64, u64 *val,
			unsigned int timeout_ms, unsigned int flags)
{
	struct nvme_command cmd;
	union nvme_result res;
	int ret;

	evn_nvmf_prop_get(&cmd, off, is64);
	ret = evn_sync(ctrl, 0, &cmd, NULL, 0, DMA_NONE, &res, timeout_ms,
		       flags);
	if (!ret)
		*val = is64 ? le64_to_cpu(res.u64) : le32_to_cpu(res.u32);
	return ret;
}

static int evn_prop_set(struct evn_ctrl *ctrl, u32 off, u32 val,
			unsigned int timeout_ms, unsigned int flags)
{
	struct nvme_command cmd;

	evn_nvmf_prop_set(&cmd, off, val, false);
	return evn_sync(ctrl, 0, &cmd, NULL, 0, DMA_NONE, NULL, timeout_ms,
			flags);
}

/* Explain a failed command of the setup sequence. */
static void evn_cmd_error(struct evn_ctrl *ctrl,
			  struct netlink_ext_ack *extack, const char *what,
			  int ret)
{
	if (ret > 0)
		evn_setup_error(ctrl, extack, "target failed %s (status %#x)",
				what, ret);
	else if (ret == -ETIMEDOUT)
		evn_setup_error(ctrl, extack, "%s timed out", what);
	else
		evn_setup_error(ctrl, extack, "%s failed (%d)", what, ret);
}

/* A setup command failed: an errno for the caller. */
static int evn_cmd_errno(int ret)
{
	return ret > 0 ? -EIO : ret;
}

/* ---- controller setup ------------------------------------------------- */

static int evn_fabrics_connect(struct evn_ctrl *ctrl, u16 qid,
			       struct netlink_ext_ack *extack)
{
	struct evn_queue *q = &ctrl->queues[qid];
	struct nvmf_connect_data *data;
	struct nvme_command cmd;
	union nvme_result res;
	u32 result;
	int ret;

	data = kmalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;

	evn_nvmf_connect_cmd(&cmd, qid, q->size - 1, ctrl->kato * 1000);
	evn_nvmf_connect_data(data, &ctrl->opts.hostid,
			      qid ? ctrl->cntlid : 0xffff,
			      ctrl->opts.subsysnqn, ctrl->opts.hostnqn);
	ret = evn_sync(ctrl, qid, &cmd, data, sizeof(*data), DMA_TO_DEVICE,
		       &res, evn_admin_timeout_ms(),
		       EVN_SYNC_CONNECT | EVN_SYNC_ABORTABLE);
	kfree(data);

	result = le32_to_cpu(res.u32);
	if (ret > 0) {
		evn_setup_error(ctrl, extack,
				"target refused Fabrics Connect of queue %u: %s (status %#x)",
				qid, evn_nvmf_connect_error(ret, result), ret);
		return -ECONNREFUSED;
	}
	if (ret) {
		evn_cmd_error(ctrl, extack, "Fabrics Connect", ret);
		return ret;
	}
	if ((result >> 16) & 0x3) {
		evn_setup_error(ctrl, extack,
				"target requires authentication, which evn does not support");
		return -EOPNOTSUPP;
	}
	if (!qid)
		ctrl->cntlid = result & 0xffff;

	set_bit(EVN_Q_LIVE, &q->flags);
	return 0;
}

/* Read CAP, write CC with CC.EN and wait for CSTS.RDY within CAP.TO. */
static int evn_ctrl_enable(struct evn_ctrl *ctrl,
			   struct netlink_ext_ack *extack)
{
	unsigned int timeout = evn_admin_timeout_ms();
	const unsigned int flags = EVN_SYNC_ABORTABLE;
	unsigned long deadline;
	u64 csts;
	int ret;

	ret = evn_prop_get(ctrl, NVME_REG_CAP, true, &ctrl->cap, timeout,
			   flags);
	if (ret) {
		evn_cmd_error(ctrl, extack, "Property Get of CAP", ret);
		return evn_cmd_errno(ret);
	}
	if (NVME_CAP_MPSMIN(ctrl->cap) + 12 > EVN_NVME_PAGE_SHIFT) {
		evn_setup_error(ctrl, extack,
				"controller needs pages of %u bytes, evn uses %u",
				1U << (NVME_CAP_MPSMIN(ctrl->cap) + 12),
				1U << EVN_NVME_PAGE_SHIFT);
		return -EOPNOTSUPP;
	}

	ctrl->cc = evn_nvme_cc_value(ctrl->cap);
	ret = evn_prop_set(ctrl, NVME_REG_CC, ctrl->cc, timeout, flags);
	if (!ret) {
		ctrl->cc |= NVME_CC_ENABLE;
		ret = evn_prop_set(ctrl, NVME_REG_CC, ctrl->cc, timeout,
				   flags);
	}
	if (ret) {
		evn_cmd_error(ctrl, extack, "Property Set of CC", ret);
		return evn_cmd_errno(ret);
	}

	deadline = jiffies +
		   msecs_to_jiffies(evn_nvme_ready_timeout_ms(ctrl->cap));
	for (;;) {
		ret = evn_prop_get(ctrl, NVME_REG_CSTS, false, &csts, timeout,
				   flags);
		if (ret) {
			evn_cmd_error(ctrl, extack, "Property Get of CSTS",
				      ret);
			return evn_cmd_errno(ret);
		}
		if (csts & NVME_CSTS_CFS) {
			evn_setup_error(ctrl, extack,
					"controller reports a fatal status (CSTS %#llx)",
					csts);
			return -EIO;
		}
		if (csts & NVME_CSTS_RDY)
			return 0;
		if (time_after(jiffies, deadline)) {
			evn_setup_error(ctrl, extack,
					"timed out waiting for the controller to become ready");
			return -ETIMEDOUT;
		}
		if (evn_ctrl_deleting(ctrl))
			return -ESHUTDOWN;
		usleep_range(1000, 2000);
	}
}

static int evn_ctrl_identify(struct evn_ctrl *ctrl,
			     struct netlink_ext_ack *extack)
{
	struct evn_rdma_dev *dev = ctrl->queues[0].dev;
	struct nvme_command cmd;
	struct nvme_id_ctrl *id;
	unsigned int wanted;
	int ret;

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;

	evn_nvme_identify(&cmd, NVME_ID_CNS_CTRL, 0);
	ret = evn_sync(ctrl, 0, &cmd, id, sizeof(*id), DMA_FROM_DEVICE, NULL,
		       evn_admin_timeout_ms(), EVN_SYNC_ABORTABLE);
	if (ret) {
		evn_cmd_error(ctrl, extack, "Identify Controller", ret);
		ret = evn_cmd_errno(ret);
		goto out_free;
	}

	if (!evn_nvme_sgls_keyed(le32_to_cpu(id->sgls))) {
		evn_setup_error(ctrl, extack,
				"controller does not support keyed SGL data blocks");
		ret = -EOPNOTSUPP;
		goto out_free;
	}
	if (le16_to_cpu(id->icdoff)) {
		evn_setup_error(ctrl, extack,
				"controller uses an in-capsule data offset, which evn does not support");
		ret = -EOPNOTSUPP;
		goto out_free;
	}

	ctrl->oncs = le16_to_cpu(id->oncs);
	ctrl->crdt[0] = le16_to_cpu(id->crdt1);
	ctrl->crdt[1] = le16_to_cpu(id->crdt2);
	ctrl->crdt[2] = le16_to_cpu(id->crdt3);
	ctrl->cqt = evn_nvme_id_cqt(id);
	ctrl->vwc = id->vwc & NVME_CTRL_VWC_PRESENT;
	ctrl->max_hw_sectors = evn_nvme_max_hw_sectors(id->mdts, ctrl->cap,
						       dev->max_fr_pages);
	ctrl->max_segments = min(dev->max_fr_pages,
				 ctrl->max_hw_sectors /
				 (1U << (EVN_NVME_PAGE_SHIFT - SECTOR_SHIFT)) + 1);
	wanted = ctrl->opts.queue_size ?: io_queue_depth;
	ctrl->io_queue_size = evn_nvme_queue_size(ctrl->cap, wanted,
						  le16_to_cpu(id->maxcmd));
	if (le16_to_cpu(id->cntlid) != ctrl->cntlid)
		evn_ctrl_info_rl(ctrl, "Identify reports cntlid %u, Connect gave %u\n",
				 le16_to_cpu(id->cntlid), ctrl->cntlid);
	ret = 0;
out_free:
	kfree(id);
	return ret;
}

static int evn_ctrl_set_queue_count(struct evn_ctrl *ctrl,
				    struct netlink_ext_ack *extack)
{
	struct nvme_command cmd;
	union nvme_result res;
	unsigned int granted;
	int ret;

	evn_nvme_set_features_nr_queues(&cmd, ctrl->max_io_queues);
	ret = evn_sync(ctrl, 0, &cmd, NULL, 0, DMA_NONE, &res,
		       evn_admin_timeout_ms(), EVN_SYNC_ABORTABLE);
	if (ret) {
		evn_cmd_error(ctrl, extack, "Set Features Number of Queues",
			      ret);
		return evn_cmd_errno(ret);
	}
	granted = evn_nvme_nr_queues_granted(le32_to_cpu(res.u32));
	WRITE_ONCE(ctrl->nr_io_queues, min(granted, ctrl->max_io_queues));
	return 0;
}

static void evn_io_queues_free(struct evn_ctrl *ctrl)
{
	unsigned int i;

	for (i = ctrl->max_io_queues; i >= 1; i--)
		evn_queue_free(&ctrl->queues[i]);
}

static int evn_io_queues_setup(struct evn_ctrl *ctrl,
			       struct netlink_ext_ack *extack)
{
	unsigned int i;
	int ret;

	for (i = 1; i <= ctrl->nr_io_queues; i++) {
		if (evn_ctrl_deleting(ctrl)) {
			ret = -ESHUTDOWN;
			goto out_free_queues;
		}
		ret = evn_queue_alloc(ctrl, i, ctrl->io_queue_size, extack);
		if (ret)
			goto out_free_queues;
		ret = evn_fabrics_connect(ctrl, i, extack);
		if (ret) {
			evn_queue_free(&ctrl->queues[i]);
			goto out_free_queues;
		}
	}
	return 0;

out_free_queues:
	while (--i >= 1)
		evn_queue_free(&ctrl->queues[i]);
	return ret;
}

/*
 * Build the whole association: admin queue, Fabrics Connect, enable,
 * Identify, Number of Queues, I/O queues. The caller moves the state.
 */
static int evn_ctrl_setup(struct evn_ctrl *ctrl,
			  struct netlink_ext_ack *extack)
{
	unsigned int i;
	int ret;

	ret = evn_queue_alloc(ctrl, 0, NVME_AQ_DEPTH, extack);
	if (ret)
		return ret;

	ret = evn_fabrics_connect(ctrl, 0, extack);
	if (ret)
		goto out_free_admin_queue;

	ret = evn_ctrl_enable(ctrl, extack);
	if (ret)
		goto out_free_admin_queue;

	ret = evn_ctrl_identify(ctrl, extack);
	if (ret)
		goto out_free_admin_queue;

	ret = evn_ctrl_set_queue_count(ctrl, extack);
	if (ret)
		goto out_free_admin_queue;

	if (!ctrl->nr_io_queues) {
		evn_setup_error(ctrl, extack, "target granted no I/O queue");
		ret = -ENOSPC;
		goto out_free_admin_queue;
	}

	ret = evn_io_queues_setup(ctrl, extack);
	if (ret)
		goto out_free_admin_queue;

	/* A queue that failed meanwhile would only fail its first I/O. */
	for (i = 0; i <= ctrl->nr_io_queues; i++) {
		if (test_bit(EVN_Q_ERROR, &ctrl->queues[i].flags)) {
			evn_setup_error(ctrl, extack,
					"queue %u failed while connecting", i);
			ret = -ECONNRESET;
			goto out_free_io_queues;
		}
	}
	return 0;

out_free_io_queues:
	evn_io_queues_free(ctrl);
out_free_admin_queue:
	evn_queue_free(&ctrl->queues[0]);
	return ret;
}

/* Stop and free every queue, I/O queues first. */
static void evn_ctrl_teardown(struct evn_ctrl *ctrl)
{
	evn_io_queues_free(ctrl);
	evn_queue_free(&ctrl->queues[0]);
}

/* ---- keep alive ------------------------------------------------------- */

static unsigned long evn_ka_period(struct evn_ctrl *ctrl)
{
	return max_t(unsigned long, ctrl->kato * HZ / 2, 1);
}

static void evn_ka_done(struct evn_io *io, blk_status_t status)
{
	struct evn_ctrl *ctrl = container_of(io, struct evn_ctrl, ka_io);

	clear_bit(EVN_KA_BUSY, &ctrl->ka_flags);
	if (status == BLK_STS_OK || status == EVN_IO_REQUEUE)
		return;
	evn_ctrl_err_rl(ctrl, "keep alive failed (status %#x)\n", io->result);
	evn_ctrl_error_recovery(ctrl);
}

static void evn_ka_work(struct work_struct *work)
{
	struct evn_ctrl *ctrl = container_of(to_delayed_work(work),
					     struct evn_ctrl, ka_work);
	struct nvme_command cmd;
	int idx, ret;

	if (evn_ctrl_state(ctrl) != EVN_TARGET_STATE_LIVE)
		return;

	if (test_bit(EVN_KA_BUSY, &ctrl->ka_flags)) {
		if (time_after(jiffies, ctrl->ka_sent + ctrl->kato * HZ)) {
			evn_ctrl_warn(ctrl, "keep alive not answered within %u s\n",
				      ctrl->kato);
			evn_ctrl_error_recovery(ctrl);
			return;
		}
	} else {
		evn_nvme_keep_alive(&cmd);
		ctrl->ka_sent = jiffies;
		set_bit(EVN_KA_BUSY, &ctrl->ka_flags);
		idx = srcu_read_lock(&ctrl->srcu);
		ret = evn_queue_post(&ctrl->queues[0], &ctrl->ka_io, &cmd,
				     NULL, NULL, false);
		srcu_read_unlock(&ctrl->srcu, idx);
		if (ret) {
			clear_bit(EVN_KA_BUSY, &ctrl->ka_flags);
			/* A stopped admin queue means recovery runs. */
			if (ret != -EAGAIN)
				return;
		}
	}
	queue_delayed_work(evn_wq, &ctrl->ka_work, evn_ka_period(ctrl));
}

static void evn_ka_start(struct evn_ctrl *ctrl)
{
	if (ctrl->kato)
		queue_delayed_work(evn_wq, &ctrl->ka_work, evn_ka_period(ctrl));
}

/* ---- error recovery and reconnect ------------------------------------- */

static void evn_reconnect_or_stop(struct evn_ctrl *ctrl)
{
	unsigned int delay = max(ctrl->opts.reconnect_delay, 1U);

	if (evn_ctrl_state(ctrl) != EVN_TARGET_STATE_CONNECTING)
		return;
	queue_delayed_work(evn_wq, &ctrl->reconnect_work, delay * HZ);
}

/*
 * The teardown gave back writes without a response: the old controller may
 * still execute them, and a write resent, or a newer one to the same
 * blocks, could be overwritten by the old one landing late. NVMe 2.1
 * section 9.6: a controller that lost its host stops processing commands
 * within KATO of the last contact and its Command Quiesce Time (taken twice
 * here, below). So no write-class command goes to @ctrl before that much
 * time after the
 * teardown (later than the last contact: nothing is sent on the old
 * association after it), plus resend_hold for targets that do not stop.
 * Reads go at once.
 */
static void evn_ctrl_fence_writes(struct evn_ctrl *ctrl)
{
	unsigned int hold = READ_ONCE(resend_hold);
	unsigned long wait;

	/*
	 * Twice KATO: a controller may notice the loss only at the second
	 * expiry of its timer after the last contact (nvmet's is re-armed by
	 * any command, traffic based keep alive). Without keep alive it never
	 * notices: only CQT and resend_hold are left.
	 */
	if (!ctrl->kato && !ctrl->kato_warned) {
		ctrl->kato_warned = true;
		evn_ctrl_warn(ctrl, "keep alive is off (kato=0): the target never stops old commands on its own; only its CQT and resend_hold protect newer writes\n");
	}
	wait = 2UL * ctrl->kato * HZ + msecs_to_jiffies(ctrl->cqt) +
	       (unsigned long)hold * HZ;
	WRITE_ONCE(ctrl->write_fence, jiffies + wait);
	/* Submitters see the fence with the LIVE state that comes later. */
	smp_wmb();
	WRITE_ONCE(ctrl->fenced, true);
	evn_ctrl_info(ctrl, "writes wait %u ms before they are sent again: the old association may still run those given back (twice the keep alive timeout of %u s, CQT %u ms, resend_hold %u s)\n",
		      jiffies_to_msecs(wait), ctrl->kato, ctrl->cqt, hold);
}

/*
 * True while writes must wait for the old association (above). @clear: the
 * caller is in an SRCU read section of @ctrl (evn_ctrl_submit()), so an
 * expired fence may be cleared: no new one can be set before the next
 * loss's teardown, which waits for the section to end.
 */
static bool evn_ctrl_write_fenced(struct evn_ctrl *ctrl, u8 opcode, bool clear)
{
	if (likely(!READ_ONCE(ctrl->fenced)) || !evn_opcode_writes(opcode))
		return false;
	/* Pairs with smp_wmb() in evn_ctrl_fence_writes(). */
	smp_rmb();
	if (time_before(jiffies, READ_ONCE(ctrl->write_fence)))
		return true;
	if (clear)
		WRITE_ONCE(ctrl->fenced, false);
	return false;
}

static void evn_err_work(struct work_struct *work)
{
	struct evn_ctrl *ctrl = container_of(work, struct evn_ctrl, err_work);

	evn_ctrl_warn(ctrl, "association lost; reconnecting every %u s, I/O fails after %u s\n",
		      max(ctrl->opts.reconnect_delay, 1U),
		      ctrl->opts.loss_timeout);

	cancel_delayed_work_sync(&ctrl->ka_work);
	ctrl->writes_cancelled = false;
	evn_ctrl_teardown(ctrl);
	ctrl->attempts = 0;
	if (ctrl->writes_cancelled)
		evn_ctrl_fence_writes(ctrl);

	if (!evn_ctrl_change_state(ctrl, EVN_TARGET_STATE_CONNECTING)) {
		/* Only deletion may have come in between. */
		WARN_ON_ONCE(!evn_ctrl_deleting(ctrl));
		return;
	}
	evn_reconnect_or_stop(ctrl);
}

static void evn_check_loss_timeout(struct evn_ctrl *ctrl)
{
	unsigned long end;
	bool report = false;

	spin_lock_irq(&ctrl->lock);
	end = ctrl->loss_time + (unsigned long)ctrl->opts.loss_timeout * HZ;
	if (!ctrl->loss_reported && time_after_eq(jiffies, end)) {
		ctrl->loss_reported = true;
		report = true;
	}
	spin_unlock_irq(&ctrl->lock);

	if (report)
		evn_ctrl_warn(ctrl, "still unreachable after the loss timeout of %u s; failing I/O until it is back\n",
			      ctrl->opts.loss_timeout);
}

static int evn_ctrl_revalidate(struct evn_ctrl *ctrl);

static void evn_reconnect_work(struct work_struct *work)
{
	struct evn_ctrl *ctrl = container_of(to_delayed_work(work),
					     struct evn_ctrl, reconnect_work);
	u32 reconnects;
	int ret;

	if (evn_ctrl_state(ctrl) != EVN_TARGET_STATE_CONNECTING)
		return;

	ctrl->attempts++;
	ctrl->setup_error[0] = '\0';
	ret = evn_ctrl_setup(ctrl, NULL);
	if (!ret) {
		/* No I/O before its namespaces are checked (not LIVE yet). */
		ret = evn_ctrl_revalidate(ctrl);
		if (ret) {
			if (!ctrl->setup_error[0])
				snprintf(ctrl->setup_error,
					 sizeof(ctrl->setup_error),
					 "checking the namespaces failed (%d)",
					 ret);
			evn_ctrl_teardown(ctrl);
		}
	}
	if (ret) {
		/* Attempts 1, 2, 4, 8 ... and every 64th: enough to follow. */
		if (is_power_of_2(ctrl->attempts) || !(ctrl->attempts % 64)) {
			if (!ctrl->setup_error[0])
				snprintf(ctrl->setup_error,
					 sizeof(ctrl->setup_error),
					 "error %d", ret);
			evn_ctrl_info(ctrl, "reconnect attempt %u failed: %s\n",
				      ctrl->attempts, ctrl->setup_error);
		}
		evn_check_loss_timeout(ctrl);
		evn_reconnect_or_stop(ctrl);
		return;
	}

	if (!evn_ctrl_change_state(ctrl, EVN_TARGET_STATE_LIVE)) {
		WARN_ON_ONCE(!evn_ctrl_deleting(ctrl));
		evn_ctrl_teardown(ctrl);
		return;
	}

	spin_lock_irq(&ctrl->lock);
	reconnects = ++ctrl->reconnects;
	spin_unlock_irq(&ctrl->lock);
	evn_ctrl_info(ctrl, "reconnected at attempt %u (reconnect %u): cntlid %u, %u I/O queues\n",
		      ctrl->attempts, reconnects, ctrl->cntlid,
		      ctrl->nr_io_queues);
	evn_ka_start(ctrl);
}

/* ---- the interface (transport.h) -------------------------------------- */

static void evn_ctrl_free(struct evn_ctrl *ctrl)
{
	struct evn_ns_watch *w, *tmp;
	unsigned int i;

	list_for_each_entry_safe(w, tmp, &ctrl->watches, entry)
		kfree(w);
	cleanup_srcu_struct(&ctrl->srcu);
	for (i = 0; i <= ctrl->max_io_queues; i++)
		mutex_destroy(&ctrl->queues[i].stop_mutex);
	kfree(ctrl->queues);
	kfree(ctrl);
}

static struct evn_ctrl *evn_ctrl_alloc(const struct evn_ctrl_opts *opts)
{
	struct evn_ctrl *ctrl;
	unsigned int i, cpus = num_online_cpus();
	struct evn_queue *q;

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return NULL;

	ctrl->opts = *opts;
	ctrl->kato = kato;
	ctrl->max_io_queues = min(opts->nr_io_queues ?: cpus, cpus);
	ctrl->max_io_queues = clamp(ctrl->max_io_queues, 1U, 0xffffU);
	ctrl->queues = kcalloc(ctrl->max_io_queues + 1, sizeof(*ctrl->queues),
			       GFP_KERNEL);
	if (!ctrl->queues)
		goto out_free_ctrl;
	if (init_srcu_struct(&ctrl->srcu))
		goto out_free_queues;

	for (i = 0; i <= ctrl->max_io_queues; i++) {
		q = &ctrl->queues[i];
		q->ctrl = ctrl;
		q->qid = i;
		mutex_init(&q->stop_mutex);
		spin_lock_init(&q->lock);
		init_completion(&q->cm_done);
	}

	INIT_LIST_HEAD(&ctrl->entry);
	INIT_LIST_HEAD(&ctrl->watches);
	spin_lock_init(&ctrl->lock);
	ctrl->state = EVN_TARGET_STATE_NEW;
	/* The first connect counts from creation, as a reconnect from a loss. */
	ctrl->loss_time = jiffies;
	INIT_WORK(&ctrl->notify_work, evn_ctrl_notify_work);
	INIT_WORK(&ctrl->err_work, evn_err_work);
	INIT_DELAYED_WORK(&ctrl->reconnect_work, evn_reconnect_work);
	INIT_DELAYED_WORK(&ctrl->ka_work, evn_ka_work);
	ctrl->ka_io.done = evn_ka_done;
	init_waitqueue_head(&ctrl->wq);
	return ctrl;

out_free_queues:
	kfree(ctrl->queues);
out_free_ctrl:
	kfree(ctrl);
	return NULL;
}

/**
 * evn_ctrl_create() - connect to an NVMe-oF/RDMA controller
 * @opts: address, subsystem and host identity, reconnect and queue options
 * @extack: extended ack; on failure it says what failed
 *
 * Establishes the whole association synchronously: RDMA CM connection of
 * the admin queue, Fabrics Connect (controller id 0xffff, KATO), CAP, CC.EN
 * and CSTS.RDY, Identify Controller, Number of Queues, then one I/O queue
 * per online CPU up to what the target grants, each with its own Fabrics
 * Connect; then starts keep alive.
 *
 * Context: process context, may sleep for many seconds. Called from a
 * generic netlink doit (see evn_extack_buf).
 * Return: the LIVE controller, or an ERR_PTR(): -EAFNOSUPPORT,
 * -EHOSTUNREACH, -ECONNREFUSED, -ETIMEDOUT, -EOPNOTSUPP, -EIO, -ENOMEM...
 */
struct evn_ctrl *evn_ctrl_create(const struct evn_ctrl_opts *opts,
				 struct netlink_ext_ack *extack)
{
	struct evn_ctrl *ctrl;
	int ret;

	if (opts->addr.ss_family != AF_INET &&
	    opts->addr.ss_family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "target address must be IPv4 or IPv6");
		return ERR_PTR(-EAFNOSUPPORT);
	}

	ctrl = evn_ctrl_alloc(opts);
	if (!ctrl)
		return ERR_PTR(-ENOMEM);

	/* Listed from the start, so device removal and exit can find it. */
	mutex_lock(&evn_ctrl_mutex);
	list_add_tail(&ctrl->entry, &evn_ctrl_list);
	mutex_unlock(&evn_ctrl_mutex);

	WARN_ON_ONCE(!evn_ctrl_change_state(ctrl,
					    EVN_TARGET_STATE_CONNECTING));
	ret = evn_ctrl_setup(ctrl, extack);
	if (ret)
		goto out_unlist;
	WARN_ON_ONCE(!evn_ctrl_change_state(ctrl, EVN_TARGET_STATE_LIVE));
	evn_ka_start(ctrl);

	evn_ctrl_info(ctrl, "connected: cntlid %u, %u I/O queues of %u entries, max transfer %u KiB\n",
		      ctrl->cntlid, ctrl->nr_io_queues, ctrl->io_queue_size,
		      ctrl->max_hw_sectors / 2);
	return ctrl;

out_unlist:
	/* Nothing else knows @ctrl: only its notification may be queued. */
	cancel_work_sync(&ctrl->notify_work);
	mutex_lock(&evn_ctrl_mutex);
	list_del(&ctrl->entry);
	mutex_unlock(&evn_ctrl_mutex);
	wake_up_all(&evn_ctrl_list_wq);
	evn_ctrl_free(ctrl);
	return ERR_PTR(ret);
}

/* Orderly shutdown: CC.SHN = normal, then wait for CSTS.SHST complete. */
static void evn_ctrl_shutdown(struct evn_ctrl *ctrl)
{
	unsigned int timeout = max(shutdown_timeout, 1U) * 1000;
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout);
	u64 csts;
	int ret;

	ret = evn_prop_set(ctrl, NVME_REG_CC,
			   (ctrl->cc & ~NVME_CC_SHN_MASK) | NVME_CC_SHN_NORMAL,
			   timeout, 0);
	while (!ret) {
		ret = evn_prop_get(ctrl, NVME_REG_CSTS, false, &csts, timeout,
				   0);
		if (ret)
			break;
		if ((csts & NVME_CSTS_SHST_MASK) == NVME_CSTS_SHST_CMPLT)
			return;
		if (time_after(jiffies, deadline)) {
			ret = -ETIMEDOUT;
			break;
		}
		msleep(100);
	}
	evn_ctrl_info_rl(ctrl, "orderly shutdown failed (%d)\n", ret);
}

/**
 * evn_ctrl_delete() - shut a controller down and free it
 * @ctrl: controller from evn_ctrl_create(), or NULL
 *
 * Works in every state, also while error recovery or a reconnect attempt
 * runs: moves the controller to DELETING, waits for the recovery and
 * reconnect work, shuts a live controller down in order (CC.SHN, waiting
 * for CSTS.SHST at most shutdown_timeout seconds), and tears every queue
 * down; commands still outstanding complete with EVN_IO_REQUEUE. No state
 * notification is delivered once this starts. Every wait is bounded.
 *
 * Context: process context, may sleep; not from the notify callback or an
 * I/O done callback, and not while holding a lock the notify callback takes.
 */
void evn_ctrl_delete(struct evn_ctrl *ctrl)
{
	if (!ctrl)
		return;

	/* First, so that not even the move to DELETING is delivered. */
	evn_ctrl_set_state_notify(ctrl, NULL, NULL);
	WARN_ON_ONCE(!evn_ctrl_change_state(ctrl, EVN_TARGET_STATE_DELETING));
	/* Connect steps and commands of a reconnect attempt give up. */
	wake_up_all(&ctrl->wq);

	flush_work(&ctrl->err_work);
	cancel_delayed_work_sync(&ctrl->reconnect_work);
	cancel_delayed_work_sync(&ctrl->ka_work);

	if (test_bit(EVN_Q_LIVE, &ctrl->queues[0].flags)) {
		evn_io_queues_free(ctrl);
		evn_ctrl_shutdown(ctrl);
	}
	evn_ctrl_teardown(ctrl);
	evn_ctrl_info(ctrl, "disconnected\n");

	cancel_work_sync(&ctrl->notify_work);
	mutex_lock(&evn_ctrl_mutex);
	list_del(&ctrl->entry);
	mutex_unlock(&evn_ctrl_mutex);
	wake_up_all(&evn_ctrl_list_wq);
	evn_ctrl_free(ctrl);
}

/* Identify Namespace and its descriptors: size, block size, identifiers. */
static int __evn_ctrl_identify_ns(struct evn_ctrl *ctrl, u32 nsid,
				  struct evn_ns_info *info)
{
	struct nvme_command cmd;
	struct nvme_id_ns *id;
	int ret;

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;

	evn_nvme_identify(&cmd, NVME_ID_CNS_NS, nsid);
	ret = evn_sync(ctrl, 0, &cmd, id, sizeof(*id), DMA_FROM_DEVICE, NULL,
		       evn_admin_timeout_ms(), EVN_SYNC_ABORTABLE);
	if (ret > 0) {
		ret = (ret & 0x7ff) == NVME_SC_INVALID_NS ? -ENXIO : -EIO;
		goto out_free;
	}
	if (ret)
		goto out_free;

	info->nsze = le64_to_cpu(id->nsze);
	info->lba_shift = evn_nvme_lba_shift(id);
	memset(&info->ids, 0, sizeof(info->ids));
	evn_nvme_ns_ids_from_id(id, &info->ids);
	if (!info->nsze) {
		ret = -ENXIO;
		goto out_free;
	}
	if (!info->lba_shift) {
		ret = -EOPNOTSUPP;
		goto out_free;
	}

	/* The UUID, in the descriptor list; a controller without one: none. */
	memset(id, 0, sizeof(*id));
	evn_nvme_identify(&cmd, NVME_ID_CNS_NS_DESC_LIST, nsid);
	ret = evn_sync(ctrl, 0, &cmd, id, sizeof(*id), DMA_FROM_DEVICE, NULL,
		       evn_admin_timeout_ms(), EVN_SYNC_ABORTABLE);
	if (ret > 0)
		ret = 0;
	else if (!ret && evn_nvme_parse_ns_descs(id, sizeof(*id), &info->ids))
		ret = -EIO;
out_free:
	kfree(id);
	return ret;
}

/**
 * evn_ctrl_identify_ns() - read a namespace's size, block size, identifiers
 * @ctrl: a LIVE controller
 * @nsid: namespace id
 * @info: filled on success
 *
 * Context: process context, may sleep up to admin_timeout seconds.
 * Return: 0; -ENXIO when the namespace does not exist or is inactive;
 * -EOPNOTSUPP when its format is not usable (metadata, block size);
 * -ENOTCONN when the controller is not LIVE; -ETIMEDOUT, -EIO, -ENOMEM.
 */
int evn_ctrl_identify_ns(struct evn_ctrl *ctrl, u32 nsid,
			 struct evn_ns_info *info)
{
	if (evn_ctrl_state(ctrl) != EVN_TARGET_STATE_LIVE)
		return -ENOTCONN;
	return __evn_ctrl_identify_ns(ctrl, nsid, info);
}

/**
 * evn_ctrl_watch_ns() - check a namespace at every reconnect
 * @ctrl: the controller
 * @nsid: namespace id
 * @info: what evn_ctrl_identify_ns() found: the namespace I/O is meant for
 *
 * Before a reconnected controller goes LIVE, the namespace is identified
 * again; if it is no longer the same (identifiers, block size), or smaller,
 * or the controller's transfer limits shrank, it fails: evn_ctrl_submit()
 * fails its I/O with BLK_STS_IOERR without sending it, and
 * evn_ctrl_ns_failed() says why, until evn_ctrl_unwatch_ns().
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int evn_ctrl_watch_ns(struct evn_ctrl *ctrl, u32 nsid,
		      const struct evn_ns_info *info)
{
	struct evn_ns_watch *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->nsid = nsid;
	w->info = *info;
	spin_lock_irq(&ctrl->lock);
	list_add_tail(&w->entry, &ctrl->watches);
	spin_unlock_irq(&ctrl->lock);
	return 0;
}

/**
 * evn_ctrl_unwatch_ns() - undo evn_ctrl_watch_ns()
 * @ctrl: the controller
 * @nsid: namespace id (one watch of it is removed)
 *
 * Context: process context.
 */
void evn_ctrl_unwatch_ns(struct evn_ctrl *ctrl, u32 nsid)
{
	struct evn_ns_watch *w, *found = NULL;

	spin_lock_irq(&ctrl->lock);
	list_for_each_entry(w, &ctrl->watches, entry) {
		if (w->nsid == nsid) {
			found = w;
			list_del(&w->entry);
			if (w->failed)
				ctrl->nr_failed--;
			break;
		}
	}
	spin_unlock_irq(&ctrl->lock);
	kfree(found);
}

/* Why namespace @nsid failed, or NULL; @ctrl->lock held. */
static const char *__evn_ctrl_ns_failed(struct evn_ctrl *ctrl, u32 nsid)
{
	struct evn_ns_watch *w;

	list_for_each_entry(w, &ctrl->watches, entry)
		if (w->nsid == nsid && w->failed)
			return w->failed;
	return NULL;
}

/**
 * evn_ctrl_ns_failed() - has a watched namespace failed its check?
 * @ctrl: the controller
 * @nsid: namespace id
 *
 * Context: any context.
 * Return: NULL, or why its I/O fails (a static string).
 */
const char *evn_ctrl_ns_failed(struct evn_ctrl *ctrl, u32 nsid)
{
	const char *why = NULL;
	unsigned long flags;

	if (likely(!READ_ONCE(ctrl->nr_failed)))
		return NULL;
	spin_lock_irqsave(&ctrl->lock, flags);
	why = __evn_ctrl_ns_failed(ctrl, nsid);
	spin_unlock_irqrestore(&ctrl->lock, flags);
	return why;
}

/*
 * True when I/O to @ctrl in @state fails with EIO rather than waiting: it is
 * being deleted, or lost (resetting or connecting) for loss_timeout or more.
 */
static bool evn_ctrl_failing(struct evn_ctrl *ctrl,
			     enum evn_target_state state)
{
	unsigned long end;

	switch (state) {
	case EVN_TARGET_STATE_DELETING:
		return true;
	case EVN_TARGET_STATE_RESETTING:
	case EVN_TARGET_STATE_CONNECTING:
		end = READ_ONCE(ctrl->loss_time) +
		      (unsigned long)ctrl->opts.loss_timeout * HZ;
		return time_after_eq(jiffies, end);
	default:
		return false;
	}
}

/* Fail watch @nsid with @why, unless it failed already; process context. */
static void evn_ctrl_fail_ns(struct evn_ctrl *ctrl, u32 nsid, const char *why)
{
	struct evn_ns_watch *w;
	bool now = false;

	spin_lock_irq(&ctrl->lock);
	list_for_each_entry(w, &ctrl->watches, entry) {
		if (w->nsid == nsid && !w->failed) {
			w->failed = why;
			ctrl->nr_failed++;
			now = true;
		}
	}
	spin_unlock_irq(&ctrl->lock);
	if (now)
		evn_ctrl_err(ctrl, "namespace %u: %s; its I/O fails until the target is deleted and added again\n",
			     nsid, why);
}

/*
 * After a reconnect, before the controller goes LIVE: is every watched
 * namespace still the one its target was added for, and can the controller
 * still take the requests the volumes were made for? A namespace that is
 * not fails (evn_ctrl_fail_ns()). 0, or an error of the controller (the
 * reconnect attempt fails and is retried).
 */
static int evn_ctrl_revalidate(struct evn_ctrl *ctrl)
{
	const char *limits = NULL, *why;
	struct evn_ns_watch *w, *copy;
	struct evn_ns_info now;
	unsigned int n = 0, i;
	int ret = 0;

	spin_lock_irq(&ctrl->lock);
	if (ctrl->max_hw_sectors < ctrl->promised_max_hw_sectors)
		limits = "controller's largest transfer shrank below what volumes were made for";
	else if (ctrl->max_segments < ctrl->promised_max_segments)
		limits = "controller takes fewer data segments than volumes were made for";
	spin_unlock_irq(&ctrl->lock);

	spin_lock_irq(&ctrl->lock);
	list_for_each_entry(w, &ctrl->watches, entry)
		n++;
	spin_unlock_irq(&ctrl->lock);
	if (!n)
		return 0;
	copy = kcalloc(n, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	i = 0;
	spin_lock_irq(&ctrl->lock);
	list_for_each_entry(w, &ctrl->watches, entry) {
		if (i == n)
			break;
		copy[i++] = *w;
	}
	spin_unlock_irq(&ctrl->lock);

	/*
	 * A watch added after the copy is not checked now: its target-add
	 * identified the namespace just before (on this association, or on
	 * the one before if it raced with this reconnect).
	 */
	for (n = i, i = 0; i < n; i++) {
		if (copy[i].failed)
			continue;
		/*
		 * Gone or inactive may be for a moment (a namespace disabled
		 * and enabled again): the attempt fails and is retried, until
		 * the loss timeout; then that namespace fails alone, and the
		 * others of the association go on. An unusable format fails
		 * at once; other errors are the controller's (retried).
		 */
		ret = __evn_ctrl_identify_ns(ctrl, copy[i].nsid, &now);
		if (ret == -ENXIO &&
		    !evn_ctrl_failing(ctrl, EVN_TARGET_STATE_CONNECTING)) {
			snprintf(ctrl->setup_error, sizeof(ctrl->setup_error),
				 "namespace %u is not active", copy[i].nsid);
			break;
		}
		if (ret && ret != -ENXIO && ret != -EOPNOTSUPP)
			break;
		if (ret == -ENXIO)
			why = "namespace is gone (not active for the loss timeout)";
		else if (ret == -EOPNOTSUPP)
			why = "namespace's format is not usable";
		else
			why = limits ?: evn_nvme_ns_changed(&copy[i].info.ids,
							    copy[i].info.nsze,
							    copy[i].info.lba_shift,
							    &now.ids, now.nsze,
							    now.lba_shift);
		ret = 0;
		if (why)
			evn_ctrl_fail_ns(ctrl, copy[i].nsid, why);
	}
	kfree(copy);
	return ret;
}

/**
 * evn_ctrl_get_info() - describe a controller
 * @ctrl: the controller
 * @info: filled with its state, identity, limits and counters
 *
 * Context: any context.
 */
void evn_ctrl_get_info(struct evn_ctrl *ctrl, struct evn_ctrl_info *info)
{
	unsigned long flags;

	spin_lock_irqsave(&ctrl->lock, flags);
	info->state = ctrl->state;
	info->reconnects = ctrl->reconnects;
	info->timeouts = atomic_read(&ctrl->timeouts);
	info->failing = evn_ctrl_failing(ctrl, ctrl->state);
	spin_unlock_irqrestore(&ctrl->lock, flags);

	info->cntlid = READ_ONCE(ctrl->cntlid);
	info->nr_io_queues = READ_ONCE(ctrl->nr_io_queues);
	info->queue_size = READ_ONCE(ctrl->io_queue_size);
	info->max_hw_sectors = READ_ONCE(ctrl->max_hw_sectors);
	info->max_segments = READ_ONCE(ctrl->max_segments);

	info->oncs = READ_ONCE(ctrl->oncs);
	info->vwc = READ_ONCE(ctrl->vwc);
}

/**
 * evn_ctrl_set_state_notify() - be told about state changes
 * @ctrl: the controller
 * @notify: called from a work item (process context) after state changes;
 *	several quick changes may be reported by one call, so it should read
 *	the state (evn_ctrl_get_info()); NULL to stop
 * @data: argument of @notify
 *
 * Stopping is synchronous: once this returns with @notify NULL, the old
 * callback is not running and will not be called again, so its @data may
 * be freed.
 *
 * Context: any context to set a callback; process context, not from the
 *	callback itself, to stop (waits for a running callback).
 */
void evn_ctrl_set_state_notify(struct evn_ctrl *ctrl,
			       void (*notify)(void *data), void *data)
{
	unsigned long flags;

	spin_lock_irqsave(&ctrl->lock, flags);
	ctrl->notify = notify;
	ctrl->notify_data = data;
	spin_unlock_irqrestore(&ctrl->lock, flags);
	/* A callback that read the old pointers before we cleared them. */
	if (!notify)
		flush_work(&ctrl->notify_work);
}

/* Not LIVE: wait (the caller retries) until the loss timeout, then fail. */
static blk_status_t evn_ctrl_not_ready(struct evn_ctrl *ctrl)
{
	if (evn_ctrl_failing(ctrl, evn_ctrl_state(ctrl)))
		return BLK_STS_IOERR;
	return BLK_STS_RESOURCE;
}

/**
 * evn_ctrl_promise_limits() - a volume was made for these limits
 * @ctrl: the controller
 * @max_hw_sectors: the largest transfer the volume sends, in sectors
 * @max_segments: the most data segments it sends
 *
 * Every later association must offer at least the largest limits promised
 * (evn_ctrl_revalidate() fails the controller's namespaces otherwise).
 *
 * Context: process context.
 */
void evn_ctrl_promise_limits(struct evn_ctrl *ctrl, u32 max_hw_sectors,
			     u32 max_segments)
{
	spin_lock_irq(&ctrl->lock);
	ctrl->promised_max_hw_sectors = max(ctrl->promised_max_hw_sectors,
					    max_hw_sectors);
	ctrl->promised_max_segments = max(ctrl->promised_max_segments,
					  max_segments);
	spin_unlock_irq(&ctrl->lock);
}

/**
 * evn_ctrl_would_wait() - would a command be given back for now?
 * @ctrl: the controller
 * @opcode: the NVMe opcode of the command
 *
 * For callers that send several commands as one (a volume request's
 * pieces): true when evn_ctrl_submit() would answer BLK_STS_RESOURCE for
 * a reason other than a full queue: the controller is reconnecting (and
 * its loss timeout has not passed), or it holds writes after a reset.
 *
 * Context: any context.
 * Return: true if the command would have to be sent again later.
 */
bool evn_ctrl_would_wait(struct evn_ctrl *ctrl, u8 opcode)
{
	enum evn_target_state state = evn_ctrl_state(ctrl);

	if (state != EVN_TARGET_STATE_LIVE)
		return !evn_ctrl_failing(ctrl, state);
	return evn_ctrl_write_fenced(ctrl, opcode, false);
}

/**
 * evn_ctrl_submit() - send an I/O command
 * @ctrl: the controller
 * @qid: any number; the command goes to I/O queue @qid % nr_io_queues
 * @io: the command; io->done() is called exactly once if this returns
 *	BLK_STS_OK, never otherwise
 *
 * Builds a Read or Write (data through a keyed SGL and a fast-registration
 * MR), Flush, Write Zeroes or Dataset Management (deallocate the one range
 * io->dsm) command and posts it.
 *
 * Context: process or softirq context, interrupts enabled; never sleeps.
 * Return: BLK_STS_OK when sent; BLK_STS_RESOURCE when no slot is free,
 * when the controller is not LIVE and loss_timeout has not passed since the
 * loss, or for a write-class command while writes are held after a reset
 * (evn_ctrl_fence_writes()); BLK_STS_IOERR after the loss timeout, when
 * deleting, for a namespace that failed its check at a reconnect
 * (evn_ctrl_watch_ns()) or for a malformed @io; BLK_STS_NOTSUPP for an
 * opcode the controller (ONCS) or evn lacks.
 */
blk_status_t evn_ctrl_submit(struct evn_ctrl *ctrl, unsigned int qid,
			     struct evn_io *io)
{
	struct evn_data data = {};
	struct nvme_command cmd;
	const struct evn_data *dp = NULL;
	struct evn_queue *q;
	blk_status_t sts;
	unsigned int nr;
	int idx, ret;

	switch (io->opcode) {
	case nvme_cmd_read:
	case nvme_cmd_write:
		if (!io->sgl || io->sg_nents <= 0)
			return BLK_STS_IOERR;
		if (evn_nvme_setup_rw(&cmd, io->opcode, io->nsid, io->slba,
				      io->nlb, io->control))
			return BLK_STS_IOERR;
		data.sgl = io->sgl;
		data.nents = io->sg_nents;
		data.dir = io->opcode == nvme_cmd_write ? DMA_TO_DEVICE :
							  DMA_FROM_DEVICE;
		dp = &data;
		break;
	case nvme_cmd_flush:
		evn_nvme_setup_flush(&cmd, io->nsid);
		break;
	case nvme_cmd_write_zeroes:
		if (!(READ_ONCE(ctrl->oncs) & NVME_CTRL_ONCS_WRITE_ZEROES))
			return BLK_STS_NOTSUPP;
		if (evn_nvme_setup_write_zeroes(&cmd, io->nsid, io->slba,
						io->nlb, io->control))
			return BLK_STS_IOERR;
		break;
	case nvme_cmd_dsm:
		if (!(READ_ONCE(ctrl->oncs) & NVME_CTRL_ONCS_DSM))
			return BLK_STS_NOTSUPP;
		if (!io->dsm)
			return BLK_STS_IOERR;
		evn_nvme_setup_dsm(&cmd, io->nsid, 1, NVME_DSMGMT_AD);
		data.buf = io->dsm;
		data.len = sizeof(*io->dsm);
		data.dir = DMA_TO_DEVICE;
		dp = &data;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}

	idx = srcu_read_lock(&ctrl->srcu);
	if (unlikely(evn_ctrl_state(ctrl) != EVN_TARGET_STATE_LIVE)) {
		sts = evn_ctrl_not_ready(ctrl);
		goto out_unlock;
	}
	if (unlikely(evn_ctrl_ns_failed(ctrl, io->nsid))) {
		sts = BLK_STS_IOERR;
		goto out_unlock;
	}
	if (unlikely(evn_ctrl_write_fenced(ctrl, io->opcode, true))) {
		sts = BLK_STS_RESOURCE;
		goto out_unlock;
	}
	nr = READ_ONCE(ctrl->nr_io_queues);
	q = &ctrl->queues[1 + qid % nr];
	ret = evn_queue_post(q, io, &cmd, dp, NULL, false);
	switch (ret) {
	case 0:
		sts = BLK_STS_OK;
		break;
	case -EAGAIN:
		sts = BLK_STS_RESOURCE;
		break;
	case -ENOTCONN:
		sts = evn_ctrl_not_ready(ctrl);
		break;
	default:
		evn_ctrl_err_rl(ctrl, "cannot map the data of a command (%d)\n",
				ret);
		sts = BLK_STS_IOERR;
		break;
	}
out_unlock:
	srcu_read_unlock(&ctrl->srcu, idx);
	return sts;
}

/**
 * evn_ctrl_timeout() - a request sent through @ctrl timed out
 * @ctrl: the controller
 *
 * Starts error recovery when the controller is LIVE: its queues are torn
 * down and every outstanding command completes with EVN_IO_REQUEUE. Counts
 * the timeout (evn_ctrl_info.timeouts).
 *
 * Context: any context.
 */
void evn_ctrl_timeout(struct evn_ctrl *ctrl)
{
	atomic_inc(&ctrl->timeouts);
	if (evn_ctrl_state(ctrl) == EVN_TARGET_STATE_LIVE)
		evn_ctrl_info_rl(ctrl, "I/O timeout; resetting the association\n");
	evn_ctrl_error_recovery(ctrl);
}

/* ---- device removal and module init/exit ------------------------------ */

static bool evn_ctrl_uses_device(struct evn_ctrl *ctrl,
				 struct ib_device *ibdev)
{
	unsigned int i;

	for (i = 0; i <= ctrl->max_io_queues; i++) {
		if (READ_ONCE(ctrl->queues[i].ibdev) == ibdev)
			return true;
	}
	return false;
}

/*
 * The RDMA device goes away: reset every controller with a queue on it, as
 * nvme_rdma_remove_one() deletes them, and wait until none holds anything
 * on it. The controllers reconnect (over another device, if any).
 */
static void evn_remove_one(struct ib_device *ibdev, void *client_data)
{
	struct evn_ctrl *ctrl;
	bool busy;

	do {
		busy = false;
		mutex_lock(&evn_ctrl_mutex);
		list_for_each_entry(ctrl, &evn_ctrl_list, entry) {
			if (!evn_ctrl_uses_device(ctrl, ibdev))
				continue;
			busy = true;
			evn_ctrl_error_recovery(ctrl);
		}
		mutex_unlock(&evn_ctrl_mutex);
		if (busy) {
			flush_workqueue(evn_wq);
			msleep(20);
		}
	} while (busy);
}

static struct ib_client evn_ib_client = {
	.name	= "evn",
	.remove	= evn_remove_one,
};

/**
 * evn_transport_init() - set up the RDMA transport
 *
 * Context: process context, module init.
 * Return: 0, or a negative errno.
 */
int evn_transport_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct nvme_command) != 64);
	BUILD_BUG_ON(sizeof(struct nvme_completion) != 16);
	BUILD_BUG_ON(sizeof(struct nvme_keyed_sgl_desc) != 16);
	BUILD_BUG_ON(sizeof(struct nvme_dsm_range) != 16);
	BUILD_BUG_ON(sizeof(struct nvme_rdma_cm_req) != 32);
	BUILD_BUG_ON(sizeof(struct nvme_rdma_cm_rej) != 4);
	BUILD_BUG_ON(sizeof(struct nvmf_connect_data) != 1024);
	BUILD_BUG_ON(sizeof(struct nvme_id_ctrl) != NVME_IDENTIFY_DATA_SIZE);
	BUILD_BUG_ON(sizeof(struct nvme_id_ns) != NVME_IDENTIFY_DATA_SIZE);
	BUILD_BUG_ON(NVME_AQ_DEPTH > EVN_MAX_SLOTS);

	evn_wq = alloc_workqueue("evn_rdma", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!evn_wq)
		return -ENOMEM;

	ret = ib_register_client(&evn_ib_client);
	if (ret)
		goto out_destroy_wq;
	return 0;

out_destroy_wq:
	destroy_workqueue(evn_wq);
	return ret;
}

static bool evn_ctrl_list_empty(void)
{
	bool empty;

	mutex_lock(&evn_ctrl_mutex);
	empty = list_empty(&evn_ctrl_list);
	mutex_unlock(&evn_ctrl_mutex);
	return empty;
}

/**
 * evn_transport_exit() - tear the RDMA transport down
 *
 * Context: process context, module exit. The caller has deleted every
 * controller (or is deleting them); this waits until all are gone.
 */
void evn_transport_exit(void)
{
	ib_unregister_client(&evn_ib_client);
	wait_event(evn_ctrl_list_wq, evn_ctrl_list_empty());
	destroy_workqueue(evn_wq);
}
