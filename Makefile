# SPDX-License-Identifier: GPL-2.0
# pktmeta: top-level build, tests and demo. See README.md.
#
#   make              module (for KVER, default the running kernel), BPF, tools
#   make test         unit + fuzz tests, then VM tests on every supported kernel
#   make test-debug   the VM tests on a 6.12 debug kernel (KASAN, UBSAN,
#                     kmemleak, lockdep, PROVE_RCU), built once and cached
#   make demo         boot a stock kernel and show pktmeta at work
#   make bench        cost ratios measured in one guest run (instruction counts)
#   make soak         SOAK_SECONDS (600) of traffic, churn and reloads in one guest
#   make vm KVER=6.1 CMD='...'   run a command in a guest with pktmeta loaded
#   make install      install with DKMS for the running kernel and load it
#   make ynl-check    the netlink spec against its schema and the uAPI header
#   make deb          Debian packages (pktmeta-dkms, pktmeta-tools, libpktmeta-dev) in build/deb

KVER ?= $(shell uname -r)
BUILD := build
BPF_CFLAGS := -target bpf -O2 -g -Wall -Werror -Iinclude -I/usr/include/$(shell uname -m)-linux-gnu
CFLAGS ?= -O2 -g -Wall -Wextra -Werror

BPF_SRCS := $(wildcard bpf/*.bpf.c bpf/*/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
TOOLS := $(BUILD)/tools/pmrun $(BUILD)/tools/libpktmeta.a $(BUILD)/tools/pktmetactl \
	 $(BUILD)/tools/pmnlfuzz $(BUILD)/tools/pmrecv $(BUILD)/tools/pmudp \
	 $(BUILD)/examples/declared_fields_loader $(BUILD)/examples/afxdp_reader \
	 $(BUILD)/examples/fields_receiver
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0)

all: bpf tools module

deps:
	@scripts/install-deps.sh

module:
	@if [ -d /lib/modules/$(KVER)/build ]; then \
		$(MAKE) -C module KVER=$(KVER); \
	else \
		echo "make: no headers for kernel $(KVER); skipping the module (use KVER=, see 'scripts/kernels.sh')"; \
	fi

