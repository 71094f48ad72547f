# SPDX-License-Identifier: GPL-2.0
#
# evn - elastic NVMe pool: top-level build and test entry points.
#
#   make               build kernel/evn.ko and userspace/evnadm
#   make check         install missing packages, build, lint, a build against
#                      Linux 6.12, KUnit (plain and debug), userspace unit
#                      tests, VM integration tests
#   make check T=integration/003   build and run one VM test
#   make demo          the main job in a throwaway VM
#   make bench         evn vs nvme-rdma, dm-stripe and null_blk, and a training
#                      workload; table, JSON and chart (not in check)
#   make bench-memory  per-volume memory with 128 possible CPUs (not in check)
#   make bench-discard blkdiscard of 1 GiB, evn stripe vs nvme-rdma (not in check)
#   make build-6.12    build evn.ko against Debian 13's 6.12 (trixie chroot)
#   make check-fresh   make demo and make check in a fresh Debian 12 chroot
#   make deps          install missing Debian packages (root)
#   make install       modules_install + depmod + evnadm in $(PREFIX)/sbin
#
# KDIR selects the kernel build tree: by default the running kernel's when it
# exists, otherwise the newest /lib/modules/*/build (the test targets: the test
# VM's kernel).

# Every kernel path is resolved when a recipe first needs it, not when make
# parses this file: "make check" and the other test targets install
# linux-headers-amd64 and linux-image-amd64 first (tests/deps.sh), and the
# trees they bring must count. tests/kernels.sh holds the rules. The
# "X = $(eval X := ...)$(X)" form runs the script once, on first use.
KERNELS := $(CURDIR)/tests/kernels.sh
KDIR_ORIGIN := $(origin KDIR)
ifeq ($(KDIR_ORIGIN),undefined)
KDIR_INFO = $(eval KDIR_INFO := $$(shell $$(KERNELS) kdir))$(KDIR_INFO)
KDIR = $(firstword $(KDIR_INFO))
KDIR_WHY = $(wordlist 2,99,$(KDIR_INFO))
else
# A nested make (tests/check.sh -> make all) passes both down.
KDIR_WHY ?= set by KDIR
endif

# Tests, the demo and the benchmark load the module into the test VM, which
# boots the newest installed Debian 6.1 kernel (KVER overrides, as for
# tests/vm/run.sh): they build for that kernel unless KDIR is given.
ifeq ($(KDIR_ORIGIN),undefined)
RIG_INFO = $(eval RIG_INFO := $$(shell $$(KERNELS) rig-kdir))$(RIG_INFO)
TEST_ENV = KDIR=$(firstword $(RIG_INFO)) KDIR_WHY="$(wordlist 2,99,$(RIG_INFO))"
else
TEST_ENV = KDIR=$(KDIR) KDIR_WHY="$(KDIR_WHY)"
endif

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all module evnadm clean install deps check kunit kunit-debug lint \
	unit integration demo bench bench-memory bench-discard kdir build-6.12 check-fresh

all: module evnadm

kdir:
	@if [ -z "$(KDIR)" ]; then \
		echo "evn: no kernel build tree to build against (make deps installs linux-headers-amd64; or pass KDIR=)" >&2; \
		exit 1; \
	elif [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "evn: KDIR=$(KDIR) is not a kernel build tree" >&2; \
		exit 1; \
	fi
	@echo "evn: building against KDIR=$(KDIR) ($(KDIR_WHY))"

module: kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

evnadm:
	$(MAKE) -C userspace

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
	fi
	$(MAKE) -C userspace clean

# Debian's header packages lack System.map, so Kbuild's modules_install skips
# depmod: run it here for the release KDIR was built for. A staged install
# (DESTDIR set) leaves depmod to the package's install scripts.
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

# Distribution header packages carry no signing key: install the module
# unsigned (it loads with a taint unless the kernel enforces signatures).
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		INSTALL_MOD_PATH=$(DESTDIR) CONFIG_MODULE_SIG_ALL= modules_install
	@if [ -z "$(DESTDIR)" ]; then \
		echo "depmod -a $(KREL)"; depmod -a $(KREL); \
	else \
		echo "evn: DESTDIR set, not running depmod"; \
	fi
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

deps:
	tests/deps.sh

# check.sh installs the packages first and then finds the test VM's kernel.
check:
	@tests/check.sh $(T)

kunit: deps
	tests/kunit.sh

kunit-debug: deps
	tests/kunit.sh --debug

lint: deps
	$(MAKE) module
	KDIR=$(KDIR) tests/lint.sh

build-6.12: deps
	tests/build-6.12.sh

unit: deps
	$(MAKE) -C userspace test

integration: deps
	$(MAKE) all $(TEST_ENV)
	tests/vm/run.sh $(or $(T),$(patsubst tests/%,%,$(wildcard tests/integration/[0-9]*)))

demo: deps
	$(MAKE) -s all $(TEST_ENV)
	tests/demo/run.sh

bench: deps
	$(MAKE) -s all $(TEST_ENV)
	tests/bench/run.sh

# Per-volume memory with 128 possible CPUs (tests/bench/memory; not in check).
bench-memory: deps
	$(MAKE) -s all $(TEST_ENV)
	EVN_VM_SMP=2,maxcpus=128 tests/vm/run.sh bench/memory

# blkdiscard of 1 GiB, evn stripe vs nvme-rdma (tests/bench/discard; not in check).
bench-discard: deps
	$(MAKE) -s all $(TEST_ENV)
	EVN_VM_MEM=3G tests/vm/run.sh bench/discard

# The README's commands in a fresh Debian 12 chroot (about an hour; not in check).
check-fresh: deps
	tests/fresh.sh