bpf: $(BPF_OBJS)

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c include/pktmeta.bpf.h include/uapi/linux/pktmeta.h $(wildcard bpf/*/*.h)
	@mkdir -p $(dir $@)
	clang $(BPF_CFLAGS) -c $< -o $@

tools: $(TOOLS)

$(BUILD)/tools/pmrun: tests/tools/pmrun.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lbpf

# libpktmeta (include/pktmeta.h) and what is built on it.
LIBPKTMETA_OBJS := $(BUILD)/tools/lib/pktmeta.o $(BUILD)/tools/lib/pktmeta_bpf.o \
		   $(BUILD)/tools/lib/pktmeta_xsk.o $(BUILD)/tools/lib/pktmeta_cmsg.o

$(BUILD)/tools/lib/%.o: tools/lib/%.c tools/lib/pktmeta_int.h include/pktmeta.h include/uapi/linux/pktmeta.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Iinclude $(NL_CFLAGS) -c -o $@ $<

$(BUILD)/tools/libpktmeta.a: $(LIBPKTMETA_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/tools/pktmetactl: tools/pktmetactl.c $(BUILD)/tools/libpktmeta.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -Iinclude -DPKTMETA_VERSION='"$(shell scripts/version.sh)"' \
		$(LDFLAGS) -o $@ $< $(BUILD)/tools/libpktmeta.a $(NL_LIBS)

# The tools that receive the socket tests' fields (bpf/tests/sockets.h).
$(BUILD)/tools/pmrecv: tests/tools/pmrecv.c
$(BUILD)/tools/pmudp: tests/bench/pmudp.c
$(BUILD)/tools/pmrecv $(BUILD)/tools/pmudp: bpf/tests/sockets.h $(BUILD)/tools/libpktmeta.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -Iinclude -Ibpf/tests $(LDFLAGS) -o $@ $(filter %.c,$^) \
		$(BUILD)/tools/libpktmeta.a $(NL_LIBS)

$(BUILD)/tools/pmnlfuzz: tests/tools/pmnlfuzz.c include/uapi/linux/pktmeta.h
	$(CC) $(CFLAGS) -Iinclude $(NL_CFLAGS) -o $@ $< $(NL_LIBS)

$(BUILD)/examples/declared_fields.skel.h: $(BUILD)/bpf/examples/declared_fields.bpf.o
	@mkdir -p $(dir $@)
	bpftool gen skeleton $< name declared_fields_bpf > $@

$(BUILD)/examples/declared_fields_loader: bpf/examples/declared_fields_loader.c \
		$(BUILD)/examples/declared_fields.skel.h $(BUILD)/tools/libpktmeta.a
	$(CC) $(CFLAGS) -Iinclude -I$(BUILD)/examples -o $@ $< \
		$(BUILD)/tools/libpktmeta.a $(NL_LIBS) -lbpf

$(BUILD)/examples/fields_receiver: bpf/examples/fields_receiver.c $(BUILD)/tools/libpktmeta.a
	$(CC) $(CFLAGS) -Iinclude -o $@ $< $(BUILD)/tools/libpktmeta.a $(NL_LIBS)

# The AF_XDP example's consumer, on libxdp's xsk API (libxdp-dev).
$(BUILD)/examples/afxdp_export.skel.h: $(BUILD)/bpf/examples/afxdp_export.bpf.o
	@mkdir -p $(dir $@)
	bpftool gen skeleton $< name afxdp_export_bpf > $@

$(BUILD)/examples/afxdp_reader: bpf/examples/afxdp_reader.c \
		$(BUILD)/examples/afxdp_export.skel.h $(BUILD)/tools/libpktmeta.a
	$(CC) $(CFLAGS) -Iinclude -I$(BUILD)/examples -o $@ $< \
		$(BUILD)/tools/libpktmeta.a $(NL_LIBS) -lxdp -lbpf

# pktmetactl and its man page, under PREFIX (default /usr/local).
tools-install: $(BUILD)/tools/pktmetactl
	install -D -m 0755 $(BUILD)/tools/pktmetactl $(DESTDIR)$(PREFIX)/sbin/pktmetactl
	install -D -m 0644 tools/pktmetactl.8 $(DESTDIR)$(PREFIX)/share/man/man8/pktmetactl.8

# libpktmeta, its headers (under include/pktmeta/, with the BPF header) and
# its pkg-config file, under PREFIX and LIBDIR.
lib-install: $(BUILD)/tools/libpktmeta.a
	install -D -m 0644 $(BUILD)/tools/libpktmeta.a $(DESTDIR)$(LIBDIR)/libpktmeta.a
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/pktmeta include/pktmeta.h include/pktmeta.bpf.h
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/include/pktmeta/uapi/linux include/uapi/linux/pktmeta.h
	mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@VERSION@|$(shell scripts/version.sh)|' \
		tools/lib/libpktmeta.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libpktmeta.pc

# The Debian packages, built from a copy of the checkout (see the script).
deb:
	@scripts/deb-build.sh $(BUILD)/deb

# tests/guest/packages.bats on 6.1 and 6.12 (KERNELS= selects): the packages'
# DKMS build compiles the module under TCG, many minutes per kernel, so
# `make test` builds and lints the packages but skips this suite.
test-packages: deps bpf tools deb
	PACKAGE_TESTS=1 SUITES=tests/guest/packages.bats VM_NICS= \
		KERNELS="$(or $(KERNELS),6.1 6.12 7.3)" VM_TIMEOUT=$${VM_TIMEOUT:-5400} \
		tests/vm/test-all.sh

unit:
	$(MAKE) -C tests/unit test

# The kernel's YNL tools (tools/net/ynl of linux-source-6.12) in build/ynl,
# for tests/guest/ynl.bats; ynl-check validates
# Documentation/netlink/specs/pktmeta.yaml and compares it with the uAPI.
ynl:
	@scripts/ynl.sh prepare

ynl-check: ynl
	@scripts/ynl.sh check

fuzz:
	$(MAKE) -C tests/unit fuzz

test: deps
	$(MAKE) unit fuzz bpf tools deb ynl-check
	tests/vm/test-all.sh

# tests/vm/debug-kernel.sh builds (once, cached) and installs the debug
# kernel and prints its version (its only output on stdout). A KASAN guest
# under TCG is several times slower than a stock one: VM_TIMEOUT defaults
# higher here. After the suites pass, the soak runs on the same kernel.
DEBUG_VM_TIMEOUT ?= 7200
test-debug: deps bpf tools
	@k=$$(tests/vm/debug-kernel.sh) && [ -n "$$k" ] && \
	KERNELS=$$k VM_NICS=virtio-pair VM_TIMEOUT=$${VM_TIMEOUT:-$(DEBUG_VM_TIMEOUT)} \
		tests/vm/test-all.sh && \
	VM_TIMEOUT=$${VM_TIMEOUT:-$(DEBUG_VM_TIMEOUT)} $(MAKE) soak KVER=$$k

vm: deps bpf tools
	@k=$$(KERNELS="$(if $(filter command line,$(origin KVER)),$(KVER),6.12)" scripts/kernels.sh) && \
	tests/vm/dkms-build.sh $$k && \
	VM_CONSOLE=1 tests/vm/run.sh $$k $(BUILD)/results/vm-$$k cmd '$(CMD)'

demo: deps bpf tools
	@k=$$(KERNELS="$(if $(filter command line,$(origin KVER)),$(KVER),6.12)" scripts/kernels.sh) && \
	tests/vm/dkms-build.sh $$k && \
	VM_CONSOLE=1 tests/vm/run.sh $$k $(BUILD)/results/demo-$$k cmd 'scripts/demo.sh'

# The bench module (an empty kfunc) is built on the host for the guest's
# kernel, next to the DKMS tree, and pmnic (part g) with it;
# tests/bench/bench.sh insmods them there. The guest runs under -icount
# (VM_ICOUNT; empty for wall-clock times): its clock counts instructions.
# 6.1's guest never brings its second CPU up under -icount (it stops at
# "x86: Booting SMP configuration"), so there it boots with maxcpus=1.
# BENCH_* variables given to make reach bench.sh: `make bench BENCH_PARTS=i`.
BENCH_VARS = $(strip $(foreach v,$(filter BENCH_%,$(.VARIABLES)),$(if $(filter command line environment,$(origin $(v))),$(v)=$($(v)))))
bench: deps bpf tools
	@k=$$(KERNELS="$(if $(filter command line,$(origin KVER)),$(KVER),6.12)" scripts/kernels.sh) && \
	b=$${BUILD_DIR:-$(CURDIR)/$(BUILD)} && \
	tests/vm/dkms-build.sh $$k && \
	scripts/kernels.sh --run $$k $(CURDIR) \
		$(MAKE) -s -C tests/bench/module KVER=$$k OUT=$$b/bench-module/$$k && \
	tests/pmnic/build.sh $$k && \
	case "$$k" in 6.1.*) one=$${VM_ICOUNT-x} ;; *) one= ;; esac && \
	VM_CONSOLE=1 VM_ICOUNT=$${VM_ICOUNT-shift=0,sleep=off} \
	VM_APPEND="$${VM_APPEND:-}$${one:+ maxcpus=1}" \
		tests/vm/run.sh $$k $$b/results/bench-$$k cmd '$(BENCH_VARS) tests/bench/bench.sh' && \
	echo "bench: table in $$b/results/bench-$$k/bench.txt"

# The soak: tests/soak/soak.sh in a guest with the virtio-net pair;
# tests/soak/vm.sh judges it and prints its counts last. KVER is a line
# (6.1, 6.12) or any installed kernel's full version.
SOAK_SECONDS ?= 600
soak: deps bpf tools
	@k=$$(KERNELS="$(if $(filter command line,$(origin KVER)),$(KVER),6.12)" scripts/kernels.sh) && \
	tests/vm/dkms-build.sh $$k && \
	SOAK_SECONDS=$(SOAK_SECONDS) tests/soak/vm.sh $$k

install: tools
	scripts/dkms-install.sh
	$(MAKE) tools-install

clean:
	-$(MAKE) -C module clean 2>/dev/null
	$(MAKE) -C tests/unit clean
	rm -rf $(BUILD)

.PHONY: all deps module bpf tools tools-install lib-install deb test-packages unit ynl ynl-check fuzz test test-debug vm demo bench soak install clean
